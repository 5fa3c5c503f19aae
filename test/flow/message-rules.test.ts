/** The message rules catch what issue 9 saw (so the generated walk cannot pass by a rule gone blind). */
import { describe, expect, it } from 'vitest';
import { messageProblems } from '../helpers/message-rules.js';

const problems = (text: string, choices: string[] = [], options = {}) => messageProblems({ text, choices: choices.map((label, i) => ({ id: `c${i}`, label })) }, options);

describe('message rules', () => {
  it('accept a good message', () => {
    expect(problems('**Đăng ký khai sinh**\n- Giấy chứng sinh (bản chính)\nAnh/chị chọn "Kiểm tra giấy tờ" ạ.', ['📋 Kiểm tra giấy tờ'], { labels: ['📋 Kiểm tra giấy tờ'] })).toEqual([]);
  });

  it.each([
    ['a'.repeat(1001), 'over 1000'],
    ['Lệ phí: undefined', 'leftover'],
    ['Xin chào {{name}}', 'template tag'],
    ['**Lệ phí: miễn', 'unpaired'],
    ['Giá * 2', 'lone *'],
    ['<b>đậm</b>', 'HTML'],
    ['Status của hồ sơ', 'English word "status"'],
    ['Gọi 088 (Thứ Hai đến Thứ Sáu (trừ ngày lễ, Tết))', 'brackets inside brackets'],
    ['- Phiếu (mẫu CC01) (theo mẫu)', 'two brackets in a row'],
  ])('flag %j', (text, expected) => {
    expect(problems(text).join(' | ')).toContain(expected);
  });

  it('flag a button named but not shown, a choice twice, and hearsay outside the facts to confirm', () => {
    expect(problems('Anh/chị có thể chọn "Gặp cán bộ" để hỏi thêm ạ.', ['✅ Có rồi'], { labels: ['👤 Gặp cán bộ'] })).toEqual([expect.stringContaining('not shown')]);
    // A portal's own button in a numbered step is the portal's.
    expect(problems('1. Bấm "Gặp cán bộ" trên Cổng.', [], { labels: ['👤 Gặp cán bộ'] })).toEqual([]);
    expect(problems('Chọn ạ', ['Có', 'có'])).toEqual([expect.stringContaining('shown twice')]);
    expect(problems('Giấy này được cho là không cần.', [], { hedges: ['được cho là'] })).toEqual([expect.stringContaining('hearsay')]);
    expect(problems('⚠️ **Xác nhận lại:**\n- Mức này được cho là 500.000 đồng.', [], { hedges: ['được cho là'], unverifiedHeader: '⚠️ **Xác nhận lại:**' })).toEqual([]);
  });
});
