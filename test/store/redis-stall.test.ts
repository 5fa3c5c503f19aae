/**
 * @module A Redis stall must not leave a stale lease: a lock request that timed out on the client
 * while Redis was paused (CLIENT PAUSE on a private redis-server) still runs in Redis when it comes
 * back; the chat must be free then, not held for a lease length by a turn nobody runs.
 */
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { newSession } from '../../src/engine/session.js';
import { createRedisClient, waitForRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { createRedisSessionStore } from '../../src/store/redis-session-store.js';
import { StoreUnavailableError, type SessionStore } from '../../src/store/session-store.js';
import { startRedisServer, uniquePrefix } from '../helpers/redis.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function client(url: string): Promise<RedisClient> {
  const redis = createRedisClient({ REDIS_URL: url });
  await waitForRedis(redis);
  cleanups.push(async () => redis.disconnect());
  return redis;
}

/** Resolves once `redis` answers again: every command it sent before has run in Redis by then. */
async function answered(redis: RedisClient): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await redis.ping().then(() => true, () => false)) return;
  }
  throw new Error('Redis did not come back');
}

const session = (key: string) => newSession(key, 'telegram', 1_700_000_000_000);

/** The lease deadlines in the turn queue, as ms from Redis's own clock now. */
async function leaseLeft(redis: RedisClient, turnKey: string): Promise<number[]> {
  const [seconds, micros] = (await redis.call('TIME')) as [string, string];
  const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const flat = await (redis as Redis).zrange(turnKey, '0', '-1', 'WITHSCORES');
  return flat.filter((_, i) => i % 2 === 1).map((score) => Number(score) - now);
}

describe('Redis stall', () => {
  it('a new lease is short until its holder renews it, so a lease whose release could not be sent lasts seconds', async () => {
    const server = await startRedisServer();
    cleanups.push(() => server.stop());
    const prefix = uniquePrefix('claim');
    const redis = await client(server.url);
    const store = createRedisSessionStore({ redis, prefix, sessionTtlSeconds: 600, dedupeTtlSeconds: 600, lockTtlMs: 10_000 });
    cleanups.push(() => store.close());
    const turnKey = `${prefix}{tg:1}:turn`;
    const seen = await store.runTurn('tg:1', 'm1', async () => ({ session: 'unchanged', result: await leaseLeft(redis, turnKey) }));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[0]).toBeLessThanOrEqual(3000);
  });

  it('a turn that runs longer than the short claim keeps the chat (renewed to the full lease) and saves', async () => {
    const server = await startRedisServer();
    cleanups.push(() => server.stop());
    const prefix = uniquePrefix('claimrenew');
    const a = await client(server.url);
    const b = await client(server.url);
    const storeA = createRedisSessionStore({ redis: a, prefix, sessionTtlSeconds: 600, dedupeTtlSeconds: 600 });
    const storeB = createRedisSessionStore({ redis: b, prefix, sessionTtlSeconds: 600, dedupeTtlSeconds: 600 });
    cleanups.push(async () => {
      await storeA.close();
      await storeB.close();
    });
    const order: string[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const long = storeA.runTurn('tg:2', 'm1', async () => {
      started();
      await new Promise((r) => setTimeout(r, 4000));
      order.push('long done');
      return { session: session('tg:2'), result: 'saved' };
    });
    await running;
    const next = storeB.runTurn('tg:2', 'm2', async () => {
      order.push('next ran');
      return { session: 'unchanged', result: 'next' };
    });
    await expect(long).resolves.toBe('saved');
    await expect(next).resolves.toBe('next');
    expect(order).toEqual(['long done', 'next ran']);
  });

  for (const [what, waiting] of [
    ['the lock request of an idle chat', false],
    ['the lock request of a turn waiting behind another', true],
  ] as const) {
    it(`${what} that timed out during CLIENT PAUSE leaves the chat free when Redis is back`, async () => {
      const server = await startRedisServer();
      cleanups.push(() => server.stop());
      const prefix = uniquePrefix('stall');
      const a = await client(server.url);
      const b = await client(server.url);
      const admin = await client(server.url);
      // Default lease (10 s): what production runs.
      const storeA: SessionStore = createRedisSessionStore({ redis: a, prefix, sessionTtlSeconds: 600, dedupeTtlSeconds: 600 });
      const storeB: SessionStore = createRedisSessionStore({ redis: b, prefix, sessionTtlSeconds: 600, dedupeTtlSeconds: 600, maxWaitMs: 3000 });
      cleanups.push(async () => {
        await storeA.close();
        await storeB.close();
      });
      const key = 'tg:4242';
      const turnKey = `${prefix}{${key}}:turn`;
      await storeA.runTurn(key, 'm0', async () => ({ session: session(key), result: null }));

      let releaseHolder = (): void => {};
      let holder: Promise<unknown> = Promise.resolve();
      if (waiting) {
        // Another instance holds the chat, so A's request is a waiter's poll when Redis stalls.
        let started!: () => void;
        const running = new Promise<void>((resolve) => (started = resolve));
        holder = storeB.runTurn(key, 'm-held', async () => {
          started();
          await new Promise<void>((resolve) => (releaseHolder = resolve));
          return { session: 'unchanged', result: null };
        });
        await running;
      }

      const stalled = storeA.runTurn(key, 'm1', async () => ({ session: session(key), result: 'ran' }));
      if (waiting) await new Promise((r) => setTimeout(r, 50));
      await admin.call('CLIENT', 'PAUSE', '2500', 'ALL');
      await expect(stalled).rejects.toBeInstanceOf(StoreUnavailableError);
      await answered(a);
      await answered(admin);
      releaseHolder();
      await holder.catch(() => undefined);

      // Nothing of A's abandoned request holds the chat.
      expect(await (admin as Redis).zrange(turnKey, '0', '-1')).toEqual([]);
      // And the next message of this chat, on another instance, runs at once.
      await expect(storeB.runTurn(key, 'm2', async () => ({ session: session(key), result: 'next' }))).resolves.toBe('next');
    });
  }
});
