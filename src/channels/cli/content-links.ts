/**
 * @module `npm run cli -- content links [--online] [--jsonl] [--via host=origin]…`: checks every
 * portal URL of the catalog against the confirmed URL forms and, with `--online`, fetches each one
 * and reports its status and whether the page names the procedure. Exit 0 when every link is
 * fine, 1 when one must be fixed, 2 on bad usage. A ward runs it monthly (README).
 */
import { catalogLinks, checkLinkOffline, probeLink, type CatalogLink, type OfflineFinding, type OnlineFinding } from '../../catalog/link-report.js';
import { loadCatalog } from '../../catalog/load-catalog.js';
import { formatProblem } from '../../flow/yaml-source.js';

const USAGE = 'usage: content links [--online] [--jsonl] [--all] [--via host=origin]...   (--all: also editors\' sources on portals)';

export interface ContentLinksIo {
  output: NodeJS.WritableStream;
  errors: NodeJS.WritableStream;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof globalThis.fetch;
}

export async function runContentLinks(args: string[], contentDir: string, io: ContentLinksIo): Promise<number> {
  const online = args.includes('--online');
  const jsonl = args.includes('--jsonl');
  const all = args.includes('--all') || online;
  const via = new Map<string, string>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--via') {
      const [host, origin] = (args[i + 1] ?? '').split('=');
      if (!host || !origin || !/^https?:\/\//.test(origin)) {
        io.errors.write(`--via needs host=origin, e.g. dichvucong.gov.vn=http://127.0.0.1:8080\n${USAGE}\n`);
        return 2;
      }
      via.set(host, origin.replace(/\/$/, ''));
      i += 1;
    } else if (!['--online', '--jsonl', '--all', '--content'].includes(arg) && args[i - 1] !== '--content') {
      io.errors.write(`unknown argument ${arg}\n${USAGE}\n`);
      return 2;
    }
  }

  const { catalog, problems } = loadCatalog(contentDir, { allowProblems: true });
  for (const problem of problems) io.errors.write(`${formatProblem(problem)}\n`);
  if (!catalog) {
    io.errors.write('content links: the catalog could not be loaded\n');
    return 1;
  }
  const links = catalogLinks(catalog.entries).filter((l) => all || !l.field.startsWith('source'));
  const seen = new Map<string, OnlineFinding>();
  let bad = 0;
  let warned = 0;
  let named = 0;
  for (const link of links) {
    const offline = checkLinkOffline(link);
    if (offline.severity === 'problem') bad += 1;
    if (offline.severity === 'warning') warned += 1;
    let fetched: OnlineFinding | undefined;
    // Only portal links are fetched: a news article cited as a source is an editor's business.
    if (online && (offline.form !== undefined || offline.severity === 'problem')) {
      const key = `${link.url} ${link.entry.id}`;
      fetched = seen.get(key) ?? (await probeLink(link, { fetch: io.fetch ?? globalThis.fetch, via }));
      seen.set(key, fetched);
      const citizenLink = !link.field.startsWith('source');
      if (fetched.names === 'yes') named += 1;
      if (citizenLink && (fetched.status < 200 || fetched.status >= 400 || fetched.names === 'no')) bad += 1;
    }
    if (!jsonl && !online && offline.severity === 'ok' && link.field.startsWith('source')) continue;
    io.output.write(jsonl ? `${JSON.stringify(toJson(link, offline, fetched))}\n` : `${readable(link, offline, fetched)}\n`);
  }
  const fetchedNote = online ? `; ${seen.size} fetched, ${named} name their procedure` : '';
  io.output.write(`${jsonl ? '# ' : ''}${links.length} links: ${bad} to fix, ${warned} warning(s)${fetchedNote}.\n`);
  return bad > 0 ? 1 : 0;
}

function toJson(link: CatalogLink, offline: OfflineFinding, fetched?: OnlineFinding): Record<string, unknown> {
  return {
    entry: link.entry.id,
    field: link.field,
    url: link.url,
    form: offline.form ?? null,
    check: offline.severity,
    ...(offline.message ? { message: offline.message } : {}),
    ...(link.link ? { opens: link.link.opens, confirmed_by: link.link.confirmed_by } : {}),
    ...(fetched ? { status: fetched.status, names: fetched.names, ...(fetched.detail ? { detail: fetched.detail } : {}), ...(fetched.error ? { error: fetched.error } : {}) } : {}),
  };
}

function readable(link: CatalogLink, offline: OfflineFinding, fetched?: OnlineFinding): string {
  const mark = offline.severity === 'problem' ? '✗' : offline.severity === 'warning' ? '!' : '✓';
  const how = link.link ? ` (${link.link.opens}, ${link.link.confirmed_by})` : '';
  const parts = [`${mark} ${link.entry.id} ${link.field} ${link.url}`, offline.form ? `${offline.form}${how}` : undefined, offline.message];
  if (fetched) {
    parts.push(fetched.status === 0 ? `fetch failed: ${fetched.error}` : `HTTP ${fetched.status}`);
    parts.push(`names the procedure: ${fetched.names}${fetched.detail ? ` (${fetched.detail})` : ''}`);
  }
  return parts.filter(Boolean).join(' · ');
}
