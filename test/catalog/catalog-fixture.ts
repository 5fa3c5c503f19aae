/**
 * @module Builds throw-away content directories for catalog tests: a valid unit, the real
 * synonyms file, and procedure entries written as YAML text (so a test can break one line).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REAL_CONTENT_DIR = join(import.meta.dirname, '..', '..', 'content');

/** A complete, valid entry as YAML; `name` and `aliases`/`keywords` vary per test. */
export function entryYaml(id: string, fields: { name: string; aliases?: string[]; keywords?: string[]; summary?: string; reviewedOn?: string }): string {
  const list = (items: string[] = []) => (items.length === 0 ? ' []' : `\n${items.map((i) => `  - ${i}`).join('\n')}`);
  return [
    `id: ${id}`,
    'kind: procedure',
    `name: ${fields.name}`,
    'group: ho-tich',
    `summary: ${fields.summary ?? `${fields.name} tại UBND cấp xã.`}`,
    `aliases:${list(fields.aliases)}`,
    `keywords:${list(fields.keywords)}`,
    'handled_by: UBND cấp xã',
    'documents:',
    '  - name: Tờ khai theo mẫu',
    '    form: bản chính',
    '    count: 1',
    'fee:',
    '  summary: Miễn lệ phí.',
    'processing_time: Trong ngày.',
    'online:',
    '  level: full',
    '  url: https://dichvucong.gov.vn',
    'legal_basis:',
    '  - Luật Hộ tịch 2014',
    'source: https://dichvucong.gov.vn',
    `reviewed_on: ${fields.reviewedOn ?? '2026-09-12'}`,
    '',
  ].join('\n');
}

export interface ContentDir {
  dir: string;
  writeEntry(fileName: string, yaml: string): void;
  remove(): void;
}

