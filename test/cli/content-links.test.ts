/**
 * `content links`: offline, every link of the real catalog has a confirmed URL form; online,
 * against local fake portals over real HTTP, it reports each link's status and whether the page
 * (or the national portal's record behind it) names the procedure, and fails on a link that
 * opens the wrong procedure or a retired page.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/channels/cli/run-cli.js';
import { entryYaml, makeContentDir, type ContentDir } from '../catalog/catalog-fixture.js';
import { startFakeNationalPortal, startFakePolicePortal, type FakePortal } from '../helpers/fake-portals.js';

async function contentLinks(args: string[], contentDir = 'content') {
  const output = new PassThrough();
  const errors = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (d) => (out += String(d)));
  errors.on('data', (d) => (err += String(d)));
  const code = await runCli(['content', 'links', ...args], { input: new PassThrough(), output, errors }, { flowsDir: 'flows', contentDir, sessionTtlSeconds: 3600 });
  return { code, out, err, lines: out.trimEnd().split('\n') };
}

const KHAI_SINH = '019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7';
const KET_HON = '019d2bfd-3fac-7489-b53b-a15eb239a6fe';

/** One fixture entry whose online link is `url`, recorded as opening `opens`. */
function entryWithLink(id: string, name: string, url: string, opens: string, code?: string): string {
  return entryYaml(id, { name })
    .replace('kind: procedure\n', `kind: procedure\n${code ? `code: "${code}"\n` : ''}`)
    .replace('  url: https://dichvucong.gov.vn\n', `  url: ${url}\n  link: { opens: ${opens}, confirmed_by: portal-copy, checked_on: 2026-12-01 }\n`);
}

describe('content links, offline', () => {
  it('finds every link of the real catalog on a confirmed form, each saying how it was confirmed', async () => {
    const { code, lines } = await contentLinks(['--jsonl']);
    const rows = lines.filter((l) => !l.startsWith('#')).map((l) => JSON.parse(l) as { entry: string; field: string; check: string; opens?: string; confirmed_by?: string });
    const online = rows.filter((r) => r.field === 'online.url');
    expect(online.length).toBeGreaterThanOrEqual(40);
    expect(online.filter((r) => r.check !== 'ok')).toEqual([]);
    expect(online.every((r) => r.opens && r.confirmed_by)).toBe(true);
    expect(code).toBe(0);
  });

  it('refuses the retired ?ma_thu_tuc= form, an unknown portal and a link that does not open what it says', async () => {
    const content: ContentDir = makeContentDir({
      'khai-sinh.yaml': entryWithLink('khai-sinh', 'Đăng ký khai sinh', 'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193', 'procedure', '1.001193'),
      'ket-hon.yaml': entryWithLink('ket-hon', 'Đăng ký kết hôn', 'https://dichvucong.example.gov.vn/tthc/1', 'procedure'),
      'khai-tu.yaml': entryWithLink('khai-tu', 'Đăng ký khai tử', 'https://dichvucong.gov.vn/dvc-ket-qua-thu-tuc?keyword=khai%20t%E1%BB%AD', 'procedure'),
    });
    try {
      const { code, out } = await contentLinks([], content.dir);
      expect(code).toBe(1);
      expect(out).toMatch(/^✗ khai-sinh online\.url .* retired form/m);
      expect(out).toMatch(/^✗ ket-hon online\.url .* no confirmed URL form for dichvucong\.example\.gov\.vn/m);
      expect(out).toMatch(/^✗ khai-tu online\.url .* link\.opens is procedure, but this URL opens the search/m);
      expect(out).toMatch(/3 to fix/);
    } finally {
      content.remove();
    }
  });
});

