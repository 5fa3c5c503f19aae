/**
 * @module Local fakes of the two public-service portals as `content links --online` reads them:
 * the rebuilt national portal (a script app: every page route answers the same empty shell, the
 * data comes from its public JSON API, `{code, data}` envelopes) and the Bộ Công an portal (server
 * pages with the procedure name in `.tthc-title h4` and the code under "Mã thủ tục"). Real HTTP
 * on loopback; each records the requests it got.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen, readParams } from './fake-http.js';

export interface PortalRecord {
  id: string;
  name: string;
  code: string;
}

export interface FakePortal {
  origin: string;
  requests: { method: string; path: string; body?: Record<string, unknown> }[];
  stop(): Promise<void>;
}

const SHELL = '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng Dịch vụ công quốc gia</title></head><body><div id="root"></div><script type="module" src="/assets/index.js"></script></body></html>';

/** The national portal: `records` are what its API knows, by record id. */
export async function startFakeNationalPortal(records: PortalRecord[]): Promise<FakePortal> {
  const requests: FakePortal['requests'] = [];
  const server = createServer((req, res) => void answer(req, res));
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = req.method === 'POST' ? await readParams(req) : undefined;
    requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, ...(body ? { body } : {}) });
    if (req.method === 'POST' && url.pathname === '/api/v1/configuring/formality/get-formality-by-citizen') {
      const record = records.find((r) => r.id === body?.id);
      return json(res, 200, record ? { code: 'OK', data: { ...record, isWard: true } } : { code: 'NOT_FOUND', data: null });
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/submitting/formality/list-all-formality-by-citizen') {
      const q = String(body?.q ?? '').toLowerCase();
      const items = records.filter((r) => r.name.toLowerCase().includes(q));
      return json(res, 200, { code: 'OK', data: { items, lastId: items.at(-1)?.id ?? null } });
    }
    if (req.method !== 'GET') return json(res, 405, { code: 'METHOD_NOT_ALLOWED', data: null });
    // The pages before the 2026 rebuild are gone.
    if (url.pathname.startsWith('/p/home/')) return html(res, 404, '<!doctype html><title>404</title><h1>Không tìm thấy trang</h1>');
    return html(res, 200, SHELL);
  }
  return started(server, requests);
}

/** The Bộ Công an portal: `pages` are its procedure pages by `matt`. */
export async function startFakePolicePortal(pages: (PortalRecord & { matt: string })[]): Promise<FakePortal> {
  const requests: FakePortal['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}` });
    if (url.pathname === '/bocongan/bothutuc/tthc') {
      const page = pages.find((p) => p.matt === url.searchParams.get('matt'));
      if (!page) return html(res, 404, '<html><body>Không tìm thấy thủ tục</body></html>');
      return html(res, 200, policePage(page));
    }
    if (url.pathname === '/bocongan/bothutuc' || url.pathname === '/') return html(res, 200, '<html><body><h4>Cổng Dịch vụ công Bộ Công an</h4></body></html>');
    return html(res, 404, '<html><body>404</body></html>');
  });
  return started(server, requests);
}

/** A procedure page in the portal's own markup (as in copies of it fetched in 2026). */
function policePage(page: PortalRecord): string {
  const item = (label: string, value: string, n: string) =>
    `<div class="tthc-list-item">\n<div role="button" class="item-title" data-toggle="collapse"\nhref="#collapse${n}" aria-expanded="false" aria-controls="collapse${n}">${label}<i class="fa fa-angle-right"></i>\n</div>\n<div id="collapse${n}" class="tthc-panel-collapse in collapse" role="">\n<div class="tthc-list-item-detail">\n${value} </div>\n</div>\n</div>`;
  return [
    '<html><body>',
    `<div class="tthc-title">\n<h4>${page.name}</h4>\n</div>`,
    '<div class="tthc-accordion"><div class="tthc-page-detail"><div class="tthc-step" id="accordion2" role="tablist">',
    item('Mã thủ tục', page.code, '1a'),
    item('Lĩnh vực', 'Đăng ký, quản lý cư trú', '1b'),
    item('Cơ quan thực hiện', 'Công an Xã', '2a'),
    '</div></div></div></body></html>',
  ].join('\n');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
}

async function started(server: Server, requests: FakePortal['requests']): Promise<FakePortal> {
  const port = await listen(server, 0);
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
