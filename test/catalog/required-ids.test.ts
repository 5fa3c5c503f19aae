import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load-catalog.js';
import { REAL_CONTENT_DIR } from './catalog-fixture.js';

// Copied from shared/catalog-ids.yaml (outside the repo): evaluation sets refer to these ids,
// so each must exist, spelled exactly so, with its kind and group.
const REQUIRED: [id: string, kind: 'procedure' | 'guide', group: string][] = [
  ['khai-sinh', 'procedure', 'ho-tich'],
  ['lien-thong-khai-sinh', 'procedure', 'ho-tich'],
  ['dang-ky-lai-khai-sinh', 'procedure', 'ho-tich'],
  ['khai-tu', 'procedure', 'ho-tich'],
  ['lien-thong-khai-tu', 'procedure', 'ho-tich'],
  ['ket-hon', 'procedure', 'ho-tich'],
  ['xac-nhan-tinh-trang-hon-nhan', 'procedure', 'ho-tich'],
  ['nhan-cha-me-con', 'procedure', 'ho-tich'],
  ['giam-ho', 'procedure', 'ho-tich'],
  ['thay-doi-cai-chinh-ho-tich', 'procedure', 'ho-tich'],
  ['trich-luc-ho-tich', 'procedure', 'ho-tich'],
  ['chung-thuc-ban-sao', 'procedure', 'chung-thuc'],
  ['chung-thuc-chu-ky', 'procedure', 'chung-thuc'],
  ['chung-thuc-hop-dong', 'procedure', 'chung-thuc'],
  ['thuong-tru', 'procedure', 'cu-tru'],
  ['tam-tru', 'procedure', 'cu-tru'],
  ['tam-vang', 'procedure', 'cu-tru'],
  ['xac-nhan-cu-tru', 'procedure', 'cu-tru'],
  ['can-cuoc', 'procedure', 'giay-to'],
  ['vneid', 'guide', 'giay-to'],
  ['ho-chieu', 'procedure', 'giay-to'],
  ['dang-ky-xe', 'procedure', 'giay-to'],
  ['doi-bang-lai', 'procedure', 'giay-to'],
  ['ly-lich-tu-phap', 'procedure', 'giay-to'],
  ['tro-cap-xa-hoi', 'procedure', 'xa-hoi'],
  ['ho-tro-mai-tang', 'procedure', 'xa-hoi'],
  ['xac-nhan-khuyet-tat', 'procedure', 'xa-hoi'],
  ['ho-ngheo', 'procedure', 'xa-hoi'],
  ['bhyt', 'procedure', 'xa-hoi'],
  ['tro-cap-that-nghiep', 'procedure', 'xa-hoi'],
  ['xac-nhan-vay-von', 'procedure', 'xa-hoi'],
  ['ho-kinh-doanh', 'procedure', 'kinh-doanh'],
  ['thanh-lap-doanh-nghiep', 'procedure', 'kinh-doanh'],
  ['giay-phep-xay-dung', 'procedure', 'dat-dai'],
  ['so-do-lan-dau', 'procedure', 'dat-dai'],
  ['bien-dong-dat-dai', 'procedure', 'dat-dai'],
  ['nghia-vu-quan-su', 'procedure', 'khac'],
  ['phan-anh-kien-nghi', 'guide', 'khac'],
  ['huong-dan-dvc', 'guide', 'truc-tuyen'],
  ['tra-cuu-ho-so', 'guide', 'truc-tuyen'],
  ['thanh-toan-truc-tuyen', 'guide', 'truc-tuyen'],
];

describe('the content catalog', () => {
  const { catalog, problems } = loadCatalog(REAL_CONTENT_DIR);

  it('loads without problems', () => {
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`)).toEqual([]);
  });

  it.each(REQUIRED)('has the required entry %s (%s, %s)', (id, kind, group) => {
    const entry = catalog?.byId.get(id);
    expect(entry, `content/procedures/${id}.yaml`).toBeDefined();
    expect(entry?.kind).toBe(kind);
    expect(entry?.group).toBe(group);
  });
});
