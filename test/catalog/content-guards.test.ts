/**
 * The guards `flows check` runs over content: a replaced legal text cited as current (generated
 * over every row of content/replaced-documents.yaml), a fact no source supports (generated over
 * every fact field), an alias that leads to another entry, and a phrase of
 * content/distinct-procedures.yaml that reaches its look-alike.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContent } from '../../src/catalog/check-content.js';
import { runCli } from '../../src/channels/cli/run-cli.js';
import { cites, replacedDocumentsSchema } from '../../src/catalog/replaced-documents.js';
import { FACT_FIELDS } from '../../src/catalog/types.js';
import { formatProblem } from '../../src/flow/yaml-source.js';
import { REAL_CONTENT_DIR, SMALL_CATALOG, entryYaml, makeContentDir, type ContentDir } from './catalog-fixture.js';

const TODAY = '2026-12-01';
const table = replacedDocumentsSchema.parse(parse(readFileSync(join(REAL_CONTENT_DIR, 'replaced-documents.yaml'), 'utf8')));

let content: ContentDir | undefined;
afterEach(() => content?.remove());

/** A content dir with the real tables; `legal` replaces the fixture entry's legal basis line. */
function withLegalBasis(legal: string[], extra: Record<string, string> = {}): ContentDir {
  const yaml = entryYaml('ket-hon', { name: 'Đăng ký kết hôn' }).replace('legal_basis:\n  - Luật Hộ tịch 2014\n', `legal_basis:\n${legal.map((l) => `  - "${l}"`).join('\n')}\n`);
  const dir = makeContentDir({ 'ket-hon.yaml': yaml, ...extra });
  copyFileSync(join(REAL_CONTENT_DIR, 'replaced-documents.yaml'), join(dir.dir, 'replaced-documents.yaml'));
  return dir;
}
const replacedWarnings = (dir: string, today = TODAY) =>
  checkContent(dir, { today, maxAgeDays: 10_000 }).warnings.filter((w) => /replaced by/.test(w.message)).map(formatProblem);

