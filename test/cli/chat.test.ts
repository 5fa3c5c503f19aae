/** The `chat --jsonl` contract of docs/contracts.md, through the real entry point and through runCli. */
import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/channels/cli/run-cli.js';
import { officeStatus } from '../../src/handoff/office-hours.js';
import { realAssistant } from '../helpers/assistant.js';
import { MONDAY_9AM } from '../helpers/desk.js';

/** Monday 1 June 2026, 22:00 in Asia/Ho_Chi_Minh: the office is closed until Tuesday 7:30. */
const MONDAY_10PM = Date.UTC(2026, 5, 1, 15, 0);

async function chat(lines: string[], args = ['chat', '--jsonl'], now?: () => number) {
  const input = new PassThrough();
  const output = new PassThrough();
  const errors = new PassThrough();
  let out = '';
  output.on('data', (d) => (out += String(d)));
  input.end(lines.map((l) => `${l}\n`).join(''));
  const code = await runCli(args, { input, output, errors, ...(now ? { now } : {}) }, { flowsDir: 'flows', contentDir: 'content', sessionTtlSeconds: 3600 });
  return { code, out };
}

describe('cli chat', () => {
  it('prints exactly one JSON object per input line, in the docs/contracts.md shape (real process)', async () => {
    const child = execFile('npx', ['tsx', 'src/channels/cli/main.ts', 'chat', '--jsonl'], { timeout: 60_000 });
    let out = '';
    child.stdout?.on('data', (d) => (out += String(d)));
    child.stdin?.end('/start\nđăng ký kết hôn\n');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first.user).toBe('/start');
    expect(second.user).toBe('đăng ký kết hôn');
    expect(second.replies[0].text).toContain('Đăng ký kết hôn');
    for (const reply of [...first.replies, ...second.replies]) {
      expect(Object.keys(reply).sort()).toEqual(['choices', 'links', 'text']);
      for (const choice of reply.choices) expect(Object.keys(choice).sort()).toEqual(['id', 'label']);
    }
  });

  it('holds an English conversation from /start to the online link (real process, jsonl)', async () => {
    const child = execFile('npx', ['tsx', 'src/channels/cli/main.ts', 'chat', '--jsonl'], { timeout: 60_000 });
    let out = '';
    child.stdout?.on('data', (d) => (out += String(d)));
    child.stdin?.end('/start\nHow can I get a birth certificate for my son?\nyes\nfile online\n');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const turns = out.trimEnd().split('\n').map((l) => JSON.parse(l) as { user: string; replies: { text: string; choices: { label: string }[]; links: { url: string }[] }[] });
    expect(turns.map((t) => t.user)).toEqual(['/start', 'How can I get a birth certificate for my son?', 'yes', 'file online']);
    const said = (i: number) => turns[i]!.replies.map((r) => r.text).join('\n');
    expect(said(0)).toContain('Xin chào anh/chị');
    expect(said(1)).toContain('Do you mean the procedure **Birth registration**?');
    expect(said(2)).toContain('Birth registration (Đăng ký khai sinh)');
    expect(said(2)).toContain('Handled by:');
    expect(said(3)).toContain('1. Log in to the National Public Service Portal (Cổng Dịch vụ công quốc gia)');
    for (const i of [1, 2, 3]) expect(said(i)).not.toMatch(/anh\/chị|Có phải/);
    expect(turns[3]!.replies.flatMap((r) => r.links.map((l) => l.url))).toContain('https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7');
  });

  it('starts fresh every run and accepts numbers and labels of the choices just shown', async () => {
    const { code, out } = await chat(['/start', '1', 'xin giấy độc thân', 'Đúng vậy', 'kiem tra giay to']);
    expect(code).toBe(0);
    const turns = out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(turns).toHaveLength(5);
    expect(turns[1].replies[0].text).toContain('Anh/chị cần làm thủ tục gì');
    expect(turns[3].replies[0].text).toContain('Cấp Giấy xác nhận tình trạng hôn nhân');
    expect(turns[4].replies.map((r: { text: string }) => r.text).join('\n')).toContain('1/');
  });

  it('answers an empty line with an empty reply list, keeping one line per input', async () => {
    const { out } = await chat(['/start', '', 'menu']);
    const turns = out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(turns.map((t) => t.user)).toEqual(['/start', '', 'menu']);
    expect(turns[1].replies).toEqual([]);
  });

  it('asking for a person at night says the office is closed and when to call; in office hours, the hotline and its hours', async () => {
    const person = async (at: number) => {
      const { out } = await chat(['/start', 'gặp cán bộ'], ['chat', '--jsonl'], () => at);
      const turns = out.trimEnd().split('\n').map((l) => JSON.parse(l) as { replies: Array<{ text: string }> });
      return turns[1]!.replies.map((r) => r.text).join('\n');
    };
    const night = await person(MONDAY_10PM);
    expect(night).toContain('chưa chuyển được yêu cầu');
    expect(night).toContain('Bây giờ đang ngoài giờ làm việc. Từ 7:30 Thứ Ba, 02/06/2026, anh/chị gọi đường dây nóng');
    const day = await person(MONDAY_9AM);
    expect(day).toContain('chưa chuyển được yêu cầu');
    expect(day).not.toContain('ngoài giờ làm việc');
  });

  it('without a clock given, answers by the real one', async () => {
    const unit = realAssistant().catalog.unit;
    const before = officeStatus(unit, Date.now()).open;
    const { out } = await chat(['/start', 'gặp cán bộ']);
    // The office opened or closed during the run: nothing to compare with.
    if (officeStatus(unit, Date.now()).open !== before) return;
    const text = (JSON.parse(out.trimEnd().split('\n')[1]!) as { replies: Array<{ text: string }> }).replies.map((r) => r.text).join('\n');
    expect(text.includes('ngoài giờ làm việc')).toBe(!before);
  });

  it('prints usage and exits 2 on an unknown command', async () => {
    const { code } = await chat([], ['fly']);
    expect(code).toBe(2);
  });
});