/** A temp `content/` with the real unit.yaml and synonyms.yaml and the given entries. */
export function makeContentDir(entries: Record<string, string> = {}): ContentDir {
  const root = mkdtempSync(join(tmpdir(), 'catalog-test-'));
  const dir = join(root, 'content');
  mkdirSync(join(dir, 'procedures'), { recursive: true });
  copyFileSync(join(REAL_CONTENT_DIR, 'unit.yaml'), join(dir, 'unit.yaml'));
  copyFileSync(join(REAL_CONTENT_DIR, 'synonyms.yaml'), join(dir, 'synonyms.yaml'));
  const writeEntry = (fileName: string, yaml: string) => writeFileSync(join(dir, 'procedures', fileName), yaml);
  for (const [fileName, yaml] of Object.entries(entries)) writeEntry(fileName, yaml);
  return { dir, writeEntry, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A small catalog of look-alike entries, for ranking tests that must not depend on content/. */
export const SMALL_CATALOG: Record<string, string> = {
  'khai-sinh.yaml': entryYaml('khai-sinh', {
    name: 'Đăng ký khai sinh',
    aliases: ['làm giấy khai sinh cho con', 'khai sinh cho em bé'],
    keywords: ['khai sinh', 'giấy chứng sinh', 'trẻ sơ sinh'],
    summary: 'Đăng ký khai sinh cho trẻ mới sinh để được cấp Giấy khai sinh.',
  }),
  'dang-ky-lai-khai-sinh.yaml': entryYaml('dang-ky-lai-khai-sinh', {
    name: 'Đăng ký lại khai sinh',
    aliases: ['mất giấy khai sinh gốc', 'làm lại giấy khai sinh'],
    keywords: ['đăng ký lại', 'mất sổ hộ tịch'],
    summary: 'Khi giấy khai sinh đã mất và sổ hộ tịch không còn lưu.',
  }),
  'ket-hon.yaml': entryYaml('ket-hon', {
    name: 'Đăng ký kết hôn',
    aliases: ['làm giấy đăng ký kết hôn', 'làm giấy kết hôn'],
    keywords: ['kết hôn', 'cưới', 'lấy vợ', 'lấy chồng'],
    summary: 'Đăng ký kết hôn giữa hai công dân Việt Nam cư trú trong nước.',
  }),
  'xac-nhan-tinh-trang-hon-nhan.yaml': entryYaml('xac-nhan-tinh-trang-hon-nhan', {
    name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
    aliases: ['xin giấy xác nhận còn độc thân'],
    keywords: ['tình trạng hôn nhân', 'độc thân'],
    summary: 'Giấy xác nhận một người đang độc thân hoặc đã kết hôn.',
  }),
  'thuong-tru.yaml': entryYaml('thuong-tru', {
    name: 'Đăng ký thường trú',
    aliases: ['nhập hộ khẩu', 'chuyển hộ khẩu'],
    keywords: ['thường trú', 'hộ khẩu', 'tách hộ'],
    summary: 'Đăng ký nơi thường trú với Công an cấp xã.',
  }),
  'tam-tru.yaml': entryYaml('tam-tru', {
    name: 'Đăng ký tạm trú',
    aliases: ['khai báo tạm trú cho người thuê nhà'],
    keywords: ['tạm trú', 'nhà trọ'],
    summary: 'Đăng ký tạm trú khi ở nơi khác nơi thường trú từ 30 ngày.',
  }),
  'can-cuoc.yaml': entryYaml('can-cuoc', {
    name: 'Cấp, cấp đổi, cấp lại thẻ căn cước',
    aliases: ['làm thẻ căn cước', 'đổi chứng minh nhân dân sang căn cước'],
    keywords: ['căn cước', 'căn cước công dân'],
    summary: 'Cấp thẻ căn cước cho công dân Việt Nam.',
  }),
  'chung-thuc-ban-sao.yaml': entryYaml('chung-thuc-ban-sao', {
    name: 'Chứng thực bản sao từ bản chính',
    aliases: ['công chứng giấy tờ'],
    keywords: ['chứng thực', 'bản sao'],
    summary: 'Chứng thực bản sao giấy tờ, văn bằng từ bản chính.',
  }),
  'thuy-loi.yaml': entryYaml('thuy-loi', {
    name: 'Cấp phép công trình thuỷ lợi',
    aliases: ['xin phép làm mương thuỷ lợi'],
    keywords: ['thuỷ lợi', 'kênh mương'],
    summary: 'Giấy phép cho hoạt động trong phạm vi bảo vệ công trình thuỷ lợi.',
  }),
};

/** A temp `content/` the whole assistant can run on: the real texts too, English included (and the phrasebook when asked). */
export function makeAssistantContentDir(entries: Record<string, string>, options: { phrasebook?: boolean } = {}): ContentDir {
  const content = makeContentDir(entries);
  copyFileSync(join(REAL_CONTENT_DIR, 'texts.yaml'), join(content.dir, 'texts.yaml'));
  copyFileSync(join(REAL_CONTENT_DIR, 'texts.en.yaml'), join(content.dir, 'texts.en.yaml'));
  if (options.phrasebook) copyFileSync(join(REAL_CONTENT_DIR, 'phrasebook.yaml'), join(content.dir, 'phrasebook.yaml'));
  return content;
}

/**
 * Entries with every way a document can be conditional, and an entry filed differently per case,
 * for the checklist and guide tests: the real catalog may not hold each of these yet.
 */
export const CONDITIONAL_CATALOG: Record<string, string> = {
  'giay-to-dieu-kien.yaml': `id: giay-to-dieu-kien
kind: procedure
name: Thủ tục mẫu có giấy tờ theo điều kiện
group: ho-tich
summary: Một thủ tục mẫu có đủ các loại giấy tờ theo điều kiện.
aliases: []
keywords: [giấy tờ theo điều kiện]
handled_by: UBND cấp xã
documents:
  - name: Tờ khai theo mẫu
    form: bản chính
  - id: giay-goc
    name: Giấy gốc do bệnh viện cấp
    form: bản chính
  - id: giay-thay
    name: Văn bản xác nhận thay giấy gốc
    when: nếu không có giấy gốc
    instead_of: giay-goc
  - name: Giấy cam đoan thay văn bản xác nhận
    when: nếu cũng không có văn bản xác nhận
    instead_of: giay-thay
  - name: Văn bản ủy quyền có chứng thực
    when: nếu nhờ người khác đi làm thay
    if: nho-nguoi-khac
  - name: Giấy tờ tùy thân của người được ủy quyền
    form: xuất trình
    when: nếu nhờ người khác đi làm thay
    if: nho-nguoi-khac
  - name: Giấy xác nhận của cơ sở y tế
    when: nếu bé sinh ra nhờ mang thai hộ
    if: mang-thai-ho
  - name: Giấy xác nhận nơi cư trú
    when: chỉ khi không tra được trong cơ sở dữ liệu dân cư
    on_request: true
  - name: Giấy tờ chứng minh đã ly hôn
    form: bản sao
    when: nếu đã từng kết hôn
  - name: Thẻ căn cước của người đi làm
    form: xuất trình
conditions:
  - { id: nho-nguoi-khac, ask: Anh/chị có nhờ người khác đi làm thay không ạ? }
  - { id: mang-thai-ho, ask: Bé có được sinh ra nhờ kỹ thuật mang thai hộ không ạ? }
fee:
  summary: Miễn lệ phí.
processing_time: Trong ngày.
online:
  level: full
  url: https://dichvucong.gov.vn
  steps:
    - Tìm thủ tục và chọn UBND phường.
    - Điền tờ khai và tải ảnh giấy tờ lên.
    - Nhận kết quả bản điện tử.
legal_basis:
  - Luật Hộ tịch 2014
source: https://dichvucong.gov.vn
reviewed_on: 2026-09-12
`,
  'theo-truong-hop.yaml': `id: theo-truong-hop
kind: procedure
name: Cấp thẻ mẫu theo trường hợp
group: giay-to
summary: Một thủ tục mẫu nộp khác nhau tùy trường hợp.
aliases: []
keywords: [thẻ mẫu]
handled_by: Công an cấp xã
documents:
  - name: Tờ khai theo mẫu
    form: bản điện tử
fee:
  summary: Cấp lần đầu miễn phí; cấp lại có thu lệ phí.
processing_time: Không quá 07 ngày làm việc.
online:
  level: partial
  url: https://dichvucong.bocongan.gov.vn
  portal: Cổng Dịch vụ công Bộ Công an
  steps:
    - Chọn thủ tục cấp thẻ.
    - Đặt lịch hẹn.
    - Đến Công an theo lịch hẹn để chụp ảnh.
cases:
  - id: lan-dau
    name: Cấp lần đầu
    online:
      level: partial
      url: https://dichvucong.bocongan.gov.vn/lan-dau
      portal: Cổng Dịch vụ công Bộ Công an
      steps:
        - Chọn thủ tục cấp thẻ lần đầu.
        - Đặt lịch hẹn ở Công an phường.
        - Đến đúng hẹn để chụp ảnh, lấy vân tay.
  - id: mat-the
    name: Cấp lại do mất thẻ
    online:
      level: full
      url: https://dichvucong.bocongan.gov.vn/cap-lai
      portal: Cổng Dịch vụ công Bộ Công an
      steps:
        - Chọn thủ tục cấp lại thẻ.
        - Nộp lệ phí trực tuyến.
        - Nhận thẻ qua bưu điện.
    fee_summary: Thu lệ phí cấp lại theo quy định.
    processing_time: Không quá 05 ngày làm việc.
  - id: khong-truc-tuyen
    name: Trường hợp chưa làm trên mạng
    online:
      level: none
legal_basis:
  - Luật Căn cước 2023
source: https://dichvucong.bocongan.gov.vn
reviewed_on: 2026-09-12
`,
};
