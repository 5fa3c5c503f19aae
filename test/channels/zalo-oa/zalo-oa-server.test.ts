/**
 * The Zalo OA channel as `npm start` runs it (startServer, real Redis or the token file, real
 * sockets) against the local fake OA: signed events in, customer-service messages out, tokens
 * refreshed once across instances, rotated tokens kept across restarts, never logged.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/http/create-logger.js';
import { startServer, type RunningServer } from '../../../src/start-server.js';
import { startFakeZaloOa, type FakeZaloOa } from '../../helpers/fake-zalo-oa.js';
import { redisUrlForTests, uniquePrefix } from '../../helpers/redis.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

interface Started {
  server: RunningServer;
  url: string;
  logs: string[];
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zalo-oa-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function fakeOa(): Promise<FakeZaloOa> {
  const oa = await startFakeZaloOa();
  cleanups.push(() => oa.stop());
  return oa;
}

/** One server instance with the OA channel on; `store`: Redis under `prefix`, or the token file. */
async function startOaServer(oa: FakeZaloOa, options: { prefix?: string; tokenFile?: string; env?: Record<string, string> }): Promise<Started> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) }) });
  const config = loadConfig({
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://chatbot.phuong9.example',
    ...oa.env(),
    ...(options.prefix ? { REDIS_URL: redisUrlForTests(), REDIS_KEY_PREFIX: options.prefix } : {}),
    ...(options.tokenFile ? { ZALO_OA_TOKEN_FILE: options.tokenFile } : {}),
    ...options.env,
  });
  const server = await startServer(config, { logger, port: 0, processMetrics: false, channels: { retryDelayMs: 50 } });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
  };
  cleanups.push(close);
  return { server, url: server.url, logs };
}

const webhook = (s: Started) => `${s.url}/webhooks/zalo-oa`;
let nextUser = 1;
const user = () => `55101857582619${String(nextUser++).padStart(5, '0')}`;

function expectNoTokens(logs: string[], tokens: string[]): void {
  const all = logs.join('\n');
  for (const token of tokens) expect(all).not.toContain(token);
}

