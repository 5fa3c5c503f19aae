/**
 * @module The impact dashboard's HTTP side, a page behind the staff login (handoff/staff-routes.ts
 * `pages`), for the `manager` role only: a staff account gets 403, no login 401.
 *
 *   GET /staff/reports                 the dashboard page (charts, tables, print view for A4)
 *   GET /staff/api/impact              the figures as JSON (`?from=YYYY-MM-DD&to=…&granularity=day|week|month&channel=…`)
 *   GET /staff/api/impact.csv          the daily table (one row per day and channel), same query
 *   GET /staff/assets/chart.umd.min.js Chart.js, served from node_modules (no CDN)
 *
 * A bad query (not a date, `to` before `from`, more than 24 months, unknown granularity) is 400.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ANALYTICS_NAMES, dayOf, daysBetween } from './analytics-event.js';
import { AGGREGATE_DAYS, type AnalyticsStore } from './analytics-store.js';
import { buildReport, type Granularity, type ImpactReport } from './build-report.js';
import { renderReportsPage } from './reports-page.js';

/**
 * Who is logged in on a request: the staff desk gives its pages this (handoff/staff-routes.ts
 * `StaffAuth` fits it), so the dashboard and the kit need not import the desk.
 */
export interface StaffWho {
  who(request: FastifyRequest): Promise<{ name: string; role: string } | null>;
}

export interface ImpactRoutesOptions {
  store: AnalyticsStore;
  /** Channel name → what staff see. */
  channelLabels: Record<string, string>;
  /** Catalog id → the procedure's name. */
  procedureName: (id: string) => string | undefined;
  unitName: string;
  demo?: boolean;
  now?: () => number;
}

const require = createRequire(import.meta.url);
let chartScript: Buffer | undefined;
/** Chart.js's UMD build, read once from node_modules. */
export function chartLibrary(): Buffer {
  // The package exports only its modules; the UMD build sits beside the CommonJS entry.
  chartScript ??= readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'));
  return chartScript;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads and checks the query; a string is the reason it is refused. */
export function reportQueryOf(raw: Record<string, unknown>, today: string, channels: readonly string[]): { from: string; to: string; granularity: Granularity; channels?: string[] } | string {
  const to = typeof raw.to === 'string' && raw.to ? raw.to : today;
  const from = typeof raw.from === 'string' && raw.from ? raw.from : (daysBack(to, 29) ?? '');
  if (!DATE.test(from) || !DATE.test(to) || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) return 'from and to are dates, YYYY-MM-DD';
  if (to < from) return 'to is before from';
  if (daysBetween(from, to, AGGREGATE_DAYS + 1).length > AGGREGATE_DAYS) return 'at most 24 months';
  const granularity = (raw.granularity ?? 'day') as Granularity;
  if (!['day', 'week', 'month'].includes(granularity)) return 'granularity is day, week or month';
  const channel = typeof raw.channel === 'string' && raw.channel && raw.channel !== 'all' ? raw.channel : undefined;
  if (channel && !channels.includes(channel)) return 'unknown channel';
  return { from, to, granularity, ...(channel ? { channels: [channel] } : {}) };
}

function daysBack(day: string, n: number): string | undefined {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : new Date(t - n * 86_400_000).toISOString().slice(0, 10);
}

/** The daily table as CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs read the diacritics). */
export function reportCsv(report: ImpactReport): string {
  const columns = ['day', 'channel', 'citizens', ...ANALYTICS_NAMES];
  const cell = (v: unknown) => {
    const s = String(v ?? '');
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[columns.join(','), ...report.daily.map((row) => columns.map((c) => cell(row[c] ?? 0)).join(','))].join('\r\n')}\r\n`;
}

export function impactRoutes(options: ImpactRoutesOptions): (auth: StaffWho) => FastifyPluginAsync {
  const now = options.now ?? Date.now;
  const channels = Object.keys(options.channelLabels);
  return (auth) => async (app) => {
    /** The manager on this request, or the reply already sent (401 / 403). */
    async function manager(request: FastifyRequest, reply: FastifyReply, html: boolean): Promise<{ name: string; role: string } | undefined> {
      const me = await auth.who(request);
      if (me?.role === 'manager') return me;
      const status = me ? 403 : 401;
      if (html) {
        const text = me
          ? 'Trang báo cáo chỉ dành cho tài khoản lãnh đạo (vai trò manager). / Reports are for manager accounts only.'
          : 'Vui lòng đăng nhập tại <a href="/staff">/staff</a> rồi mở lại trang này. / Please log in at /staff first.';
        await reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(`<!doctype html><html lang="vi"><meta charset="utf-8"><title>Báo cáo</title><p>${text}</p></html>`);
      } else await reply.code(status).send({ error: me ? 'forbidden' : 'unauthorized' });
      return undefined;
    }

    async function report(request: FastifyRequest, reply: FastifyReply): Promise<ImpactReport | undefined> {
      const query = reportQueryOf(request.query as Record<string, unknown>, dayOf(now()), channels);
      if (typeof query === 'string') {
        await reply.code(400).send({ error: 'invalid_request', message: query });
        return undefined;
      }
      return buildReport(options.store, query);
    }

    app.get('/staff/assets/chart.umd.min.js', async (_request, reply) =>
      reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(chartLibrary()),
    );

    app.get('/staff/reports', async (request, reply) => {
      const me = await manager(request, reply, true);
      if (!me) return reply;
      const nonce = randomBytes(16).toString('base64');
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-frame-options', 'DENY')
        .header('referrer-policy', 'no-referrer')
        .header('content-security-policy', `default-src 'none'; script-src 'self' 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`)
        .send(renderReportsPage({ nonce, unitName: options.unitName, today: dayOf(now()), channelLabels: options.channelLabels, demo: options.demo === true, manager: me.name }));
    });

    app.get('/staff/api/impact', async (request, reply) => {
      if (!(await manager(request, reply, false))) return reply;
      const built = await report(request, reply);
      if (!built) return reply;
      const names = Object.fromEntries(built.topProcedures.map((p) => [p.id, options.procedureName(p.id) ?? p.id]));
      return reply.header('cache-control', 'no-store').send({ ...built, procedureNames: names, channelLabels: options.channelLabels });
    });

    app.get('/staff/api/impact.csv', async (request, reply) => {
      if (!(await manager(request, reply, false))) return reply;
      const built = await report(request, reply);
      if (!built) return reply;
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="bao-cao-${built.from}-${built.to}.csv"`)
        .send(reportCsv(built));
    });
  };
}
