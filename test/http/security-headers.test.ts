/**
 * Security headers on every route of the whole server (startServer with Redis, the staff desk and
 * every channel on its local fake platform), walked from the app's route table: a route added
 * later is checked without touching this test.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { routeTable } from '../../src/http/build-app.js';
import { createLogger } from '../../src/http/create-logger.js';
import { startServer, type RunningServer } from '../../src/start-server.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { startFakeZalo, type FakeZalo } from '../helpers/fake-zalo.js';
import { startFakeZaloOa, type FakeZaloOa } from '../helpers/fake-zalo-oa.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';

const PAGE_CSP = (frameAncestors: string) =>
  new RegExp(
    `^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]{24}'; style-src 'nonce-[A-Za-z0-9+/=]{24}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors ${frameAncestors.replace(/\*/g, '\\*')}$`,
  );

let server: RunningServer;
let fakes: { tg: FakeTelegram; zalo: FakeZalo; oa: FakeZaloOa };

beforeAll(async () => {
  fakes = { tg: await startFakeTelegram(), zalo: await startFakeZalo(), oa: await startFakeZaloOa() };
  const tokens = fakes.oa.issueTokens();
  const config = loadConfig({
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://chatbot.phuong9.example',
    REDIS_URL: redisUrlForTests(),
    REDIS_KEY_PREFIX: uniquePrefix('headers'),
    STAFF_SESSION_SECRET: 'headers-session-secret-0123456789',
    TELEGRAM_BOT_TOKEN: fakes.tg.token,
    TELEGRAM_API_ROOT: fakes.tg.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: 'headers-secret_1',
    ZALO_BOT_TOKEN: fakes.zalo.token,
    ZALO_API_ROOT: fakes.zalo.apiRoot,
    ZALO_WEBHOOK_SECRET: 'headers-zalo-secret',
    ZALO_OA_APP_ID: fakes.oa.appId,
    ZALO_OA_ID: fakes.oa.oaId,
    ZALO_OA_APP_SECRET: fakes.oa.appSecret,
    ZALO_OA_SECRET_KEY: fakes.oa.secretKey,
    ZALO_OA_API_ROOT: fakes.oa.root,
    ZALO_OA_OAUTH_ROOT: fakes.oa.root,
    ZALO_OA_REFRESH_TOKEN: tokens.refreshToken,
    ZALO_OA_ACCESS_TOKEN: tokens.accessToken,
  });
  server = await startServer(config, { logger: createLogger({ level: 'silent' }), port: 0, processMetrics: false, channels: { retryDelayMs: 50 } });
});

afterAll(async () => {
  await server?.close();
  await Promise.all([fakes?.tg.stop(), fakes?.zalo.stop(), fakes?.oa.stop()]);
});

/** One request as a browser or a platform would send it (params filled, a JSON body on writes); the response headers. */
async function headersOf(method: string, pattern: string): Promise<{ status: number; headers: Headers }> {
  const url = pattern.replace(/:conversationId/g, randomUUID()).replace(/:[A-Za-z]+/g, 'x1');
  const controller = new AbortController();
  const response = await fetch(`${server.url}${url}`, {
    method,
    signal: controller.signal,
    ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }),
  });
  // Event streams stay open: the headers are all this needs.
  controller.abort();
  return { status: response.status, headers: response.headers };
}

describe('security headers', () => {
  it('the route table has the routes of every part: web chat, webhooks, console, probes', () => {
    const urls = routeTable(server.app).map((r) => r.url);
    for (const url of ['/', '/webchat/embed.js', '/webchat/conversations/:conversationId/events', '/webhooks/telegram', '/webhooks/zalo', '/webhooks/zalo-oa', '/zalo-oa/callback', '/staff', '/staff/api/tickets', '/healthz', '/readyz', '/metrics']) {
      expect(urls).toContain(url);
    }
  });

  it('every route sends X-Content-Type-Options: nosniff, whatever it answers', async () => {
    const routes = routeTable(server.app);
    expect(routes.length).toBeGreaterThan(25);
    const missing: string[] = [];
    for (const { method, url } of routes) {
      const { status, headers } = await headersOf(method, url);
      if (headers.get('x-content-type-options') !== 'nosniff') missing.push(`${method} ${url} (${status})`);
      if (!headers.get('content-security-policy')) missing.push(`${method} ${url} (${status}): no CSP`);
      if (!headers.get('strict-transport-security')) missing.push(`${method} ${url} (${status}): no HSTS`);
    }
    expect(missing).toEqual([]);
  });

  it('an unknown path gets them too', async () => {
    const { status, headers } = await headersOf('GET', '/nowhere');
    expect(status).toBe(404);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('content-security-policy')).toBe("default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'");
  });

  it('the pages keep their own nonce CSP: the chat page may be framed by the ward site, the console by nobody', async () => {
    const chat = await headersOf('GET', '/');
    expect(chat.headers.get('content-security-policy')).toMatch(PAGE_CSP('*'));
    expect(chat.headers.get('x-frame-options')).toBeNull();
    expect(chat.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const staff = await headersOf('GET', '/staff');
    expect(staff.headers.get('content-security-policy')).toMatch(PAGE_CSP("'none'"));
    expect(staff.headers.get('x-frame-options')).toBe('DENY');
  });

  it('embed.js can be loaded by another site, and JSON APIs allow nothing to load', async () => {
    const embed = await headersOf('GET', '/webchat/embed.js');
    expect(embed.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(embed.headers.get('x-content-type-options')).toBe('nosniff');
    const api = await headersOf('GET', '/webchat/conversations/:conversationId/transcript');
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'");
    expect(api.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });
});
