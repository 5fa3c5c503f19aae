/**
 * The staff HTTP API through fastify's inject: sessions (401 without one, tampered, logged out or
 * removed account), login rate limit across instances (429 after five wrong passwords), cookie
 * flags, claim over HTTP with two staff at once, and the actions' error codes.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/conversation/logger.js';
import { createStaffAccounts } from '../../src/handoff/staff-accounts.js';
import { staffRoutes, StaffConfigError } from '../../src/handoff/staff-routes.js';
import { textFrom } from '../helpers/assistant.js';
import { handoffKit, type HandoffKit } from './handoff-kit.js';

const SECRET = 'test-staff-session-secret-0123456789';
const PASSWORD = 'mật-khẩu-đủ-dài-1';

let kit: HandoffKit | undefined;
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await kit?.close();
  kit = undefined;
});

async function setup(): Promise<{ k: HandoffKit; app: FastifyInstance; second: FastifyInstance }> {
  const k = await handoffKit();
  kit = k;
  const accounts = createStaffAccounts({ redis: k.redis, prefix: k.prefix });
  await accounts.add('lan', PASSWORD, 'Nguyễn Thị Lan');
  await accounts.add('minh', PASSWORD, 'Trần Văn Minh');
  const build = async (handoff = k.handoff) => {
    const app = Fastify();
    await app.register(staffRoutes({ handoff, redis: k.redis, prefix: k.prefix, sessionSecret: SECRET, log: silentLogger }));
    apps.push(app);
    return app;
  };
  return { k, app: await build(), second: await build(k.instance()) };
}

async function login(app: FastifyInstance, username: string, password = PASSWORD, ip = '10.0.0.1') {
  return app.inject({ method: 'POST', url: '/staff/api/login', payload: { username, password }, remoteAddress: ip });
}

function cookieOf(response: { headers: Record<string, unknown> }): string {
  return String(response.headers['set-cookie']).split(';')[0]!;
}

describe('staff API', () => {
  it('refuses every API call without a valid session (401)', async () => {
    const { k, app } = await setup();
    await k.conversation.handleInbound(textFrom('1', 'gặp cán bộ', 'telegram'));
    const [ticket] = await k.handoff.desk.list();
    const calls = [
      { method: 'GET', url: '/staff/api/tickets' },
      { method: 'GET', url: `/staff/api/tickets/${ticket!.id}` },
      { method: 'POST', url: `/staff/api/tickets/${ticket!.id}/claim` },
      { method: 'POST', url: `/staff/api/tickets/${ticket!.id}/reply`, payload: { text: 'x' } },
      { method: 'POST', url: `/staff/api/tickets/${ticket!.id}/hand-back` },
      { method: 'POST', url: `/staff/api/tickets/${ticket!.id}/close` },
      { method: 'POST', url: `/staff/api/tickets/${ticket!.id}/transfer`, payload: { to: 'minh' } },
      { method: 'GET', url: '/staff/api/events' },
      { method: 'GET', url: '/staff/api/me' },
    ] as const;
    const good = cookieOf(await login(app, 'lan'));
    const forged = good.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    for (const cookie of [undefined, forged, 'staff_session=0123456789abcdef']) {
      for (const call of calls) {
        const response = await app.inject({ ...call, ...(cookie ? { headers: { cookie } } : {}) });
        expect(response.statusCode, `${call.method} ${call.url} with ${cookie ?? 'no cookie'}`).toBe(401);
      }
    }
    expect((await k.handoff.desk.get(ticket!.id))!.ticket.status).toBe('waiting');
    expect((await app.inject({ method: 'GET', url: '/staff/api/tickets', headers: { cookie: good } })).statusCode).toBe(200);
  });

  it('logs in with a signed, httpOnly, SameSite=Strict cookie; logout and removing the account end the session', async () => {
    const { k, app, second } = await setup();
    const response = await login(app, 'lan');
    expect(response.statusCode).toBe(200);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Strict/i);
    expect(header).toMatch(/Path=\/staff/);
    const cookie = cookieOf(response);
    // The session is in Redis: another instance accepts it.
    expect((await second.inject({ method: 'GET', url: '/staff/api/me', headers: { cookie } })).json()).toEqual({ username: 'lan', name: 'Nguyễn Thị Lan' });
    await app.inject({ method: 'POST', url: '/staff/api/logout', headers: { cookie } });
    expect((await second.inject({ method: 'GET', url: '/staff/api/me', headers: { cookie } })).statusCode).toBe(401);

    const minh = cookieOf(await login(app, 'minh'));
    await createStaffAccounts({ redis: k.redis, prefix: k.prefix }).remove('minh');
    expect((await app.inject({ method: 'GET', url: '/staff/api/me', headers: { cookie: minh } })).statusCode).toBe(401);
    expect((await k.handoff.audit.recent()).map((a) => `${a.staff}:${a.action}`)).toEqual(['minh:login', 'lan:logout', 'lan:login']);
  });

  it('five wrong passwords → 429 for that username and IP, on every instance', async () => {
    const { app, second } = await setup();
    for (let i = 0; i < 5; i += 1) expect((await login(i % 2 ? second : app, 'lan', 'sai-mat-khau-123')).statusCode).toBe(401);
    const blocked = await login(second, 'lan');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(app, 'lan')).statusCode).toBe(429);
    // Someone else, or the same person from another address, is not locked out.
    expect((await login(app, 'minh')).statusCode).toBe(200);
    expect((await login(app, 'lan', PASSWORD, '10.0.0.2')).statusCode).toBe(200);
    // An unknown username is answered like a wrong password.
    expect((await login(app, 'khong-co', PASSWORD)).statusCode).toBe(401);
  });

  it('two staff claiming one ticket over HTTP on two instances: one 200, one 409; actions check the holder', async () => {
    const { k, app, second } = await setup();
    await k.conversation.handleInbound(textFrom('2', 'gặp cán bộ', 'telegram'));
    const [ticket] = await k.handoff.desk.list();
    const lan = cookieOf(await login(app, 'lan'));
    const minh = cookieOf(await login(second, 'minh'));
    const [a, b] = await Promise.all([
      app.inject({ method: 'POST', url: `/staff/api/tickets/${ticket!.id}/claim`, headers: { cookie: lan } }),
      second.inject({ method: 'POST', url: `/staff/api/tickets/${ticket!.id}/claim`, headers: { cookie: minh } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const [winner, loser] = a.statusCode === 200 ? [lan, minh] : [minh, lan];
    expect((a.statusCode === 200 ? b : a).json()).toMatchObject({ error: 'already_claimed' });

    const reply = (cookie: string, text: string) => app.inject({ method: 'POST', url: `/staff/api/tickets/${ticket!.id}/reply`, headers: { cookie }, payload: { text } });
    expect((await reply(loser, 'xin chào')).statusCode).toBe(409);
    expect((await reply(winner, '   ')).statusCode).toBe(400);
    expect((await reply(winner, 'Chào anh/chị ạ')).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/staff/api/tickets/${ticket!.id}/transfer`, headers: { cookie: winner }, payload: { to: 'nobody' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/staff/api/tickets/0000000000/claim', headers: { cookie: winner } })).statusCode).toBe(404);

    const detail = (await app.inject({ method: 'GET', url: `/staff/api/tickets/${ticket!.id}`, headers: { cookie: loser } })).json();
    expect(detail.transcript.map((e: { from: string }) => e.from)).toEqual(['system', 'system', 'staff']);
    expect((await app.inject({ method: 'POST', url: `/staff/api/tickets/${ticket!.id}/close`, headers: { cookie: winner } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/staff/api/tickets', headers: { cookie: winner } })).json().tickets).toEqual([]);
  });

  it('serves the console page with a strict CSP; refuses to start without a session secret', async () => {
    const { app, k } = await setup();
    const page = await app.inject({ method: 'GET', url: '/staff' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(String(page.headers['content-security-policy'])).toMatch(/script-src 'nonce-[^']+'/);
    expect(page.body).toContain('Đăng nhập');
    expect(() => staffRoutes({ handoff: k.handoff, redis: k.redis, prefix: k.prefix, sessionSecret: '', log: silentLogger })).toThrow(StaffConfigError);
  });
});
