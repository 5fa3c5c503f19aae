/**
 * Issue 14: seeded conversations through the real channels (Telegram webhooks on the local fake
 * Bot API, the web chat over HTTP), a staff member answering and closing on the real console API,
 * and the dashboard API's figures checked exactly: conversations, citizens, the funnel, top
 * procedures, not-found questions (masked and grouped across channels), sources of deep links,
 * the wait, the rating, reports filed and resolved; the CSV; 403 for a staff account, 401 without
 * login, 400 for a bad query. The demo counts nothing.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig, startDemo } from '../../src/demo.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/create-logger.js';
import { staffClient, type StaffClient } from '../handoff/staff-client.js';
import { MANAGER_PASSWORD, STAFF_PASSWORD, startImpactServer, type ImpactServer } from './impact-server-kit.js';

const DAY = '2026-06-01';
const MINUTE = 60_000;

describe('impact dashboard over real channels', () => {
  let s: ImpactServer;
  let manager: StaffClient;
  let staff: StaffClient;
  const web = { deepLink: randomUUID(), notFound: randomUUID(), finder: randomUUID() };

  beforeAll(async () => {
    s = await startImpactServer();
    staff = await staffClient(s.url);
    expect((await staff.login('lan', STAFF_PASSWORD)).status).toBe(200);
    manager = await staffClient(s.url);
    expect((await manager.login('minh', MANAGER_PASSWORD)).status).toBe(200);

    // Telegram 1001: a poster's deep link, the online guide, "Đã nộp xong".
    await s.telegramSays(1001, '/start khai-sinh_poster-kp3');
    await s.telegramSays(1001, 'nộp trực tuyến');
    await s.telegramSays(1001, 'đã nộp xong');
    // Telegram 1002: a question nothing answers (with a phone number in it), then a person.
    await s.telegramSays(1002, '/start');
    await s.telegramSays(1002, 'tôi muốn nuôi chim cảnh 0912345678');
    await s.telegramSays(1002, 'gặp cán bộ');
    s.clock.now += 5 * MINUTE;
    const tickets = (await staff.get('/staff/api/tickets')).json.tickets as Array<{ id: string; channel: string }>;
    const ticket = tickets.find((t) => t.channel === 'telegram')!;
    expect((await staff.post(`/staff/api/tickets/${ticket.id}/claim`)).status).toBe(200);
    s.clock.now += 2 * MINUTE;
    expect((await staff.post(`/staff/api/tickets/${ticket.id}/close`)).status).toBe(200);
    await s.telegramSays(1002, '5');
    // Web: a meeting's deep link (the web form, with a dot); the same unanswerable question with
    // another number; a question the finder answers, confirmed; a report, resolved by staff.
    expect((await s.webSays(web.deepLink, { kind: 'start', text: 'ket-hon.hop-to-3' })).join('\n')).toContain('Đăng ký kết hôn');
    await s.webSays(web.notFound, { kind: 'start' });
    await s.webSays(web.notFound, { kind: 'text', text: 'Tôi muốn nuôi chim cảnh 0987 654 321' });
    await s.webSays(web.finder, { kind: 'text', text: 'dang ky ket hon' });
    await s.webSays(web.finder, { kind: 'text', text: 'dung roi' });
    await s.webSays(web.finder, { kind: 'text', text: 'menu' });
    await s.webSays(web.finder, { kind: 'text', text: '5' });
    await s.webSays(web.finder, { kind: 'text', text: 'Nước ngập ở đường Lê Lợi mỗi khi mưa' });
    await s.webSays(web.finder, { kind: 'text', text: 'không' });
    const reports = (await staff.get('/staff/api/reports')).json.reports as Array<{ id: string }>;
    expect(reports).toHaveLength(1);
    expect((await staff.post(`/staff/api/reports/${reports[0]!.id}/resolve`, {})).status).toBe(200);
    await s.server.analytics.flush();
  }, 60_000);

  afterAll(async () => {
    await s?.close();
  });

  it('gives the figures exactly', async () => {
    const answer = await manager.get(`/staff/api/impact?from=${DAY}&to=${DAY}`);
    expect(answer.status).toBe(200);
    const r = answer.json as Record<string, any>;
    expect(r.totals).toMatchObject({ conversations: 5, citizens: 5, notFound: 2, personAsked: 1, personAnswered: 1, reportsFiled: 1 });
    expect(r.funnel).toEqual([
      { step: 'procedure_found', count: 1 },
      { step: 'card_viewed', count: 3 },
      { step: 'checklist_finished', count: 0 },
      { step: 'online_guide_opened', count: 1 },
      { step: 'online_link_opened', count: 0 },
      { step: 'filed_confirmed', count: 1 },
    ]);
    expect(r.topProcedures).toEqual([
      { id: 'ket-hon', cards: 2, guides: 0, links: 0, filed: 0 },
      { id: 'khai-sinh', cards: 1, guides: 1, links: 0, filed: 1 },
    ]);
    expect(r.procedureNames).toEqual({ 'ket-hon': 'Đăng ký kết hôn', 'khai-sinh': 'Đăng ký khai sinh' });
    // Both numbers masked away: one question, asked on two channels.
    expect(r.notFound).toEqual([{ query: 'toi muon nuoi chim canh #', count: 2 }]);
    expect(r.sources).toEqual([
      { source: 'hop-to-3', conversations: 1 },
      { source: 'poster-kp3', conversations: 1 },
    ]);
    expect(r.person).toEqual({ asked: 1, answered: 1, closed: 1, waitMedianMs: 5 * MINUTE, waitP90Ms: 5 * MINUTE, ratings: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 1 }, ratingAverage: 5 });
    expect(r.reports).toEqual({ filed: 1, resolved: 1 });
    expect(r.byChannel).toEqual([
      { channel: 'telegram', conversations: 2, citizens: 2, filedConfirmed: 1 },
      { channel: 'web', conversations: 3, citizens: 3, filedConfirmed: 0 },
    ]);
    const telegram = (await manager.get(`/staff/api/impact?from=${DAY}&to=${DAY}&channel=telegram&granularity=month`)).json as Record<string, any>;
    expect(telegram.totals).toMatchObject({ period: 'total', conversations: 2, citizens: 2 });
    expect(telegram.periods.map((p: { period: string }) => p.period)).toEqual(['2026-06']);
  });

  it('keeps no message text and no number in what it stores', async () => {
    const events = await s.server.analytics.store!.recent(1000);
    expect(events.length).toBeGreaterThan(10);
    // Times, waits and the keyed hashes are the only figures; everything else is ids, names, tags and masked words.
    const raw = JSON.stringify(events.map(({ at: _at, waitMs: _wait, citizen: _hash, ...rest }) => rest));
    expect(raw).not.toMatch(/\d{6,}/);
    expect(raw).not.toMatch(/Nước ngập|nuôi chim|1001|1002/);
  });

  it('exports the daily table as CSV', async () => {
    const response = await fetch(`${s.url}/staff/api/impact.csv?from=${DAY}&to=${DAY}`, { headers: { cookie: manager.cookies() } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    const header = lines[0]!.split(',');
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    expect(rows.map((x) => [x.day, x.channel, x.conversation_started, x.filed_confirmed, x.citizens])).toEqual([
      [DAY, 'telegram', '2', '1', '2'],
      [DAY, 'web', '3', '0', '3'],
    ]);
  });

  it('is for managers only: a staff account gets 403, no login 401, on the page and the API', async () => {
    expect((await staff.get('/staff/api/impact')).status).toBe(403);
    const page = await fetch(`${s.url}/staff/reports`, { headers: { cookie: staff.cookies() } });
    expect(page.status).toBe(403);
    expect((await fetch(`${s.url}/staff/reports`)).status).toBe(401);
    expect((await fetch(`${s.url}/staff/api/impact`)).status).toBe(401);
    expect((await fetch(`${s.url}/staff/api/impact.csv`, { headers: { cookie: staff.cookies() } })).status).toBe(403);
    const ok = await fetch(`${s.url}/staff/reports`, { headers: { cookie: manager.cookies() } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Đã nộp xong');
  });

  it('answers a bad query with 400', async () => {
    for (const q of ['from=2026-13-01', 'from=2026-06-02&to=2026-06-01', 'granularity=year', 'channel=fax', 'from=2020-01-01&to=2026-06-01']) {
      expect((await manager.get(`/staff/api/impact?${q}`)).status, q).toBe(400);
    }
  });
});

describe('the demo counts nothing', () => {
  it('a conversation in npm run demo leaves the dashboard at zero', async () => {
    const logger = createLogger({ level: 'warn', destination: new Writable({ write: (_c: Buffer, _e, done) => done() }) });
    const demo = await startDemo(demoConfig(loadConfig({})), { logger, port: 0 });
    try {
      const id = randomUUID();
      for (const message of [{ kind: 'start', text: 'khai-sinh.poster-kp3' }, { kind: 'text', text: 'nộp trực tuyến' }, { kind: 'text', text: 'đã nộp xong' }]) {
        const answer = await fetch(`${demo.server.url}/webchat/conversations/${id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId: randomUUID(), ...message }) });
        expect(answer.status).toBe(200);
      }
      await demo.server.analytics.flush();
      const client = await staffClient(demo.server.url);
      expect((await client.login('demo', demo.password)).status).toBe(200);
      const r = (await client.get('/staff/api/impact')).json as Record<string, any>;
      expect(r.totals.conversations).toBe(0);
      expect(r.funnel.every((s: { count: number }) => s.count === 0)).toBe(true);
    } finally {
      await demo.server.close();
    }
  });
});