describe('Zalo OA webhook through startServer', () => {
  it('answers a signed text event: the reply reaches the fake for that citizen, choices numbered, links written out', async () => {
    const oa = await fakeOa();
    const tokens = oa.issueTokens();
    const s = await startOaServer(oa, { prefix: uniquePrefix('oa'), env: { ZALO_OA_REFRESH_TOKEN: tokens.refreshToken, ZALO_OA_ACCESS_TOKEN: tokens.accessToken } });
    expect(s.server.channels.map((c) => c.name)).toContain('zalo-oa');
    const citizen = user();
    const answer = await oa.postEvent(webhook(s), oa.textEvent(citizen, 'đăng ký kết hôn'));
    expect(answer.status).toBe(200);
    // The 200 comes once the turn is saved; the replies follow it (in order).
    const texts = (await oa.waitFor(() => (oa.sent(citizen).some((m) => m.text.includes('Đăng ký kết hôn')) ? oa.sent(citizen) : undefined))).map((m) => m.text);
    expect(texts.join('\n')).toContain('Xin chào');
    expect(texts.join('\n')).toContain('Đăng ký kết hôn');
    expect(texts.join('\n')).toMatch(/^1\. .+$/m);
    expect(texts.join('\n')).not.toContain('**');
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(2000);
    expect(oa.sent().every((m) => m.user_id === citizen)).toBe(true);
    // Each request carried the access token in its header, never in the URL.
    for (const call of oa.calls.filter((c) => c.method === 'message/cs')) expect(call.headers.access_token).toBe(tokens.accessToken);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    expectNoTokens(s.logs, [tokens.accessToken, tokens.refreshToken, oa.appSecret, oa.secretKey]);
  });

  it('refuses a wrong signature, no signature, a stale or future timestamp and a tampered body with 401, and sends nothing', async () => {
    const oa = await fakeOa();
    const tokens = oa.issueTokens();
    const s = await startOaServer(oa, { prefix: uniquePrefix('oa'), env: { ZALO_OA_REFRESH_TOKEN: tokens.refreshToken, ZALO_OA_ACCESS_TOKEN: tokens.accessToken } });
    const citizen = user();
    expect((await oa.postEvent(webhook(s), oa.textEvent(citizen, 'xin chào'), { signature: 'wrong' })).status).toBe(401);
    expect((await oa.postEvent(webhook(s), oa.textEvent(citizen, 'xin chào'), { signature: 'none' })).status).toBe(401);
    // Signed correctly, but older than the dedupe window (24 h): a replay.
    expect((await oa.postEvent(webhook(s), oa.textEvent(citizen, 'xin chào', { timestamp: Date.now() - 25 * 3_600_000 }))).status).toBe(401);
    expect((await oa.postEvent(webhook(s), oa.textEvent(citizen, 'xin chào', { timestamp: Date.now() + 3_600_000 }))).status).toBe(401);
    // The signature covers the raw bytes: re-serialising (here, with spaces) breaks it.
    const event = oa.textEvent(citizen, 'xin chào');
    const signedFor = JSON.stringify(event);
    const tampered = JSON.stringify(event, null, 1);
    const res = await fetch(webhook(s), { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': oa.signature(signedFor, oa.appId, String(event.timestamp)) }, body: tampered });
    expect(res.status).toBe(401);
    expect(oa.sent(citizen)).toEqual([]);
    expect(s.logs.join('\n')).toContain('zalo-oa webhook refused: event too old (replay)');
  });

  it('answers the same msg_id delivered four times (two at once) exactly once', async () => {
    const oa = await fakeOa();
    const tokens = oa.issueTokens();
    const s = await startOaServer(oa, { prefix: uniquePrefix('oa'), env: { ZALO_OA_REFRESH_TOKEN: tokens.refreshToken, ZALO_OA_ACCESS_TOKEN: tokens.accessToken } });
    const citizen = user();
    const event = oa.textEvent(citizen, '/start');
    const statuses = await Promise.all([oa.postEvent(webhook(s), event), oa.postEvent(webhook(s), event)]);
    statuses.push(await oa.postEvent(webhook(s), event), await oa.postEvent(webhook(s), event));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await s.server.close();
    expect(oa.sent(citizen).filter((m) => m.text.includes('Xin chào'))).toHaveLength(1);
  });

  it('on -216 refreshes once, retries once, and delivers; the new pair is stored', async () => {
    const oa = await fakeOa();
    const tokens = oa.issueTokens();
    const prefix = uniquePrefix('oa');
    const s = await startOaServer(oa, { prefix, env: { ZALO_OA_REFRESH_TOKEN: tokens.refreshToken, ZALO_OA_ACCESS_TOKEN: tokens.accessToken } });
    oa.expireAccessTokens();
    const citizen = user();
    expect((await oa.postEvent(webhook(s), oa.textEvent(citizen, '/start'))).status).toBe(200);
    await oa.waitFor(() => oa.sent(citizen).length > 0, 10_000, 'the reply');
    expect(oa.refreshCalls()).toHaveLength(1);
    expect(oa.refreshCalls()[0]!.params).toMatchObject({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken, app_id: oa.appId });
    expect(oa.refreshCalls()[0]!.headers.secret_key).toBe(oa.appSecret);
    expect(oa.sent(citizen).length).toBeGreaterThan(0);
    // One refused send (-216), then the retry with the new token.
    const cs = oa.calls.filter((c) => c.method === 'message/cs');
    expect(cs[0]!.error).toBe(-216);
    expect(cs[1]!.headers.access_token).not.toBe(tokens.accessToken);
    expect(s.logs.join('\n')).toContain('zalo-oa access token refreshed');
    expectNoTokens(s.logs, [tokens.accessToken, tokens.refreshToken, String(cs[1]!.headers.access_token)]);
  });

  it('two instances on one Redis hitting an expired token at once make exactly one refresh call, and both deliver', async () => {
    const oa = await fakeOa();
    const tokens = oa.issueTokens();
    const prefix = uniquePrefix('oa');
    const env = { ZALO_OA_REFRESH_TOKEN: tokens.refreshToken, ZALO_OA_ACCESS_TOKEN: tokens.accessToken };
    const [a, b] = await Promise.all([startOaServer(oa, { prefix, env }), startOaServer(oa, { prefix, env })]);
    oa.expireAccessTokens();
    // A slow token endpoint, so both instances are refreshing at the same moment.
    oa.refreshDelayMs = 300;
    const [first, second] = [user(), user()];
    const answers = await Promise.all([oa.postEvent(webhook(a!), oa.textEvent(first, '/start')), oa.postEvent(webhook(b!), oa.textEvent(second, '/start'))]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    await oa.waitFor(() => oa.sent(first).length > 0 && oa.sent(second).length > 0, 10_000, 'both replies');
    expect(oa.refreshCalls()).toHaveLength(1);
    expect(oa.calls.filter((c) => c.method === 'access_token' && c.error === -14020)).toEqual([]);
    expect(oa.sent(first).length).toBeGreaterThan(0);
    expect(oa.sent(second).length).toBeGreaterThan(0);
  });

  it('without Redis, two instances sharing the token file also refresh once; the file is mode 0600', async () => {
    const oa = await fakeOa();
    const tokens = oa.issueTokens();
    const tokenFile = join(tempDir(), 'oa-tokens.json');
    const env = { ZALO_OA_REFRESH_TOKEN: tokens.refreshToken, ZALO_OA_ACCESS_TOKEN: tokens.accessToken };
    const a = await startOaServer(oa, { tokenFile, env });
    const b = await startOaServer(oa, { tokenFile, env });
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    oa.expireAccessTokens();
    oa.refreshDelayMs = 300;
    const [first, second] = [user(), user()];
    await Promise.all([oa.postEvent(webhook(a), oa.textEvent(first, '/start')), oa.postEvent(webhook(b), oa.textEvent(second, '/start'))]);
    await oa.waitFor(() => oa.sent(first).length > 0 && oa.sent(second).length > 0, 10_000, 'both replies');
    expect(oa.refreshCalls()).toHaveLength(1);
    expect(oa.sent(first).length).toBeGreaterThan(0);
    expect(oa.sent(second).length).toBeGreaterThan(0);
    const stored = JSON.parse(readFileSync(tokenFile, 'utf8')) as { refreshToken: string; accessToken: string };
    expect(stored.refreshToken).not.toBe(tokens.refreshToken);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expectNoTokens([...a.logs, ...b.logs], [stored.accessToken, stored.refreshToken, tokens.refreshToken]);
  });

  for (const store of ['redis', 'file'] as const) {
    it(`after a restart uses the stored, rotated refresh token, not the dead one from the environment (${store})`, async () => {
      const oa = await fakeOa();
      const tokens = oa.issueTokens();
      const where = store === 'redis' ? { prefix: uniquePrefix('oa') } : { tokenFile: join(tempDir(), 'tokens.json') };
      // First start: only the bootstrap refresh token; the channel refreshes it at once. The
      // server is stopped while Zalo is still answering: stopping must wait and keep the new pair.
      const env = { ZALO_OA_REFRESH_TOKEN: tokens.refreshToken };
      oa.refreshDelayMs = 300;
      const first = await startOaServer(oa, { ...where, env });
      await oa.waitFor(() => oa.refreshCalls().length === 1, 5000, 'the first refresh');
      await first.server.close();
      oa.refreshDelayMs = 0;
      // The environment still holds the first refresh token, which Zalo no longer accepts.
      oa.expireAccessTokens();
      const second = await startOaServer(oa, { ...where, env });
      const citizen = user();
      expect((await oa.postEvent(webhook(second), oa.textEvent(citizen, '/start'))).status).toBe(200);
      await oa.waitFor(() => oa.sent(citizen).length > 0, 10_000, 'the reply');
      expect(oa.refreshCalls()).toHaveLength(2);
      expect(oa.refreshCalls()[1]!.params.refresh_token).not.toBe(tokens.refreshToken);
      expect(oa.calls.filter((c) => c.error === -14020)).toEqual([]);
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    });
  }

  it('says "zalo-oa not authorized" on /readyz without tokens, and when the refresh token is refused', async () => {
    const oa = await fakeOa();
    const s = await startOaServer(oa, { prefix: uniquePrefix('oa') });
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { problems: string[] }).problems).toEqual(['zalo-oa not authorized (run: npm run cli -- zalo-oa authorize)']);
    // A citizen writing meanwhile is still acknowledged; the reply cannot go out.
    const citizen = user();
    expect((await oa.postEvent(webhook(s), oa.textEvent(citizen, '/start'))).status).toBe(200);
    await s.server.close();
    expect(oa.sent(citizen)).toEqual([]);
    expect(s.logs.join('\n')).toMatch(/zalo-oa send failed; message dropped.*|"reason":"unauthorized"/);

    const dead = await startOaServer(oa, { prefix: uniquePrefix('oa'), env: { ZALO_OA_REFRESH_TOKEN: 'RT-a-dead-refresh-token-0123456789' } });
    await oa.waitFor(() => oa.calls.some((c) => c.error === -14020), 5000, 'the refused refresh');
    await oa.waitFor(() => dead.logs.some((l) => l.includes('authorise the OA again')), 5000, 'the log line');
    const answer = await fetch(`${dead.url}/readyz`);
    expect(((await answer.json()) as { problems: string[] }).problems[0]).toMatch(/zalo-oa not authorized: the refresh token was refused/);
    expect(dead.logs.join('\n')).toContain('authorise the OA again');
    expect(dead.logs.join('\n')).not.toContain('RT-a-dead-refresh-token-0123456789');
  });
});
