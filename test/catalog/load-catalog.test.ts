import { afterEach, describe, expect, it } from 'vitest';
import { checkContent } from '../../src/catalog/check-content.js';
import { loadCatalog } from '../../src/catalog/load-catalog.js';
import { formatProblem } from '../../src/flow/yaml-source.js';
import { entryYaml, makeContentDir, type ContentDir } from './catalog-fixture.js';

const TODAY = '2026-11-27';
let content: ContentDir | undefined;
afterEach(() => content?.remove());

const valid = () => entryYaml('ket-hon', { name: 'Đăng ký kết hôn', keywords: ['cưới'] });
const messages = (dir: string) => loadCatalog(dir, { today: TODAY }).problems.map(formatProblem);

describe('loadCatalog', () => {
  it('loads valid content into entries, byId, unit and synonyms', () => {
    content = makeContentDir({ 'ket-hon.yaml': valid(), 'khai-sinh.yaml': entryYaml('khai-sinh', { name: 'Đăng ký khai sinh' }) });
    const { catalog, problems } = loadCatalog(content.dir, { today: TODAY });
    expect(problems).toEqual([]);
    expect(catalog?.entries.map((e) => e.id)).toEqual(['ket-hon', 'khai-sinh']);
    expect(catalog?.byId.get('khai-sinh')?.name).toBe('Đăng ký khai sinh');
    expect(catalog?.unit.short_name).toBe('Phường Tam Thắng');
    expect(catalog?.synonyms.abbreviations.dk).toEqual(['đăng ký']);
    expect(catalog?.files.get('ket-hon')).toBe('content/procedures/ket-hon.yaml');
  });

  it('names file and line of a missing field and of a wrong type', () => {
    const broken = valid()
      .replace('name: Đăng ký kết hôn\n', '')
      .replace('    count: 1', '    count: một');
    content = makeContentDir({ 'ket-hon.yaml': broken });
    const found = messages(content.dir);
    expect(found).toContainEqual(expect.stringMatching(/^content\/procedures\/ket-hon\.yaml:1:1 \[entry ket-hon\]: name: .*expected string/));
    // documents.0.count is on line 12 once `name` is gone.
    expect(found).toContainEqual(expect.stringMatching(/^content\/procedures\/ket-hon\.yaml:12:12 \[entry ket-hon\]: documents\.0\.count: /));
    expect(loadCatalog(content.dir, { today: TODAY }).catalog).toBeUndefined();
  });

  it('refuses http and malformed URLs, impossible and future dates, unknown fields', () => {
    const broken = valid()
      .replace('source: https://dichvucong.gov.vn', 'source: http://dichvucong.gov.vn')
      .replace('  url: https://dichvucong.gov.vn', '  url: dichvucong.gov.vn')
      .replace('reviewed_on: 2026-09-12', 'reviewed_on: 2026-02-30')
      .replace('kind: procedure', 'kind: procedure\nalias: cưới');
    content = makeContentDir({ 'ket-hon.yaml': broken, 'khai-sinh.yaml': entryYaml('khai-sinh', { name: 'Đăng ký khai sinh', reviewedOn: '2027-01-05' }) });
    const found = messages(content.dir);
    expect(found).toContainEqual(expect.stringMatching(/ket-hon\.yaml:23:9 .*source: expected an https:\/\/ URL/));
    expect(found).toContainEqual(expect.stringMatching(/ket-hon\.yaml:20:8 .*online\.url: expected an https:\/\/ URL/));
    expect(found).toContainEqual(expect.stringMatching(/ket-hon\.yaml:24:14 .*reviewed_on: expected a real date/));
    expect(found).toContainEqual(expect.stringMatching(/ket-hon\.yaml:3:8 .*alias: unknown field/));
    expect(found).toContainEqual(expect.stringMatching(/khai-sinh\.yaml:22:14 .*reviewed_on 2027-01-05 is in the future \(today is 2026-11-27\)/));
  });

  it('requires the id to equal the file name and to be unique', () => {
    content = makeContentDir({ 'ket-hon.yaml': valid(), 'ket-hon-2.yaml': valid() });
    const found = messages(content.dir);
    expect(found).toContainEqual('content/procedures/ket-hon-2.yaml:1:5 [entry ket-hon-2]: id "ket-hon" must equal the file name "ket-hon-2"');
    expect(found).toContainEqual('content/procedures/ket-hon.yaml:1:5 [entry ket-hon]: duplicate id "ket-hon" (also in content/procedures/ket-hon-2.yaml)');
  });

  it('reports YAML syntax errors with their position, and a bad synonyms file', () => {
    content = makeContentDir({ 'ket-hon.yaml': valid().replace('handled_by: UBND cấp xã', 'handled_by: [UBND cấp xã') });
    content.writeEntry('../synonyms.yaml', 'abbreviations:\n  dk: 3\n');
    const found = messages(content.dir);
    expect(found.some((m) => m.startsWith('content/procedures/ket-hon.yaml:'))).toBe(true);
    expect(found).toContainEqual(expect.stringMatching(/^content\/synonyms\.yaml:2:7 \[synonyms\]: abbreviations\.dk: /));
  });

  it('checks the links inside an entry: conditions, alternatives, document and case ids', () => {
    const documents = [
      'documents:',
      '  - { id: chung-sinh, name: Giấy chứng sinh }',
      '  - { id: chung-sinh, name: Bản sao giấy chứng sinh }',
      '  - { name: Văn bản làm chứng, when: nếu không có giấy chứng sinh, instead_of: cam-doan }',
      '  - { name: Văn bản mang thai hộ, when: nếu mang thai hộ, if: mang-thai }',
      '  - { name: Giấy tờ khác, when: nếu cần, if: nho-lam, on_request: true }',
      'conditions:',
      '  - { id: nho-lam, ask: Anh/chị có nhờ người khác làm thay không ạ? }',
      '  - { id: khong-dung, ask: Câu hỏi không dùng? }',
      'cases:',
      '  - { id: lan-dau, name: Lần đầu }',
      '  - { id: lan-dau, name: Cấp lại }',
    ].join('\n');
    content = makeContentDir({ 'ket-hon.yaml': valid().replace(/documents:\n(  .*\n)+/, `${documents}\n`) });
    const found = messages(content.dir).map((m) => m.replace(/^content\/procedures\/ket-hon\.yaml:\d+:\d+ \[entry ket-hon\]: /, ''));
    expect(found).toEqual([
      'duplicate document id "chung-sinh"',
      'instead_of "cam-doan" must name the id of an earlier document',
      'unknown condition "mang-thai" (conditions: nho-lam, khong-dung)',
      'a document takes one of `if`, `instead_of`, `on_request` or `at_desk`, not several',
      'condition "khong-dung" is used by no document',
      'duplicate case id "lan-dau"',
    ]);
  });

  // Round 20: an entry may list several cases, each with its own entry instead (or none).
  it('reads not_when as one case or a list of cases, each see naming another entry', () => {
    const cases = (second: string) => valid().replace(/^keywords:/m, `not_when:\n  - see: khai-sinh\n    says: [vẫn còn lưu sổ]\n  - says: [khai tử lại]\n  - see: ${second}\n    says: [chưa từng khai sinh]\nkeywords:`);
    content = makeContentDir({ 'ket-hon.yaml': cases('khai-sinh'), 'khai-sinh.yaml': entryYaml('khai-sinh', { name: 'Đăng ký khai sinh' }) });
    expect(messages(content.dir)).toEqual([]);
    content.remove();
    content = makeContentDir({ 'ket-hon.yaml': cases('khai-sinh-muon'), 'khai-sinh.yaml': entryYaml('khai-sinh', { name: 'Đăng ký khai sinh' }) });
    expect(messages(content.dir)).toEqual([expect.stringMatching(/^content\/procedures\/ket-hon\.yaml:\d+:\d+ \[entry ket-hon\]: not_when\.see: "khai-sinh-muon" is not another entry of the catalog$/)]);
  });

  it('requires not_when.see to name another entry', () => {
    const notWhen = (see: string) => valid().replace(/^keywords:/m, `not_when:\n  see: ${see}\n  says: [vẫn còn lưu sổ]\nkeywords:`);
    content = makeContentDir({ 'ket-hon.yaml': notWhen('trich-luc'), 'khai-sinh.yaml': entryYaml('khai-sinh', { name: 'Đăng ký khai sinh' }).replace(/^keywords:/m, 'not_when:\n  see: khai-sinh\n  says: [x]\nkeywords:') });
    expect(messages(content.dir)).toEqual([
      expect.stringMatching(/^content\/procedures\/ket-hon\.yaml:\d+:\d+ \[entry ket-hon\]: not_when\.see: "trich-luc" is not another entry of the catalog$/),
      expect.stringMatching(/^content\/procedures\/khai-sinh\.yaml:\d+:\d+ \[entry khai-sinh\]: not_when\.see: "khai-sinh" is not another entry of the catalog$/),
    ]);
    content.remove();
    content = makeContentDir({ 'ket-hon.yaml': notWhen('khai-sinh'), 'khai-sinh.yaml': entryYaml('khai-sinh', { name: 'Đăng ký khai sinh' }) });
    expect(messages(content.dir)).toEqual([]);
  });

  it('with allowProblems, still returns the entries that validated', () => {
    content = makeContentDir({ 'ket-hon.yaml': valid(), 'khai-sinh.yaml': 'id: khai-sinh\n' });
    const { catalog, problems } = loadCatalog(content.dir, { today: TODAY, allowProblems: true });
    expect(problems.length).toBeGreaterThan(0);
    expect(catalog?.entries.map((e) => e.id)).toEqual(['ket-hon']);
  });
});