describe('content links --online, against local fake portals', () => {
  let national: FakePortal;
  let police: FakePortal;
  let content: ContentDir;

  beforeAll(async () => {
    national = await startFakeNationalPortal([
      { id: KHAI_SINH, name: 'Thủ tục đăng ký khai sinh', code: '1.001193' },
      // The id the kết hôn entry links to belongs to another procedure on this portal.
      { id: KET_HON, name: 'Thủ tục đăng ký lại kết hôn', code: '1.004746' },
      { id: '019d2bfe-b7e6-740b-9573-24f800e8664d', name: 'Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng', code: '1.001776' },
    ]);
    police = await startFakePolicePortal([{ matt: '26360', id: '26360', name: 'Đăng ký thường trú', code: '1.004222' }]);
    content = makeContentDir({
      'khai-sinh.yaml': entryWithLink('khai-sinh', 'Đăng ký khai sinh', `https://dichvucong.gov.vn/thu-tuc-hanh-chinh/${KHAI_SINH}`, 'procedure', '1.001193'),
      'ket-hon.yaml': entryWithLink('ket-hon', 'Đăng ký kết hôn', `https://dichvucong.gov.vn/thu-tuc-hanh-chinh/${KET_HON}`, 'procedure', '1.000894'),
      'thuong-tru.yaml': entryWithLink('thuong-tru', 'Đăng ký thường trú', 'https://dichvucong.bocongan.gov.vn/bocongan/bothutuc/tthc?matt=26360', 'procedure', '1.004222'),
      'tam-tru.yaml': entryWithLink('tam-tru', 'Đăng ký tạm trú', 'https://dichvucong.bocongan.gov.vn/bocongan/bothutuc/tthc?matt=26356', 'procedure', '1.004194'),
      'tro-cap-xa-hoi.yaml': entryWithLink('tro-cap-xa-hoi', 'Trợ cấp xã hội hằng tháng', 'https://dichvucong.gov.vn/dvc-ket-qua-thu-tuc?keyword=tr%E1%BB%A3%20c%E1%BA%A5p%20x%C3%A3%20h%E1%BB%99i', 'search', '1.001776'),
      'vneid.yaml': entryWithLink('vneid', 'Tài khoản VNeID', 'https://vneid.gov.vn', 'portal'),
    });
  });
  afterAll(async () => {
    content.remove();
    await national.stop();
    await police.stop();
  });

  let result: Awaited<ReturnType<typeof contentLinks>>;
  const row = (entry: string, field = 'online.url') => {
    const line = result.lines.find((l) => !l.startsWith('#') && JSON.parse(l).entry === entry && JSON.parse(l).field === field);
    return line ? (JSON.parse(line) as { status: number; names: string; detail?: string }) : undefined;
  };

  it('fetches each link once through the given origins and says whether it names the procedure', async () => {
    const via = ['--via', `dichvucong.gov.vn=${national.origin}`, '--via', `vneid.gov.vn=${national.origin}`, '--via', `dichvucong.bocongan.gov.vn=${police.origin}`];
    result = await contentLinks(['--online', '--jsonl', ...via], content.dir);
    expect(row('khai-sinh')).toEqual({ ...row('khai-sinh'), status: 200, names: 'yes', detail: 'portal record "Thủ tục đăng ký khai sinh" (1.001193)' });
    expect(row('ket-hon')).toMatchObject({ status: 200, names: 'no', detail: 'portal record "Thủ tục đăng ký lại kết hôn" (1.004746)' });
    expect(row('thuong-tru')).toMatchObject({ status: 200, names: 'yes', detail: 'page "Đăng ký thường trú" (1.004222)' });
    expect(row('tam-tru')).toMatchObject({ status: 404, names: 'unknown' });
    expect(row('tro-cap-xa-hoi')).toMatchObject({ status: 200, names: 'yes', detail: expect.stringMatching(/^the search lists "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội/) });
    expect(row('vneid')).toMatchObject({ status: 200, names: 'n/a' });
    // The wrong record and the missing page must be fixed: exit 1, and the summary counts them.
    expect(result.code).toBe(1);
    expect(result.lines.at(-1)).toMatch(/^# \d+ links: 2 to fix, .* fetched, 3 name their procedure\.$/);
  });

  it('spoke the portals\' wire format: the record API with the page id, the list API with the keyword', () => {
    expect(national.requests).toContainEqual({ method: 'POST', path: '/api/v1/configuring/formality/get-formality-by-citizen', body: { id: KHAI_SINH } });
    expect(national.requests).toContainEqual(expect.objectContaining({ method: 'POST', path: '/api/v1/submitting/formality/list-all-formality-by-citizen', body: expect.objectContaining({ q: 'trợ cấp xã hội' }) }));
    expect(police.requests).toContainEqual({ method: 'GET', path: '/bocongan/bothutuc/tthc?matt=26360' });
    expect(national.requests.filter((r) => r.body?.id === KHAI_SINH)).toHaveLength(1);
  });

  it('reports a portal that cannot be reached instead of failing', async () => {
    const down = await contentLinks(['--online', '--jsonl', '--via', 'dichvucong.gov.vn=http://127.0.0.1:9', '--via', `dichvucong.bocongan.gov.vn=${police.origin}`, '--via', `vneid.gov.vn=${national.origin}`], content.dir);
    const khaiSinh = down.lines.map((l) => (l.startsWith('#') ? undefined : JSON.parse(l))).find((r) => r?.entry === 'khai-sinh' && r.field === 'online.url');
    expect(khaiSinh).toMatchObject({ status: 0, names: 'unknown', error: expect.any(String) });
    expect(down.code).toBe(1);
  });

  it('refuses a --via without an origin', async () => {
    const bad = await contentLinks(['--online', '--via', 'dichvucong.gov.vn'], content.dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--via needs host=origin/);
  });
});