describe('a replaced legal text cited as current', () => {
  it.each(table.replaced)('$old cited after $from is warned about, at its line', (row) => {
    content = withLegalBasis(['Luật Hộ tịch 2014', row.old_name]);
    expect(replacedWarnings(content.dir, row.from)).toEqual([expect.stringMatching(new RegExp(`^content/procedures/ket-hon\\.yaml:21:5 \\[entry ket-hon\\]: cites .*${row.new_name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`))]);
  });

  it.each(table.replaced)('$old is fine before $from and when the line names its replacement', (row) => {
    content = withLegalBasis([row.old_name]);
    const dayBefore = new Date(Date.parse(`${row.from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(replacedWarnings(content.dir, dayBefore)).toEqual([]);
    content.remove();
    content = withLegalBasis([`${row.new_name} (thay thế ${row.old_name})`]);
    expect(replacedWarnings(content.dir, row.from)).toEqual([]);
  });

  it('knows a number with or without its suffix, never another kind of text with the same number', () => {
    expect(cites('Nghị định 175/2024', '175/2024/NĐ-CP')).toBe(true);
    expect(cites('NĐ số 175/2024/NĐ-CP ngày 30/12/2024', '175/2024/NĐ-CP')).toBe(true);
    expect(cites('Nghi dinh 175/2024/ND-CP', '175/2024/NĐ-CP')).toBe(true);
    expect(cites('Thông tư 175/2024/TT-BTC', '175/2024/NĐ-CP')).toBe(false);
    expect(cites('Thông tư 175/2024', '175/2024/NĐ-CP')).toBe(false);
    expect(cites('Nghị định 1175/2024/NĐ-CP', '175/2024/NĐ-CP')).toBe(false);
    expect(cites('Luật Việc làm năm 2013', '38/2013/QH13', ['Luật Việc làm năm 2013'])).toBe(true);
  });

  it('also looks at the documents named by sources that support a fact', () => {
    content = withLegalBasis(['Nghị định 217/2026/NĐ-CP']);
    const entry = join(content.dir, 'procedures', 'ket-hon.yaml');
    content.writeEntry('ket-hon.yaml', readFileSync(entry, 'utf8').replace('reviewed_on:', 'sources:\n  - { doc: Nghị định 175/2024/NĐ-CP, article: Điều 93, supports: [processing_time] }\nreviewed_on:'));
    expect(replacedWarnings(content.dir)).toEqual([expect.stringMatching(/^content\/procedures\/ket-hon\.yaml:23:12 \[entry ket-hon\]: cites Nghị định 175\/2024\/NĐ-CP/)]);
    // Read only to compare with the new text (supports nothing): not a citation as current.
    content.writeEntry('ket-hon.yaml', readFileSync(entry, 'utf8').replace('supports: [processing_time]', 'supports: []'));
    expect(replacedWarnings(content.dir)).toEqual([]);
  });
});

describe('a fact no source supports', () => {
  it.each(FACT_FIELDS.filter((f) => f !== 'code'))('%s without a source is warned about, and only it', (field) => {
    const supported = FACT_FIELDS.filter((f) => f !== field && f !== 'code');
    const yaml = entryYaml('ket-hon', { name: 'Đăng ký kết hôn' }).replace('reviewed_on:', `sources:\n  - { doc: Luật Hộ tịch 2014, article: Điều 18, supports: [${supported.join(', ')}] }\nreviewed_on:`);
    content = makeContentDir({ 'ket-hon.yaml': yaml });
    const found = checkContent(content.dir, { today: TODAY, maxAgeDays: 10_000 }).warnings.filter((w) => /no source supports/.test(w.message));
    expect(found.map((w) => w.message)).toEqual([`${field}: no source supports this fact (add it to a source's \`supports\`, or list the fact under \`unverified\`)`]);
  });
});

describe('words that lead to the wrong procedure', () => {
  const aliasWarningsOf = (dir: string) => checkContent(dir, { today: TODAY, maxAgeDays: 10_000 }).warnings.filter((w) => /alias|must not lead|should find|no entry/.test(w.message)).map(formatProblem);

  it('warns about an alias whose own entry is not found first', () => {
    // "tách hộ" put on khai-sinh: the finder sends it to thuong-tru, whose keywords have it.
    const entries = { ...SMALL_CATALOG, 'khai-sinh.yaml': SMALL_CATALOG['khai-sinh.yaml']!.replace('  - khai sinh cho em bé', '  - khai sinh cho em bé\n  - tách hộ') };
    content = makeContentDir(entries);
    expect(aliasWarningsOf(content.dir)).toEqual(['content/procedures/khai-sinh.yaml:9:5 [entry khai-sinh]: alias "tách hộ": the finder puts thuong-tru first (an alias must lead to its own entry: remove it, or fix the entry that takes it)']);
  });

  it('is quiet when every alias finds its entry', () => {
    content = makeContentDir(SMALL_CATALOG);
    expect(aliasWarningsOf(content.dir)).toEqual([]);
  });

  it('warns about a phrase of the distinct table that reaches its look-alike, or misses its entry', () => {
    content = makeContentDir(SMALL_CATALOG);
    writeFileSync(
      join(content.dir, 'distinct-procedures.yaml'),
      [
        'distinct:',
        '  - { phrase: tách hộ, not: thuong-tru, why: Tách hộ là thủ tục riêng. }',
        '  - { phrase: xin giấy xác nhận còn độc thân, finds: xac-nhan-tinh-trang-hon-nhan, why: Giấy độc thân. }',
        '  - { phrase: làm thẻ căn cước, finds: ket-hon, why: a rule that is wrong on purpose. }',
        '  - { phrase: tiền già, not: tro-cap-xa-hoi, why: no such entry here. }',
        '',
      ].join('\n'),
    );
    expect(aliasWarningsOf(content.dir)).toEqual([
      'content/distinct-procedures.yaml:2:5 [distinct-procedures]: "tách hộ" must not lead to thuong-tru (Tách hộ là thủ tục riêng.)',
      'content/distinct-procedures.yaml:4:5 [distinct-procedures]: "làm thẻ căn cước" should find ket-hon first, the finder puts can-cuoc first (a rule that is wrong on purpose.)',
      'content/distinct-procedures.yaml:5:5 [distinct-procedures]: "tiền già": no entry tro-cap-xa-hoi in the catalog',
    ]);
  });

  it('refuses a broken table with its line', () => {
    content = makeContentDir(SMALL_CATALOG);
    writeFileSync(join(content.dir, 'distinct-procedures.yaml'), 'distinct:\n  - { phrase: tách hộ, why: neither finds nor not }\n');
    const { problems } = checkContent(content.dir, { today: TODAY, maxAgeDays: 10_000 });
    expect(problems.map(formatProblem)).toEqual([expect.stringMatching(/^content\/distinct-procedures\.yaml:2:\d+ .*exactly one of `finds` or `not`/)]);
  });

  it('makes flows check print the warnings, and fail on a broken table', async () => {
    content = withLegalBasis(['Nghị định 175/2024/NĐ-CP']);
    copyFileSync(join(REAL_CONTENT_DIR, 'texts.yaml'), join(content.dir, 'texts.yaml'));
    const run = async () => {
      const output = new PassThrough();
      let out = '';
      output.on('data', (d) => (out += String(d)));
      const code = await runCli(['flows', 'check', '--content', content!.dir], { input: new PassThrough(), output, errors: new PassThrough() }, { flowsDir: 'flows', contentDir: content!.dir, sessionTtlSeconds: 3600 });
      return { code, out };
    };
    const warned = await run();
    expect(warned.code).toBe(0);
    expect(warned.out).toMatch(/^warning: content\/procedures\/ket-hon\.yaml:20:5 \[entry ket-hon\]: cites Nghị định 175\/2024\/NĐ-CP/m);
    writeFileSync(join(content.dir, 'replaced-documents.yaml'), 'replaced:\n  - { old: NĐ 175, new: 217/2026/NĐ-CP }\n');
    const broken = await run();
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/^content\/replaced-documents\.yaml:2:\d+ .*old: expected a document number/m);
  });
});

