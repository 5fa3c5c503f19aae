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
