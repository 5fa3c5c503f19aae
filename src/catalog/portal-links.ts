/**
 * @module The URL forms of the portals the catalog links to, as confirmed for issue 10 (README
 * "Portal links"): which path and query open a procedure's page, a search, or the home page, and
 * which forms were retired. `content links` checks every catalog URL against them offline.
 */
import type { LinkCheck } from './types.js';

/** Ids of the rebuilt national portal's records are UUIDs (version 7: time-ordered). */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export interface UrlForm {
  opens: LinkCheck['opens'];
  /** What it is, for the report. */
  name: string;
  path: RegExp;
  /** Query parameters it needs, each matching its pattern. */
  query?: Record<string, RegExp>;
}

export interface Portal {
  host: string;
  label: string;
  forms: UrlForm[];
  /** Forms that no longer open the right page, with the reason given to editors. */
  retired?: { path: RegExp; why: string }[];
}

export const PORTALS: readonly Portal[] = [
  {
    host: 'dichvucong.gov.vn',
    label: 'Cổng Dịch vụ công quốc gia',
    forms: [
      { opens: 'procedure', name: 'procedure record of the rebuilt portal', path: new RegExp(`^/thu-tuc-hanh-chinh/${UUID}$`) },
      { opens: 'procedure', name: 'liên thông procedure record', path: new RegExp(`^/thu-tuc-hanh-chinh-lien-thong/${UUID}$`) },
      { opens: 'search', name: 'procedure search', path: /^\/dvc-ket-qua-thu-tuc$/, query: { keyword: /\S/ } },
      { opens: 'portal', name: 'home page', path: /^\/?$/ },
    ],
    retired: [
      {
        path: /^\/p\/home\//,
        why: 'the /p/home/… pages (…chi-tiet.html?ma_thu_tuc=<code>) belong to the portal before its 2026 rebuild; crawlers of the rebuilt portal report them as 404',
      },
    ],
  },
  {
    host: 'dichvucong.bocongan.gov.vn',
    label: 'Cổng Dịch vụ công Bộ Công an',
    forms: [
      { opens: 'procedure', name: 'procedure page', path: /^\/bocongan\/bothutuc\/tthc$/, query: { matt: /^\d+$/ } },
      { opens: 'search', name: 'list of a field (lĩnh vực)', path: /^\/bocongan\/bothutuc$/, query: { linh_vuc: /^[A-Z_]+$/ } },
      { opens: 'portal', name: 'home page', path: /^\/?$/ },
    ],
  },
  { host: 'vneid.gov.vn', label: 'VNeID', forms: [{ opens: 'portal', name: 'home page', path: /^\/?$/ }] },
  {
    host: 'dangkykinhdoanh.gov.vn',
    label: 'Cổng thông tin quốc gia về đăng ký doanh nghiệp',
    forms: [{ opens: 'portal', name: 'home page', path: /^\/?$/ }],
  },
];

export interface FormResult {
  portal?: Portal;
  form?: UrlForm;
  /** Why the URL is not a confirmed form (undefined when it is). */
  problem?: string;
}

/** Which confirmed form `url` has, or why it has none. */
export function urlForm(url: string): FormResult {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'not a URL' };
  }
  const portal = PORTALS.find((p) => p.host === parsed.hostname.replace(/^www\./, ''));
  if (!portal) return { problem: `no confirmed URL form for ${parsed.hostname} (provincial and other portals: link their home page, or confirm the form and add it to src/catalog/portal-links.ts)` };
  const retired = portal.retired?.find((r) => r.path.test(parsed.pathname));
  if (retired) return { portal, problem: `retired form: ${retired.why}` };
  for (const form of portal.forms) {
    if (!form.path.test(parsed.pathname)) continue;
    const missing = Object.entries(form.query ?? {}).filter(([key, pattern]) => !pattern.test(parsed.searchParams.get(key) ?? ''));
    if (missing.length > 0) return { portal, form, problem: `${form.name} needs ${missing.map(([key]) => key).join(', ')}` };
    return { portal, form };
  }
  return { portal, problem: `not a confirmed form of ${portal.label} (${portal.forms.map((f) => f.name).join('; ')})` };
}
