/**
 * Web conversations are bounded: new ones per client address (IPv6 by /64) in 24 hours and in
 * all; a conversation already started always goes on; erasing one frees its place; the transcript
 * lives WEB_TRANSCRIPT_TTL_SECONDS, less than the session. Run on both stores.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisClient, waitForRedis } from '../../../src/store/redis-connection.js';
import { createRedisSessionStore } from '../../../src/store/redis-session-store.js';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';
import { redisUrlForTests, uniquePrefix } from '../../helpers/redis.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

interface Setup {
  t: TestApp;
  redis?: { client: Redis; prefix: string };
}

const setups: Record<string, (env: Record<string, string>) => Promise<Setup>> = {
  memory: async (env) => {
    const t = await buildTestApp({ env, trustProxy: true, webRateLimitPerMinute: 1000 });
    cleanups.push(() => t.close());
    return { t };
  },
  redis: async (env) => {
    const prefix = uniquePrefix('weblimits');
    const client = createRedisClient({ REDIS_URL: redisUrlForTests() });
    await waitForRedis(client);
    const store = createRedisSessionStore({ redis: client, prefix, sessionTtlSeconds: 600, dedupeTtlSeconds: 600 });
    const t = await buildTestApp({ store, redis: { client, prefix }, env: { SESSION_TTL_SECONDS: '600', ...env }, trustProxy: true, webRateLimitPerMinute: 1000 });
    cleanups.push(async () => {
      await t.close();
      await store.close();
      client.disconnect();
    });
    return { t, redis: { client: client as Redis, prefix } };
  },
};

async function say(t: TestApp, id: string, from: string, body: Record<string, unknown>) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/webchat/conversations/${id}/messages`,
    headers: { 'x-forwarded-for': from },
    payload: { messageId: randomUUID(), ...body },
  });
  return { status: response.statusCode, json: response.json() as { replies: Array<{ html: string; choices: Array<{ id: string; label: string }> }>; erased?: boolean; error?: { code: string; message: string } } };
}

for (const [name, setup] of Object.entries(setups)) {
  describe(`web conversation limits (${name})`, () => {
    for (const [family, a, sameGroup, other] of [
      ['IPv4', '203.0.113.7', '203.0.113.7', '203.0.113.9'],
      ['IPv6', '2001:db8:7:1::1', '2001:db8:7:1:abcd::2', '2001:db8:7:2::1'],
    ] as const) {
      it(`one ${family} client starts at most WEB_CONVERSATIONS_PER_ADDRESS conversations; those go on, others still start`, async () => {
        const { t } = await setup({ WEB_CONVERSATIONS_PER_ADDRESS: '3' });
        const ids = [randomUUID(), randomUUID(), randomUUID()];
        for (const [i, id] of ids.entries()) expect((await say(t, id, i % 2 ? a : sameGroup, { kind: 'start' })).status).toBe(200);

        const refused = await say(t, randomUUID(), sameGroup, { kind: 'start' });
        expect(refused.status).toBe(429);
        expect(refused.json.error?.code).toBe('too_many_conversations');
        // What the page shows: the reason and the ward's hotline.
        expect(refused.json.error?.message).toContain('quá nhiều cuộc trò chuyện mới');
        expect(refused.json.error?.message).toContain('088 8801 247');
        // The sample hotline says it is a sample, as every other text that shows it (content/unit.yaml).
        expect(refused.json.error?.message).toContain('088 8801 247 — số mẫu, chưa xác nhận');

        const goesOn = await say(t, ids[0]!, a, { kind: 'text', text: 'đăng ký kết hôn' });
        expect(goesOn.status).toBe(200);
        expect(goesOn.json.replies.map((r) => r.html).join('\n')).toContain('Đăng ký kết hôn');
        expect((await say(t, randomUUID(), other, { kind: 'start' })).status).toBe(200);
      });
    }

    it('keeps at most WEB_CONVERSATIONS_TOTAL conversations; erasing one ("xóa dữ liệu") frees its place', async () => {
      const { t } = await setup({ WEB_CONVERSATIONS_TOTAL: '3' });
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const [i, id] of ids.entries()) expect((await say(t, id, `198.51.100.${i + 1}`, { kind: 'start' })).status).toBe(200);
      const refused = await say(t, randomUUID(), '198.51.100.50', { kind: 'start' });
      expect(refused.status).toBe(429);
      expect(refused.json.error?.code).toBe('too_many_conversations');

      const ask = await say(t, ids[1]!, '198.51.100.2', { kind: 'text', text: 'xóa dữ liệu' });
      const yes = ask.json.replies.at(-1)?.choices.find((c) => c.id === 'yes');
      const erased = await say(t, ids[1]!, '198.51.100.2', { kind: 'choice', choiceId: 'yes', label: yes?.label });
      expect(erased.json.erased).toBe(true);
      expect((await say(t, randomUUID(), '198.51.100.50', { kind: 'start' })).status).toBe(200);
    });

    if (name === 'redis') {
      it('keeps the transcript for WEB_TRANSCRIPT_TTL_SECONDS, less than the session, and the bounds under the prefix', async () => {
        const { t, redis } = await setup({ WEB_TRANSCRIPT_TTL_SECONDS: '120' });
        const id = randomUUID();
        expect((await say(t, id, '192.0.2.1', { kind: 'start' })).status).toBe(200);
        const { client, prefix } = redis!;
        const transcriptTtl = await client.pttl(`${prefix}{web:${id}}:transcript`);
        const sessionTtl = await client.pttl(`${prefix}{web:${id}}:session`);
        expect(transcriptTtl).toBeGreaterThan(0);
        expect(transcriptTtl).toBeLessThanOrEqual(120_000);
        expect(sessionTtl).toBeGreaterThan(120_000);
        expect(await client.zscore(`${prefix}{webadmit}:live`, id)).not.toBeNull();
        expect(await client.pttl(`${prefix}{webadmit}:addr:192.0.2.1`)).toBeGreaterThan(0);
      });
    }
  });
}