describe('checkContent', () => {
  it('lists entries reviewed longer ago than maxAgeDays as warnings, oldest first', () => {
    content = makeContentDir({
      'ket-hon.yaml': entryYaml('ket-hon', { name: 'Đăng ký kết hôn', reviewedOn: '2025-01-10' }),
      'khai-sinh.yaml': entryYaml('khai-sinh', { name: 'Đăng ký khai sinh', reviewedOn: '2026-11-01' }),
      'khai-tu.yaml': entryYaml('khai-tu', { name: 'Đăng ký khai tử', reviewedOn: '2026-05-01' }),
    });
    const result = checkContent(content.dir, { today: TODAY, maxAgeDays: 180 });
    expect(result.problems).toEqual([]);
    expect(result.stale).toEqual([
      { id: 'ket-hon', file: 'content/procedures/ket-hon.yaml', reviewedOn: '2025-01-10', ageDays: 686 },
      { id: 'khai-tu', file: 'content/procedures/khai-tu.yaml', reviewedOn: '2026-05-01', ageDays: 210 },
    ]);
    expect(checkContent(content.dir, { today: TODAY, maxAgeDays: 1000 }).stale).toEqual([]);
  });

  it('warns about facts no source supports and conditional documents the checklist cannot decide', () => {
    const entry = valid()
      .replace('    count: 1\n', '    count: 1\n    when: nếu có\n')
      .replace('reviewed_on:', 'sources:\n  - { doc: Luật Hộ tịch 2014, article: Điều 18, supports: [documents, fee, handled_by] }\nreviewed_on:');
    content = makeContentDir({ 'ket-hon.yaml': entry });
    const { problems, warnings } = checkContent(content.dir, { today: TODAY, maxAgeDays: 180 });
    expect(problems).toEqual([]);
    expect(warnings.map(formatProblem)).toEqual([
      expect.stringMatching(/^content\/procedures\/ket-hon\.yaml:17:18 \[entry ket-hon\]: processing_time: no source supports this fact/),
      expect.stringMatching(/^content\/procedures\/ket-hon\.yaml:19:3 \[entry ket-hon\]: online: no source/),
      expect.stringMatching(/^content\/procedures\/ket-hon\.yaml:22:3 \[entry ket-hon\]: legal_basis: no source/),
      expect.stringMatching(/^content\/procedures\/ket-hon\.yaml:14:11 \[entry ket-hon\]: conditional document: say how the checklist decides it/),
    ]);
  });
});
