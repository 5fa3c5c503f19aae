/**
 * @module Words citizens use that once led to the wrong procedure (issue 10, "Mappings that send
 * people to the wrong procedure"): on the real catalog each must lead to the right entry first,
 * and the entry it used to reach must not be the confident answer.
 */
import { describe, expect, it } from 'vitest';
import { createFinder } from '../../src/catalog/finder.js';
import { loadCatalog } from '../../src/catalog/load-catalog.js';
import { REAL_CONTENT_DIR } from './catalog-fixture.js';

/** [what the citizen writes, the entry that must come first, the entry it wrongly reached before]. */
const MAPPINGS: [string, string, string][] = [
  // Since 01/07/2025 people aged 75+ without a pension get trợ cấp hưu trí xã hội (Luật BHXH 2024), not bảo trợ xã hội.
  ['tiền già', 'tro-cap-huu-tri-xa-hoi', 'tro-cap-xa-hoi'],
  ['xin tiền già cho mẹ', 'tro-cap-huu-tri-xa-hoi', 'tro-cap-xa-hoi'],
  ['trợ cấp cho người già không lương hưu', 'tro-cap-huu-tri-xa-hoi', 'tro-cap-xa-hoi'],
  ['mẹ tôi 82 tuổi không có lương hưu, có được trợ cấp gì không', 'tro-cap-huu-tri-xa-hoi', 'tro-cap-xa-hoi'],
  ['ông tôi 76 tuổi chưa có lương hưu', 'tro-cap-huu-tri-xa-hoi', 'tro-cap-xa-hoi'],
  // Tách hộ is its own procedure (1.010038: 05 ngày làm việc, 10.000/5.000 đồng), not đăng ký thường trú.
  ['tách hộ', 'tach-ho', 'thuong-tru'],
  ['tách hộ khẩu', 'tach-ho', 'thuong-tru'],
  ['tach khau cho con', 'tach-ho', 'thuong-tru'],
  ['vợ chồng ly hôn muốn tách hộ', 'tach-ho', 'thuong-tru'],
];

describe('queries that used to reach the wrong procedure', () => {
  const { catalog } = loadCatalog(REAL_CONTENT_DIR, { allowProblems: true });
  const finder = createFinder(catalog!);

  it.each(MAPPINGS)('"%s" leads to %s first, not %s', (query, right, wrong) => {
    const answer = finder.find(query);
    expect(answer.results[0]?.id).toBe(right);
    expect(answer.outcome === 'confident' && answer.results[0]?.id === wrong).toBe(false);
  });

  it('keeps bảo trợ xã hội for the groups it still serves', () => {
    expect(finder.find('trợ cấp bảo trợ xã hội cho trẻ mồ côi').results[0]?.id).toBe('tro-cap-xa-hoi');
    expect(finder.find('trợ cấp người cao tuổi hộ nghèo không người phụng dưỡng').results[0]?.id).toBe('tro-cap-xa-hoi');
  });
});
