/**
 * Stored web transcripts hold no typed CCCD or phone number: what a reload shows is masked
 * ("0912 *** 678"), the ward's hotline in the bot's replies stays readable. Run on both stores.
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
  /** Everything stored for the conversation, as raw text (Redis only). */
  raw?: (id: string) => Promise<string>;
}

const setups: Record<string, () => Promise<Setup>> = {
  memory: async () => {
    const t = await buildTestApp();
    cleanups.push(() => t.close());
    return { t };
  },
  redis: async () => {
    const prefix = uniquePrefix('webmask');
    const redis = createRedisClient({ REDIS_URL: redisUrlForTests() });
    await waitForRedis(redis);
    const store = createRedisSessionStore({ redis, prefix, sessionTtlSeconds: 600, dedupeTtlSeconds: 600 });
    const t = await buildTestApp({ store, redis: { client: redis, prefix } });
    cleanups.push(async () => {
      await t.close();
      await store.close();
      redis.disconnect();
    });
    return { t, raw: async (id) => (await (redis as Redis).lrange(`${prefix}{web:${id}}:transcript`, 0, -1)).join('\n') };
  },
};

const visible = (html: string) => html.replace(/<[^>]*>/g, '');

for (const [name, setup] of Object.entries(setups)) {
  describe(`web transcript masking (${name})`, () => {
    for (const [typed, shown] of [
      ['số tôi 0912345678, cccd 079123456789', 'số tôi 0912 *** 678, cccd 079 ****** 789'],
      ['gọi +84 912 345 678 giúp tôi', 'gọi 0912 *** 678 giúp tôi'],
      ['sđt 0912.345.678 cmnd 123456789', 'sđt 0912 *** 678 cmnd *********'],
    ] as const) {
      it(`after a reload the citizen sees "${shown}", and the store holds no number`, async () => {
        const { t, raw } = await setup();
        const id = randomUUID();
        const post = (body: Record<string, unknown>) =>
          t.app.inject({ method: 'POST', url: `/webchat/conversations/${id}/messages`, payload: { messageId: randomUUID(), ...body } });
        await post({ kind: 'start' });
        const live = (await post({ kind: 'text', text: typed })).json() as { replies: Array<{ html: string }> };
        // The live answer is the same as before: only what is kept changes.
        expect(live.replies.length).toBeGreaterThan(0);

        const entries = ((await t.app.inject({ url: `/webchat/conversations/${id}/transcript` })).json() as { entries: Array<{ from: string; text?: string; html?: string }> }).entries;
        expect(entries.filter((e) => e.from === 'citizen').map((e) => e.text)).toEqual([shown]);
        const botTexts = entries.filter((e) => e.from === 'bot').map((e) => visible(e.html ?? ''));
        // The ward's hotline is not the citizen's number: it is still readable after the reload.
        const liveTexts = live.replies.map((r) => visible(r.html));
        if (liveTexts.join('\n').includes('088 8801 247')) expect(botTexts.join('\n')).toContain('088 8801 247');
        for (const digits of ['912345678', '079123456789', '123456789']) {
          expect(entries.map((e) => (e.text ?? '') + (e.html ?? '')).join('\n').replace(/\D/g, '')).not.toContain(digits);
        }
        if (raw) {
          const stored = await raw(id);
          expect(stored.length).toBeGreaterThan(0);
          expect(stored).not.toMatch(/912[\s.]?345[\s.]?678|079123456789|123456789/);
        }
      });
    }

    it("keeps the ward's hotline readable in the bot's replies", async () => {
      const { t } = await setup();
      const id = randomUUID();
      const post = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/webchat/conversations/${id}/messages`, payload: { messageId: randomUUID(), ...body } });
      await post({ kind: 'start' });
      const live = (await post({ kind: 'text', text: 'gặp cán bộ' })).json() as { replies: Array<{ html: string }> };
      expect(live.replies.map((r) => visible(r.html)).join('\n')).toContain('088 8801 247');
      const entries = ((await t.app.inject({ url: `/webchat/conversations/${id}/transcript` })).json() as { entries: Array<{ html?: string }> }).entries;
      expect(entries.map((e) => visible(e.html ?? '')).join('\n')).toContain('088 8801 247');
    });
  });
}
