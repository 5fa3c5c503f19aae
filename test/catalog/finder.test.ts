import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFinder } from '../../src/catalog/finder.js';
import { loadCatalog } from '../../src/catalog/load-catalog.js';
import { createNaiveFinder } from '../../src/catalog/naive-finder.js';
import type { Finder } from '../../src/catalog/types.js';
import { makeContentDir, REAL_CONTENT_DIR, SMALL_CATALOG, type ContentDir } from './catalog-fixture.js';

describe('finder on a small catalog of look-alike entries', () => {
  let content: ContentDir;
  let finder: Finder;
  beforeAll(() => {
    content = makeContentDir(SMALL_CATALOG);
    const { catalog, problems } = loadCatalog(content.dir, { today: '2026-11-27' });
    expect(problems).toEqual([]);
    finder = createFinder(catalog!);
  });
  afterAll(() => content.remove());
  const top = (query: string) => finder.search(query)[0]?.id;

  it.each([
    ['đăng ký khai sinh', 'khai-sinh'],
    ['dang ky khai sinh', 'khai-sinh'],
    ['DANG KY KHAI SINH', 'khai-sinh'],
    ['dk ks cho be', 'khai-sinh'],
    ['khaisinh', 'khai-sinh'],
    ['dang ki khai sin', 'khai-sinh'],
    ['mat giay khai sinh goc', 'dang-ky-lai-khai-sinh'],
    ['xin giay doc than', 'xac-nhan-tinh-trang-hon-nhan'],
    ['lấy vợ', 'ket-hon'],
    ['dk kh', 'ket-hon'],
    ['tách hộ khẩu', 'thuong-tru'],
    ['nhap ho khau cho con', 'thuong-tru'],
    ['dk tam tru', 'tam-tru'],
    ['lam cmnd', 'can-cuoc'],
    ['làm cccd', 'can-cuoc'],
    ['sao y bằng đại học', 'chung-thuc-ban-sao'],
    ['thủy lợi', 'thuy-loi'],
    ['thuỷ lợi', 'thuy-loi'],
  ])('%s → %s', (query, id) => {
    expect(top(query)).toBe(id);
  });

  it('ranks the whole two-syllable word above its syllables found apart', () => {
    // "sinh" and "khai" both occur in other entries' text; only two hold "khai sinh" as a word.
    const ids = finder.search('khai sinh').map((r) => r.id);
    expect(ids.slice(0, 2).sort()).toEqual(['dang-ky-lai-khai-sinh', 'khai-sinh']);
  });

  it.each(['ok', 'xin chào', '??', '😀', '', '1', '2', '0912345678', 'nhà hàng hải sản', 'dự báo thời tiết', 'kết quả xổ số', 'asdfgh'])(
    'returns nothing for the out-of-scope query %j',
    (query) => {
      expect(finder.search(query)).toEqual([]);
      expect(finder.find(query)).toEqual({ outcome: 'none', results: [] });
    },
  );

  it('returns at most `limit` results, best first, with names and scores', () => {
    const results = finder.search('đăng ký', 2);
    expect(results.length).toBeLessThanOrEqual(2);
    for (const r of finder.search('khai sinh')) expect(r).toEqual({ id: expect.any(String), name: expect.any(String), score: expect.any(Number) });
    const scores = finder.search('khai sinh').map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('is confident on a clear query and asks when two entries fit equally', () => {
    expect(finder.find('đăng ký kết hôn').outcome).toBe('confident');
    expect(finder.find('đăng ký kết hôn').results[0]?.id).toBe('ket-hon');
    expect(finder.find('đăng ký').outcome).not.toBe('confident');
  });
});

describe('finder on the real catalog and the held-out query sets in test/catalog', () => {
  const { catalog } = loadCatalog(REAL_CONTENT_DIR, { allowProblems: true });
  const cases = ['heldout-queries.tsv', 'heldout-2-queries.tsv', 'heldout-3-queries.tsv', 'heldout-4-oos-queries.tsv']
    .flatMap((file) => readFileSync(join(import.meta.dirname, file), 'utf8').split('\n'))
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [query = '', ids = '-'] = line.split('\t');
      return { query, accepted: ids === '-' ? [] : ids.split(',') };
    })
    // Entries still being written are left out rather than counted as misses.
    .filter((c) => c.accepted.length === 0 || c.accepted.some((id) => catalog?.byId.has(id)));

  const score = (finder: Finder) => {
    let top1 = 0;
    let top3 = 0;
    let rejected = 0;
    const inScope = cases.filter((c) => c.accepted.length > 0);
    for (const c of cases) {
      const ids = finder.search(c.query).map((r) => r.id);
      if (c.accepted.length === 0) rejected += ids.length === 0 ? 1 : 0;
      else {
        top1 += c.accepted.includes(ids[0] ?? '') ? 1 : 0;
        top3 += ids.slice(0, 3).some((id) => c.accepted.includes(id)) ? 1 : 0;
      }
    }
    return { top1: top1 / inScope.length, top3: top3 / inScope.length, rejected, outOfScope: cases.length - inScope.length };
  };

  it('finds the right entry first for at least 90% and rejects nearly all out-of-scope queries', () => {
    const result = score(createFinder(catalog!));
    expect(result.top1).toBeGreaterThanOrEqual(0.9);
    expect(result.top3).toBeGreaterThanOrEqual(0.95);
    expect(result.rejected / result.outOfScope).toBeGreaterThanOrEqual(0.85);
  });

  it('beats the naive baseline by a wide margin', () => {
    const finder = score(createFinder(catalog!));
    const naive = score(createNaiveFinder(catalog!));
    expect(finder.top1 - naive.top1).toBeGreaterThan(0.1);
    expect(finder.rejected).toBeGreaterThan(naive.rejected);
  });
});

describe('finder: close neighbours and generic pairs on the real catalog', () => {
  const { catalog } = loadCatalog(REAL_CONTENT_DIR, { allowProblems: true });
  const finder = createFinder(catalog!);
  const first = (query: string) => finder.search(query)[0]?.id;

  it('ranks a single procedure before the combined service that also holds its words', () => {
    expect(first('thẻ cho con 10 tuổi có cần bố mẹ đi theo')).toBe('can-cuoc');
    expect(first('dùng thẻ khám bệnh trên điện thoại được không')).toBe('bhyt');
    // The combined service still answers a question about its parts together.
    expect(first('khai sinh thường trú bhyt cho bé cùng lúc')).toBe('lien-thong-khai-sinh');
  });

  it('keeps an English question that names an outside topic in passing when an alias pair of the best entry matched', () => {
    expect(first("I need a copy of my birth certificate for a visa application, the original is at my parents' house in Vietnam.")).toBe('trich-luc-ho-tich');
    expect(first("I forgot my VNeID password and I've changed my phone number since.")).toBe('vneid');
    expect(finder.search('how do I apply for a visa extension')).toEqual([]);
  });

  it('takes an employer or a centre named in passing as no evidence for an entry', () => {
    expect(finder.search('công ty không trả lương tháng này')).toEqual([]);
    expect(finder.search('Vợ chồng tôi muốn nhận con nuôi một bé ở trung tâm bảo trợ thì thủ tục thế nào ạ?')).toEqual([]);
    expect(first('mở công ty cổ phần cần giấy tờ gì')).toBe('thanh-lap-doanh-nghiep');
  });
});
