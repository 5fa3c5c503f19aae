import { afterEach, describe, expect, it } from 'vitest';
import { missingEnglish } from '../../src/catalog/english-check.js';
import { numbersOf } from '../../src/engine/numbers.js';
import { loadCatalog } from '../../src/catalog/load-catalog.js';
import { formatProblem } from '../../src/flow/yaml-source.js';
import { entryYaml, makeContentDir, REAL_CONTENT_DIR, type ContentDir } from './catalog-fixture.js';

const TODAY = '2026-12-20';
let content: ContentDir | undefined;
afterEach(() => content?.remove());

/** The fixture entry with a fee and a time that state numbers, and an `en:` block appended. */
const withEnglish = (en: string) =>
  entryYaml('khai-sinh', { name: 'Đăng ký khai sinh' })
    .replace('  summary: Miễn lệ phí.', '  summary: Miễn lệ phí nếu đăng ký trong 60 ngày; bản sao 8.000 đồng.')
    .replace('processing_time: Trong ngày.', 'processing_time: 03 ngày làm việc; nhận sau 15 giờ thì trả ngày hôm sau.') + en;
const problemsOf = (yaml: string) => {
  content = makeContentDir({ 'khai-sinh.yaml': yaml });
  return loadCatalog(content.dir, { today: TODAY }).problems.map(formatProblem);
};

describe('numbersOf', () => {
  it.each([
    ['8.000 đồng/bản', ['8000']],
    ['VND 8,000 a copy', ['8000']],
    ['trong 60 ngày kể từ ngày 01/07/2025', ['1', '2025', '60', '7']],
    ['within 60 days from 01/07/2025', ['1', '2025', '60', '7']],
    ['sau 15 giờ', ['15']],
    ['after 15:00', ['15']],
    ['7:30 – 11:30', ['11:30', '7:30']],
    ['Nghị quyết 66.7/2025/NQ-CP, Điều 16', ['16', '2025', '66.7']],
    ['2.000.000 đồng', ['2000000']],
    ['Miễn lệ phí.', []],
  ])('%s → %j', (text, numbers) => {
    expect(numbersOf(text)).toEqual(numbers);
  });
});

describe('an entry’s English', () => {
  it('loads when it follows the Vietnamese, numbers included', () => {
    const en = [
      'en:',
      '  name: Birth registration',
      '  processing_time: 3 working days; filed after 15:00, returned the next day.',
      '  fee_summary: Free if registered within 60 days; a copy costs VND 8,000.',
      '  documents:',
      '    - { name: Request form, form: original }',
      '',
    ].join('\n');
    expect(problemsOf(withEnglish(en))).toEqual([]);
  });

  it('is refused when it states another number than the Vietnamese (a deliberately wrong fee and time)', () => {
    const en = ['en:', '  processing_time: 5 working days.', '  fee_summary: Free if registered within 30 days; a copy costs VND 8,000.', ''].join('\n');
    const found = problemsOf(withEnglish(en));
    expect(found).toContainEqual(expect.stringMatching(/khai-sinh\.yaml:\d+:\d+ \[entry khai-sinh\]: en\.processing_time states other numbers than the Vietnamese \(English: 5; Vietnamese: 15, 3\)/));
    expect(found).toContainEqual(expect.stringMatching(/en\.fee_summary states other numbers than the Vietnamese \(English: 30, 8000; Vietnamese: 60, 8000\)/));
  });

  it('is refused when a number is dropped', () => {
    const found = problemsOf(withEnglish(['en:', '  fee_summary: Free; a copy costs VND 8,000.', ''].join('\n')));
    expect(found).toContainEqual(expect.stringMatching(/en\.fee_summary states other numbers.*English: 8000; Vietnamese: 60, 8000/));
  });

  it('is refused when its lists are out of step with the Vietnamese', () => {
    const en = [
      'en:',
      '  documents:',
      '    - { name: Request form }',
      '    - { name: Birth certificate }',
      '  conditions:',
      '    - { id: mang-thai-ho, ask: Was the baby born through surrogacy? }',
      '  where: At the desk.',
      '',
    ].join('\n');
    const found = problemsOf(withEnglish(en));
    expect(found).toContainEqual(expect.stringMatching(/en\.documents has 2 documents, the Vietnamese 1/));
    expect(found).toContainEqual(expect.stringMatching(/unknown condition "mang-thai-ho"/));
    expect(found).toContainEqual(expect.stringMatching(/en\.where translates nothing/));
  });

  it('keeps the Vietnamese name of the office in brackets', () => {
    const bare = problemsOf(withEnglish(['en:', '  handled_by: The commune People’s Committee', ''].join('\n')));
    expect(bare).toContainEqual(expect.stringMatching(/en\.handled_by names no office in Vietnamese/));
    content?.remove();
    expect(problemsOf(withEnglish(['en:', '  handled_by: The commune People’s Committee (UBND cấp xã)', ''].join('\n')))).toEqual([]);
  });
});

describe('the catalog in English', () => {
  const { catalog, problems } = loadCatalog(REAL_CONTENT_DIR, { today: TODAY });

  it('loads without problems', () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it.each(catalog?.entries.map((e) => [e.id, e] as const) ?? [])('%s has an English name, summary, aliases and keywords', (_id, entry) => {
    expect(entry.en?.name).toBeTruthy();
    expect(entry.en?.summary).toBeTruthy();
    expect(entry.en?.aliases?.length).toBeGreaterThanOrEqual(3);
    expect(entry.en?.keywords?.length).toBeGreaterThanOrEqual(1);
    expect(missingEnglish(entry)).not.toContain('name');
    // What a foreign resident types is English: no Vietnamese letters in the words they search.
    for (const word of [...(entry.en?.aliases ?? []), ...(entry.en?.keywords ?? []), entry.en?.name ?? '']) {
      expect(word, `${entry.id}: "${word}"`).not.toMatch(/[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i);
    }
  });

  // Issue 15: every citizen-facing text of every entry has its English (documents, steps, notes,
  // conditions, cases, what to confirm); the card would otherwise show Vietnamese with a note.
  it.each(catalog?.entries.map((e) => [e.id, e] as const) ?? [])('%s has English for every text the citizen reads', (_id, entry) => {
    expect(missingEnglish(entry)).toEqual([]);
  });
});
