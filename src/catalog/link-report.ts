/**
 * @module What `npm run cli -- content links` checks: every portal URL of the catalog against the
 * confirmed URL forms (offline), and — online — whether each answers and names its procedure,
 * reading the portals as they are built (the national portal's record API, the Bộ Công an
 * portal's procedure page). The fetch function and host rewrites are passed in, so tests point it
 * at a local fake portal.
 */
import { foldText } from './normalise-vietnamese.js';
import { urlForm } from './portal-links.js';
import type { CatalogEntry, LinkCheck } from './types.js';

export type LinkField = 'online.url' | `cases.${string}.online.url` | 'source' | `sources.${number}.url`;

export interface CatalogLink {
  entry: CatalogEntry;
  field: LinkField;
  url: string;
  /** The recorded confirmation (online links only). */
  link?: LinkCheck;
}

export interface OfflineFinding {
  /** `problem`: the link is wrong and must be fixed; `warning`: something to record or look at. */
  severity: 'problem' | 'warning' | 'ok';
  /** The confirmed form, e.g. "procedure record of the rebuilt portal". */
  form?: string;
  message?: string;
}

export interface OnlineFinding {
  /** HTTP status, or 0 when the request failed (`error` says why). */
  status: number;
  error?: string;
  /** `yes`/`no`: the page (or the portal's record behind it) names the procedure or not; `n/a`: a home page. */
  names: 'yes' | 'no' | 'unknown' | 'n/a';
  detail?: string;
}

/** Every URL of the catalog the citizen is sent to (`online`) or an editor reads on a portal. */
export function catalogLinks(entries: readonly CatalogEntry[]): CatalogLink[] {
  const links: CatalogLink[] = [];
  for (const entry of entries) {
    if (entry.online.url) links.push({ entry, field: 'online.url', url: entry.online.url, ...(entry.online.link ? { link: entry.online.link } : {}) });
    for (const c of entry.cases ?? []) {
      if (c.online?.url) links.push({ entry, field: `cases.${c.id}.online.url`, url: c.online.url, ...(c.online.link ? { link: c.online.link } : {}) });
    }
    links.push({ entry, field: 'source', url: entry.source });
    (entry.sources ?? []).forEach((s, i) => {
      if (s.url) links.push({ entry, field: `sources.${i}.url`, url: s.url });
    });
  }
  return links;
}

const isOnlineField = (field: LinkField) => field === 'online.url' || field.endsWith('.online.url');

/**
 * The offline check of one link. A link citizens are sent to must have a confirmed form, agree
 * with what its `link` says it opens, and say how it was confirmed; an editor's source on a known
 * portal must not use a retired form (any other page is not a portal link and is fine).
 */
export function checkLinkOffline(link: CatalogLink): OfflineFinding {
  const { portal, form, problem } = urlForm(link.url);
  if (!isOnlineField(link.field)) {
    if (!portal) return { severity: 'ok', message: 'not a portal link' };
    return problem ? { severity: 'warning', message: problem } : { severity: 'ok', ...(form ? { form: form.name } : {}) };
  }
  if (problem || !form) return { severity: 'problem', message: problem ?? 'no confirmed form' };
  if (!link.link) return { severity: 'warning', form: form.name, message: 'say how this link was confirmed (`link: { opens, confirmed_by, source, checked_on }` under online)' };
  if (link.link.opens !== form.opens) return { severity: 'problem', form: form.name, message: `link.opens is ${link.link.opens}, but this URL opens the ${form.opens === 'portal' ? 'home page' : form.opens}` };
  if (link.link.opens === 'procedure' && link.link.confirmed_by === 'unconfirmed') {
    return { severity: 'warning', form: form.name, message: 'a procedure page nobody confirmed: link the portal search instead until it is' };
  }
  return { severity: 'ok', form: form.name };
}

export interface ProbeOptions {
  fetch: typeof globalThis.fetch;
  /** Host → origin to send its requests to instead (tests, proxies): "dichvucong.gov.vn" → "http://127.0.0.1:5000". */
  via?: ReadonlyMap<string, string>;
  timeoutMs?: number;
}

const USER_AGENT = 'tro-ly-dich-vu-cong (content links; monthly check of catalog links)';

