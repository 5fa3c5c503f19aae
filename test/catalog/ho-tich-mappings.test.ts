import { describe, expect, it } from 'vitest';
import { createFinder } from '../../src/catalog/finder.js';
import { loadCatalog } from '../../src/catalog/load-catalog.js';
import { REAL_CONTENT_DIR } from './catalog-fixture.js';

// The civil-status (hộ tịch) and certification (chứng thực) entries of the real catalog: what a
// citizen's words lead to, and what the card then promises.
const { catalog } = loadCatalog(REAL_CONTENT_DIR, { allowProblems: true });
const finder = createFinder(catalog!);
const entries = catalog!.entries.filter((e) => e.group === 'ho-tich' || e.group === 'chung-thuc');
const entry = (id: string) => catalog!.byId.get(id);

describe('hộ tịch and chứng thực entries of the real catalog', () => {
  it.each(entries.flatMap((e) => [e.name, ...e.aliases].map((alias) => [e.id, alias] as const)))(
    '%s: its alias %j finds it first',
    (id, alias) => {
      expect(finder.search(alias, 3)[0]?.id).toBe(id);
    },
  );

  it.each([
    'kết hôn với người nước ngoài',
    'đăng ký kết hôn với người nước ngoài',
    'lấy chồng nước ngoài',
    'kết hôn với việt kiều',
  ])('a marriage with a foreign element (%j) leads to its own entry, not the domestic one', (query) => {
    const answer = finder.find(query);
    expect(answer.outcome).toBe('confident');
    expect(answer.results[0]?.id).toBe('ket-hon-nuoc-ngoai');
  });

  it.each(['đăng ký kết hôn', 'dk kh', 'lấy vợ', 'lấy chồng', 'cưới', 'đăng ký kết hôn với người cùng quê'])(
    'a domestic marriage (%j) still leads to ket-hon first',
    (query) => {
      expect(finder.search(query, 3)[0]?.id).toBe('ket-hon');
    },
  );

  it('promises the foreign-element time limit (Luật Hộ tịch Điều 38.2: 15 ngày), not the domestic "ngay"', () => {
    const foreign = entry('ket-hon-nuoc-ngoai');
    expect(foreign?.processing_time).toMatch(/15 ngày/);
    expect(foreign?.processing_time).not.toMatch(/^Ngay/);
    expect(entry('ket-hon')?.aliases.some((a) => /nước ngoài/.test(a))).toBe(false);
  });

  it('does not ask for a Giấy xác nhận tình trạng hôn nhân for a domestic marriage (NQ 66.7/2025 Điều 4.2c)', () => {
    expect(entry('ket-hon')?.documents.map((d) => d.name).join('\n')).not.toMatch(/tình trạng hôn nhân/i);
  });

  it('states the trích lục copy fee as the national 8.000 đồng, never an HĐND-set amount', () => {
    const items = entry('trich-luc-ho-tich')?.fee.items ?? [];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.amount_vnd).toBe(8000);
  });

  it('invents no chứng thực fee exemption for poor, elderly or disabled people (TT 226/2016 has none)', () => {
    for (const id of ['chung-thuc-ban-sao', 'chung-thuc-chu-ky', 'chung-thuc-hop-dong']) {
      const fee = entry(id)?.fee;
      const text = [fee?.summary, ...(fee?.exemptions ?? []), ...(fee?.items ?? []).map((i) => `${i.case} ${i.note ?? ''}`)].join('\n');
      expect(text, id).not.toMatch(/hộ nghèo|cao tuổi|khuyết tật|có công/i);
    }
  });

  it('cites no replaced civil-status text as in force (NĐ 158/2005, TT 15/2015/TT-BTP, Phòng Tư pháp)', () => {
    for (const e of entries) {
      const text = [e.handled_by, ...e.legal_basis].join('\n');
      expect(text, e.id).not.toMatch(/158\/2005|15\/2015\/TT-BTP|79\/2007|Phòng Tư pháp|cấp huyện nơi/);
    }
  });
});
