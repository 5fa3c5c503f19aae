import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisClient, waitForRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { createRedisSessionStore } from '../../src/store/redis-session-store.js';
import { buildTestApp, type TestApp } from '../helpers/build-test-app.js';
import { startRedisServer, uniquePrefix, type RedisServerHandle } from '../helpers/redis.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function app(options: Parameters<typeof buildTestApp>[0] = {}): Promise<TestApp> {
  const t = await buildTestApp(options);
  cleanups.push(() => t.close());
  return t;
}

async function say(t: TestApp, id: string, body: Record<string, unknown>) {
  const response = await t.app.inject({ method: 'POST', url: `/webchat/conversations/${id}/messages`, payload: { messageId: randomUUID(), ...body } });
  return response.json() as { status: string; replies: Array<{ html: string }> };
}

describe('health, readiness and errors', () => {
  it('answers /healthz and /readyz with the memory store, and unknown paths with 404 not_found', async () => {
    const t = await app();
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
    const missing = await t.app.inject({ url: '/nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  describe('with Redis that goes down', () => {
    let server: RedisServerHandle;
    let redis: RedisClient;

    it('says not ready (503) while Redis is down, still answers /healthz, apologises to citizens, and recovers', async () => {
      server = await startRedisServer();
      cleanups.push(() => server.stop());
      redis = createRedisClient({ REDIS_URL: server.url }, { commandTimeoutMs: 500, connectTimeoutMs: 500 });
      cleanups.push(async () => redis.disconnect());
      const store = createRedisSessionStore({ redis, prefix: uniquePrefix('readyz'), sessionTtlSeconds: 600, dedupeTtlSeconds: 600 });
      const t = await app({ store });
      // waitForRedis checks the status first: a 'ready' event before we listen is not missed.
      await waitForRedis(redis, 15_000);
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);

      await server.stop();
      const down = await t.app.inject({ url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'not_ready', problems: ['session store unreachable'] });
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);

      const apology = await say(t, randomUUID(), { kind: 'start' });
      expect(apology.status).toBe('degraded');
      expect(apology.replies[0]?.html).toContain('088 8801 247');

      await server.restart();
      await waitForRedis(redis, 15_000);
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    });
  });
});

describe('metrics', () => {
  it('counts turns by channel and status, replies, finder misses, handoffs and latency in Prometheus text', async () => {
    const t = await app();
    const id = randomUUID();
    const messageId = randomUUID();
    await say(t, id, { kind: 'start' });
    await say(t, id, { kind: 'text', text: 'mua vé máy bay đi Đà Nẵng', messageId });
    await say(t, id, { kind: 'text', text: 'mua vé máy bay đi Đà Nẵng', messageId });
    await say(t, id, { kind: 'text', text: 'gặp cán bộ' });

    const response = await t.app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    const value = (line: string): number => Number(new RegExp(`^${line.replace(/[{}"()[\]]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    expect(value('dvc_turns_total{channel="web",status="ok"}')).toBe(3);
    expect(value('dvc_turns_total{channel="web",status="duplicate"}')).toBe(1);
    expect(value('dvc_finder_not_found_total{channel="web"}')).toBe(1);
    expect(value('dvc_handoffs_total{channel="web",reason="asked"}')).toBe(1);
    expect(value('dvc_replies_sent_total{channel="web"}')).toBeGreaterThanOrEqual(3);
    expect(value('dvc_turn_duration_seconds_count{channel="web"}')).toBe(4);
    expect(text).toMatch(/^dvc_turn_duration_seconds_bucket\{le="0.005",channel="web"\} \d+$/m);

    await t.web.send(id, [{ text: 'Cán bộ trả lời' }]);
    const after = (await t.app.inject({ url: '/metrics' })).body;
    expect(Number(/^dvc_replies_sent_total\{channel="web"\} (\d+)$/m.exec(after)?.[1])).toBe(value('dvc_replies_sent_total{channel="web"}') + 1);
  });
});

describe('logs', () => {
  it('never contain what the citizen wrote, CCCD or phone numbers, or the conversation id', async () => {
    const t = await app();
    const id = randomUUID();
    await say(t, id, { kind: 'start' });
    await say(t, id, { kind: 'text', text: 'CCCD của tôi là 079123456789, số điện thoại 0912345678, bí mật riêng' });
    await t.app.inject({ method: 'POST', url: `/webchat/conversations/${id}/messages`, headers: { 'content-type': 'application/json' }, payload: '{"text": "0912345678' });
    await t.app.inject({ url: `/webchat/conversations/${id}/transcript?token=123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij` });
    const logs = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(4);
    expect(logs).toContain('/webchat/conversations/:id/messages');
    for (const secret of ['079123456789', '0912345678', 'bí mật riêng', id, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ']) expect(logs).not.toContain(secret);
  });
});
