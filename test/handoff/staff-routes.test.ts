/**
 * The staff HTTP API through fastify's inject, on memory and on Redis stores: sessions (401
 * without one, tampered, logged out or removed account), cookie flags, claim over HTTP with two
 * staff at once, call-back numbers masked until asked (audited), reports, and the three attacks
 * found: CSRF on state-changing routes (text/plain, a sibling subdomain's Origin, a missing or
 * foreign token), the login lockout under concurrency, and 503 (not 500) when Redis is down.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/conversation/logger.js';
import { installErrorHandlers } from '../../src/channels/http-errors.js';
import type { Handoff } from '../../src/handoff/create-handoff.js';
import { staffRoutes, StaffConfigError } from '../../src/handoff/staff-routes.js';
import { textFrom } from '../helpers/assistant.js';
import { handoffKit, STORE_KINDS, type HandoffKit, type StoreKind } from './handoff-kit.js';
import { staffClient, type StaffClient } from './staff-client.js';

const SECRET = 'test-staff-session-secret-0123456789';
const PASSWORD = 'mật-khẩu-đủ-dài-1';

let kit: HandoffKit | undefined;
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await kit?.close();
  kit = undefined;
});

async function setup(kind: StoreKind): Promise<{ k: HandoffKit; app: FastifyInstance; second: FastifyInstance }> {
  const k = await handoffKit({ kind });
  kit = k;
  await k.handoff.accounts.add('lan', PASSWORD, 'Nguyễn Thị Lan');
  await k.handoff.accounts.add('minh', PASSWORD, 'Trần Văn Minh', 'manager');
  const build = async (handoff: Handoff = k.handoff) => {
    const app = Fastify();
    installErrorHandlers(app, silentLogger);
    await app.register(staffRoutes({ handoff, sessionSecret: SECRET, log: silentLogger }));
    apps.push(app);
    return app;
  };
  return { k, app: await build(), second: await build(k.instance()) };
}

async function loggedIn(app: FastifyInstance, username: string, ip = '10.0.0.1'): Promise<StaffClient> {
  const client = await staffClient(app, { ip });
  expect((await client.login(username, PASSWORD)).status).toBe(200);
  return client;
}

describe.each(STORE_KINDS)('staff API (%s stores)', (kind) => {
  it('refuses every API call without a valid session', async () => {
    const { k, app } = await setup(kind);
    await k.conversation.handleInbound(textFrom('1', 'gặp cán bộ', 'telegram'));
    const [ticket] = await k.handoff.desk.list();
    const gets = ['/staff/api/tickets', `/staff/api/tickets/${ticket!.id}`, '/staff/api/events', '/staff/api/me', '/staff/api/reports', '/staff/api/staff'];
    const posts = [`/staff/api/tickets/${ticket!.id}/claim`, `/staff/api/tickets/${ticket!.id}/hand-back`, `/staff/api/tickets/${ticket!.id}/close`, `/staff/api/tickets/${ticket!.id}/phone`];
    const good = await loggedIn(app, 'lan');
    const session = good.cookies().split('; ').find((c) => c.startsWith('staff_session='))!;
    const forged = session.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    for (const cookie of [undefined, forged, 'staff_session=0123456789abcdef']) {
      const anonymous = await staffClient(app);
      for (const url of gets) {
        const response = await app.inject({ method: 'GET', url, ...(cookie ? { headers: { cookie } } : {}) });
        expect(response.statusCode, `GET ${url} with ${cookie ?? 'no cookie'}`).toBe(401);
      }
      for (const url of posts) {
        const response = await anonymous.post(url, {}, cookie ? { cookie: `${anonymous.cookies()}; ${cookie}` } : {});
        // No session: 401; a forged one also breaks the CSRF token bound to it: 403. Both refuse.
        expect([401, 403], `POST ${url} with ${cookie ?? 'no cookie'}`).toContain(response.status);
      }
    }
    expect((await k.handoff.desk.get(ticket!.id))!.ticket.status).toBe('waiting');
    expect((await good.get('/staff/api/tickets')).status).toBe(200);
  });

  it('logs in with signed, httpOnly, SameSite=Strict cookies; logout and removing the account end the session; the role is shown', async () => {
    const { k, app, second } = await setup(kind);
    const client = await staffClient(app);
    const csrfCookie = String(((await app.inject({ method: 'GET', url: '/staff/api/csrf' })).headers['set-cookie']));
    expect(csrfCookie).toMatch(/staff_csrf=.+HttpOnly/i);
    expect(csrfCookie).toMatch(/SameSite=Strict/i);
    const response = await client.login('lan', PASSWORD);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ username: 'lan', name: 'Nguyễn Thị Lan', role: 'staff' });
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Strict/i);
    expect(header).toMatch(/Path=\/staff/);
    const cookie = client.cookies();
    // The session is in the shared store: another instance accepts it.
    expect((await second.inject({ method: 'GET', url: '/staff/api/me', headers: { cookie } })).json()).toEqual({ username: 'lan', name: 'Nguyễn Thị Lan', role: 'staff', demo: false });
    expect((await client.post('/staff/api/logout')).status).toBe(204);
    expect((await second.inject({ method: 'GET', url: '/staff/api/me', headers: { cookie } })).statusCode).toBe(401);

    const minh = await loggedIn(app, 'minh');
    expect((await minh.get('/staff/api/me')).json).toMatchObject({ role: 'manager' });
    await k.handoff.accounts.remove('minh');
    expect((await minh.get('/staff/api/me')).status).toBe(401);
    expect((await k.handoff.audit.recent()).map((a) => `${a.staff}:${a.action}`)).toEqual(['minh:login', 'lan:logout', 'lan:login']);
  });

  it('five wrong passwords → 429 for that username and address, on every instance', async () => {
    const { app, second } = await setup(kind);
    for (let i = 0; i < 5; i += 1) expect((await (await staffClient(i % 2 ? second : app, { ip: '10.0.0.1' })).login('lan', 'sai-mat-khau-123')).status).toBe(401);
    const blocked = await (await staffClient(second, { ip: '10.0.0.1' })).login('lan', PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await (await staffClient(app, { ip: '10.0.0.1' })).login('lan', PASSWORD)).status).toBe(429);
    // Someone else, or the same person from another address, is not locked out.
    expect((await (await staffClient(app, { ip: '10.0.0.1' })).login('minh', PASSWORD)).status).toBe(200);
    expect((await (await staffClient(app, { ip: '10.0.0.2' })).login('lan', PASSWORD)).status).toBe(200);
    // An unknown username is answered like a wrong password.
    expect((await (await staffClient(app, { ip: '10.0.0.3' })).login('khong-co', PASSWORD)).status).toBe(401);
  });

  it('attack: 60 wrong passwords sent at once check at most 5; the right one is then refused too', async () => {
    const { app } = await setup(kind);
    const client = await staffClient(app, { ip: '10.0.0.9' });
    const answers = await Promise.all(Array.from({ length: 60 }, () => client.post('/staff/api/login', { username: 'lan', password: 'sai-mat-khau-123' })));
    const codes = answers.map((a) => a.status);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(55);
    expect((await client.login('lan', PASSWORD)).status).toBe(429);
  });

  it('attack: a claim without JSON, from a sibling subdomain, without Origin or without the right CSRF token is refused', async () => {
    const { k, app } = await setup(kind);
    await k.conversation.handleInbound(textFrom('3', 'gặp cán bộ', 'telegram'));
    const [ticket] = await k.handoff.desk.list();
    const lan = await loggedIn(app, 'lan');
    const minh = await loggedIn(app, 'minh');
    const claim = `/staff/api/tickets/${ticket!.id}/claim`;
    const raw = (headers: Record<string, string>, payload = '') => app.inject({ method: 'POST', url: claim, headers: { cookie: lan.cookies(), ...headers }, payload });

    // What the sibling-subdomain page did: no body, text/plain, the staff member's cookie.
    expect((await raw({ 'content-type': 'text/plain', origin: 'https://evil.phuong9.example' }, 'x')).statusCode).toBe(415);
    expect((await raw({ 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'x-csrf-token': lan.csrf() }, 'a=1')).statusCode).toBe(415);
    expect((await raw({})).statusCode).toBe(415);
    // JSON, but from another origin, or with none.
    expect((await lan.post(claim, {}, { origin: 'https://evil.phuong9.example' })).status).toBe(403);
    expect((await lan.post(claim, {}, { origin: 'http://localhost.evil.example' })).status).toBe(403);
    expect((await raw({ 'content-type': 'application/json', 'x-csrf-token': lan.csrf() }, '{}')).statusCode).toBe(403);
    // Right origin, but no token, a made-up one, or a colleague's.
    expect((await lan.post(claim, {}, { 'x-csrf-token': '' })).status).toBe(403);
    expect((await lan.post(claim, {}, { 'x-csrf-token': 'abc-def' })).status).toBe(403);
    expect((await lan.post(claim, {}, { 'x-csrf-token': minh.csrf() })).status).toBe(403);
    expect((await k.handoff.desk.get(ticket!.id))!.ticket.status).toBe('waiting');
    // The console's own request works.
    expect((await lan.post(claim)).status).toBe(200);
    // Login and logout are guarded the same way.
    expect((await app.inject({ method: 'POST', url: '/staff/api/login', headers: { 'content-type': 'text/plain' }, payload: 'x' })).statusCode).toBe(415);
    expect((await app.inject({ method: 'POST', url: '/staff/api/logout', headers: { 'content-type': 'application/json', cookie: lan.cookies(), origin: 'https://evil.phuong9.example' }, payload: '{}' })).statusCode).toBe(403);
    expect((await lan.get('/staff/api/me')).status).toBe(200);
  });

  it('two staff claiming one ticket over HTTP on two instances: one 200, one 409; actions check the holder', async () => {
    const { k, app, second } = await setup(kind);
    await k.conversation.handleInbound(textFrom('2', 'gặp cán bộ', 'telegram'));
    const [ticket] = await k.handoff.desk.list();
    const lan = await loggedIn(app, 'lan');
    const minh = await loggedIn(second, 'minh');
    const [a, b] = await Promise.all([lan.post(`/staff/api/tickets/${ticket!.id}/claim`), minh.post(`/staff/api/tickets/${ticket!.id}/claim`)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [lan, minh] : [minh, lan];
    expect((a.status === 200 ? b : a).json).toMatchObject({ error: 'already_claimed' });

    expect((await loser.post(`/staff/api/tickets/${ticket!.id}/reply`, { text: 'xin chào' })).status).toBe(409);
    expect((await winner.post(`/staff/api/tickets/${ticket!.id}/reply`, { text: '   ' })).status).toBe(400);
    expect((await winner.post(`/staff/api/tickets/${ticket!.id}/reply`, { text: 'Chào anh/chị ạ' })).status).toBe(200);
    expect((await winner.post(`/staff/api/tickets/${ticket!.id}/transfer`, { to: 'nobody' })).status).toBe(400);
    expect((await winner.post('/staff/api/tickets/0000000000/claim')).status).toBe(404);
    expect((await winner.post(`/staff/api/tickets/${ticket!.id}/claim`, [1])).status).toBe(400);

    const detail = (await loser.get(`/staff/api/tickets/${ticket!.id}`)).json as { transcript: { from: string }[] };
    expect(detail.transcript.map((e) => e.from)).toEqual(['citizen', 'system', 'bot', 'system', 'staff']);
    expect((await winner.post(`/staff/api/tickets/${ticket!.id}/close`)).status).toBe(200);
    expect((await winner.get('/staff/api/tickets')).json.tickets).toEqual([]);
  });

  it('a report\'s call-back number is masked in every list and shown only on request, with an audit line; reports go new → seen → resolved', async () => {
    const { k, app } = await setup(kind);
    for (const text of ['/start', 'phản ánh', 'Đèn đường hẻm 12 bị hỏng', 'có', '0912 345 678']) await k.conversation.handleInbound(textFrom('4', text, 'telegram'));
    const lan = await loggedIn(app, 'lan');
    const list = await lan.get('/staff/api/reports');
    expect(JSON.stringify(list.json)).not.toContain('0912345678');
    const [report] = (list.json as { reports: { id: string; phoneMasked: string; status: string }[] }).reports;
    expect(report).toMatchObject({ phoneMasked: '09******78', status: 'new' });
    expect(JSON.stringify((await lan.get(`/staff/api/reports/${report!.id}`)).json)).not.toContain('0912345678');
    expect((await lan.post(`/staff/api/reports/${report!.id}/phone`)).json).toEqual({ phone: '0912345678' });
    expect((await lan.post(`/staff/api/reports/${report!.id}/seen`)).json).toMatchObject({ report: { status: 'seen', seenBy: 'lan' } });
    expect((await lan.post(`/staff/api/reports/${report!.id}/resolve`, { reply: 'Đã báo điện lực ạ.' })).json).toMatchObject({ report: { status: 'resolved', replyDelivered: true } });
    expect((await lan.post(`/staff/api/reports/${report!.id}/resolve`)).status).toBe(409);
    const audit = (await k.handoff.audit.recent()).map((a) => `${a.staff}:${a.action}`);
    expect(audit.slice(0, 3)).toEqual(['lan:report_resolved', 'lan:report_seen', 'lan:reveal_phone']);
  });

  it('tickets list quick replies; the call-back one only applies where a number was left', async () => {
    const { k, app } = await setup(kind);
    await k.conversation.handleInbound(textFrom('5', 'gặp cán bộ', 'telegram'));
    const lan = await loggedIn(app, 'lan');
    const { tickets, quickReplies } = (await lan.get('/staff/api/tickets')).json as { tickets: { phoneMasked?: string }[]; quickReplies: { text: string; needsPhone: boolean }[] };
    expect(tickets[0]!.phoneMasked).toBeUndefined();
    expect(quickReplies.filter((q) => q.needsPhone).map((q) => q.text)).toEqual([expect.stringContaining('Tôi sẽ gọi lại')]);
    expect(quickReplies.filter((q) => !q.needsPhone).every((q) => !q.text.includes('gọi lại'))).toBe(true);
  });

  it('serves the console page with a strict CSP; refuses to start without a session secret', async () => {
    const { app, k } = await setup(kind);
    const page = await app.inject({ method: 'GET', url: '/staff' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(String(page.headers['content-security-policy'])).toMatch(/script-src 'nonce-[^']+'/);
    expect(page.body).toContain('Đăng nhập');
    expect(page.body).toContain('Bàn làm việc cán bộ');
    expect(page.body).not.toContain('Bảng điều khiển');
    expect(page.body).not.toContain('data-testid="demo"');
    expect(() => staffRoutes({ handoff: k.handoff, sessionSecret: '', log: silentLogger })).toThrow(StaffConfigError);
  });
});

describe('staff API with Redis down', () => {
  it('attack: login and /me answer 503 with a message, not 500', async () => {
    const { k, app } = await setup('redis');
    const lan = await loggedIn(app, 'lan');
    const before = await staffClient(app);
    k.redis!.disconnect();
    const login = await before.login('lan', PASSWORD);
    expect(login.status).toBe(503);
    expect(login.json).toMatchObject({ error: 'unavailable', message: expect.stringContaining('thử lại') });
    const me = await lan.get('/staff/api/me');
    expect(me.status).toBe(503);
    expect((await lan.get('/staff/api/tickets')).status).toBe(503);
    expect((await lan.post('/staff/api/logout')).status).toBe(503);
  });
});