/** Fetches one link and tells whether the page names the procedure of its entry. */
export async function probeLink(link: CatalogLink, options: ProbeOptions): Promise<OnlineFinding> {
  const url = new URL(link.url);
  const origin = options.via?.get(url.hostname) ?? url.origin;
  const target = `${origin}${url.pathname}${url.search}`;
  const request = async (to: string, init: RequestInit = {}) =>
    options.fetch(to, { redirect: 'follow', ...init, headers: { 'user-agent': USER_AGENT, ...(init.headers ?? {}) }, signal: AbortSignal.timeout(options.timeoutMs ?? 20_000) });
  let page: Response;
  try {
    page = await request(target);
  } catch (error) {
    return { status: 0, error: describe(error), names: 'unknown' };
  }
  const html = await page.text().catch(() => '');
  if (!page.ok) return { status: page.status, names: 'unknown', detail: `the portal answered ${page.status}` };
  const { form } = urlForm(link.url);
  if (form?.opens === 'portal') return { status: page.status, names: 'n/a', detail: 'home page' };
  try {
    if (url.hostname === 'dichvucong.gov.vn') {
      const id = /^\/thu-tuc-hanh-chinh\/([0-9a-f-]{36})$/.exec(url.pathname)?.[1];
      if (id) return { status: page.status, ...(await nationalRecord(origin, id, link.entry, request)) };
      const keyword = url.pathname === '/dvc-ket-qua-thu-tuc' ? url.searchParams.get('keyword') : null;
      if (keyword) return { status: page.status, ...(await nationalSearch(origin, keyword, link.entry, request)) };
    }
    if (url.hostname === 'dichvucong.bocongan.gov.vn' && url.pathname === '/bocongan/bothutuc/tthc') return { status: page.status, ...policeRecord(html, link.entry) };
  } catch (error) {
    return { status: page.status, names: 'unknown', detail: `the portal's data could not be read: ${describe(error)}` };
  }
  const text = foldText(html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<[^>]+>/g, ' '));
  if (text.trim() === '') return { status: page.status, names: 'unknown', detail: 'the page is built by script and holds no text' };
  const named = text.includes(foldText(link.entry.name)) || (link.entry.code !== undefined && html.includes(link.entry.code));
  return { status: page.status, names: named ? 'yes' : 'no', detail: named ? 'the page text names it' : 'the page text does not name it' };
}

type Requester = (to: string, init?: RequestInit) => Promise<Response>;

/** The rebuilt portal is a script app: its record comes from its public API (POST {id}). */
async function nationalRecord(origin: string, id: string, entry: CatalogEntry, request: Requester): Promise<Omit<OnlineFinding, 'status'>> {
  const res = await request(`${origin}/api/v1/configuring/formality/get-formality-by-citizen`, postJson({ id }));
  const body = (await res.json()) as { data?: { name?: string; code?: string } | null };
  const record = body.data;
  if (!res.ok || !record?.name) return { names: 'no', detail: `the portal has no record ${id} (API ${res.status})` };
  const named = record.code === entry.code || sameProcedure(record.name, entry.name);
  return { names: named ? 'yes' : 'no', detail: `portal record "${record.name}"${record.code ? ` (${record.code})` : ''}` };
}

/** The search page lists what the portal's list API returns for the keyword. */
async function nationalSearch(origin: string, keyword: string, entry: CatalogEntry, request: Requester): Promise<Omit<OnlineFinding, 'status'>> {
  const res = await request(`${origin}/api/v1/submitting/formality/list-all-formality-by-citizen`, postJson({ limit: 50, lastId: null, q: keyword, categoryId: '', departmentCode: '' }));
  const body = (await res.json()) as { data?: { items?: { name?: string; code?: string }[] } | null };
  const items = body.data?.items ?? [];
  const hit = items.find((item) => (entry.code !== undefined && item.code === entry.code) || sameProcedure(item.name ?? '', entry.name));
  if (hit) return { names: 'yes', detail: `the search lists "${hit.name}"${hit.code ? ` (${hit.code})` : ''}` };
  return { names: 'no', detail: `the search lists ${items.length} procedure(s), none of them this one (API ${res.status})` };
}

/** A procedure page of the Bộ Công an portal: the name in `.tthc-title h4`, the code under "Mã thủ tục". */
function policeRecord(html: string, entry: CatalogEntry): Omit<OnlineFinding, 'status'> {
  const strip = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  const name = strip(/class="tthc-title"[^>]*>\s*<h4[^>]*>([\s\S]*?)<\/h4>/.exec(html)?.[1] ?? '');
  const code = strip(/>\s*Mã thủ tục[\s\S]*?class="tthc-list-item-detail"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '');
  if (!name) return { names: 'no', detail: 'the page has no procedure title' };
  const named = (entry.code !== undefined && code === entry.code) || sameProcedure(name, entry.name);
  return { names: named ? 'yes' : 'no', detail: `page "${name}"${code ? ` (${code})` : ''}` };
}

/** "Thủ tục đăng ký khai sinh" names "Đăng ký khai sinh"; "Đăng ký lại khai sinh" does not. */
export function sameProcedure(portalName: string, entryName: string): boolean {
  const clean = (s: string) => foldText(s).replace(/^thu tuc /, '').trim();
  const a = clean(portalName);
  const b = clean(entryName);
  return a !== '' && b !== '' && (a === b || a.startsWith(`${b} `) || b.startsWith(`${a} `) || a.includes(b));
}

function postJson(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json; charset=UTF-8', accept: 'application/json' }, body: JSON.stringify(body) };
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.name === 'TimeoutError' ? 'timed out' : error.message}${cause}` : String(error);
}
