/**
 * @module The Redis SessionStore on a real redis-server: the shared contract (single server and a
 * one-node Cluster), turns across instances, duplicate deliveries, restarts, outages, key layout,
 * expiry and erasure.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { newSession, type Session } from '../../src/engine/session.js';
import { createRedisClient, waitForRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { createRedisSessionStore, MAX_SEEN, type RedisSessionStoreOptions } from '../../src/store/redis-session-store.js';
import { StoreUnavailableError, type SessionStore } from '../../src/store/session-store.js';
import { redisUrlForTests, startRedisServer, uniquePrefix, type RedisServerHandle } from '../helpers/redis.js';
import { describeSessionStoreContract } from './session-store.case.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function session(key: string, vars: Session['vars'] = {}): Session {
  return { ...newSession(key, 'telegram', 1_700_000_000_000), vars };
}

async function connect(url = redisUrlForTests()): Promise<RedisClient> {
  const client = createRedisClient({ REDIS_URL: url });
  await waitForRedis(client);
  return client;
}

/** A store on its own connection; closing it also closes the connection. */
async function openStore(
  options: Partial<Omit<RedisSessionStoreOptions, 'redis'>> & { url?: string; client?: RedisClient } = {},
): Promise<SessionStore & { client: RedisClient }> {
  const client = options.client ?? (await connect(options.url));
  const store = createRedisSessionStore({
    sessionTtlSeconds: 3600,
    dedupeTtlSeconds: 3600,
    prefix: uniquePrefix('store'),
    ...options,
    redis: client,
  });
  return {
    ...store,
    client,
    async close() {
      await store.close();
      client.disconnect();
    },
  };
}

async function keysUnder(client: RedisClient, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await (client as Redis).scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}

describeSessionStoreContract('redis', async (options) => openStore(options));

describe('SessionStore contract on Redis Cluster', () => {
  let cluster: Promise<RedisServerHandle> | undefined;
  afterAll(async () => {
    if (cluster) await (await cluster).stop();
  });
  // Cluster mode refuses scripts whose keys span slots (CROSSSLOT), so this proves the hash tags.
  describeSessionStoreContract('redis cluster (one node)', async (options) => {
    cluster ??= startRedisServer({ cluster: true });
    const server = await cluster;
    const client = createRedisClient({ REDIS_CLUSTER_NODES: `127.0.0.1:${server.port}` });
    await waitForRedis(client);
    return openStore({ ...options, client });
  });
});

describe('Redis SessionStore', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  async function open(options: Parameters<typeof openStore>[0] = {}) {
    const store = await openStore(options);
    cleanup.push(() => store.close());
    return store;
  }

  it('runs 200 concurrent turns of one conversation through two instances one at a time, losing none', async () => {
    const prefix = uniquePrefix('concurrent');
    const a = await open({ prefix });
    const b = await open({ prefix });
    let active = 0;
    let overlaps = 0;
    const turns = Array.from({ length: 200 }, (_, i) =>
      (i % 2 ? a : b).runTurn('tg:42', `m${i}`, async ({ session: current, alreadyProcessed }) => {
        expect(alreadyProcessed).toBe(false);
        if (++active > 1) overlaps++;
        const count = (current?.vars.count as number | undefined) ?? 0;
        await new Promise((resolve) => setImmediate(resolve));
        active--;
        return { session: { ...session('tg:42', { count: count + 1 }), turns: (current?.turns ?? 0) + 1 }, result: i };
      }),
    );
    const results = await Promise.all(turns);
    expect(results).toHaveLength(200);
    expect(new Set(results).size).toBe(200);
    expect(overlaps).toBe(0);
    const final = await a.peek('tg:42');
    expect(final?.vars.count).toBe(200);
    expect(final?.turns).toBe(200);
    // No lock left behind, and the dedupe set stays bounded.
    expect(await keysUnder(a.client, prefix)).toEqual([`${prefix}{tg:42}:seen`, `${prefix}{tg:42}:session`]);
    expect(await a.client.zcard(`${prefix}{tg:42}:seen`)).toBe(MAX_SEEN);
  });

  it('handles a message delivered five times at once (to two instances) exactly once', async () => {
    const prefix = uniquePrefix('dupes');
    const a = await open({ prefix });
    const b = await open({ prefix });
    let handled = 0;
    const deliveries = Array.from({ length: 5 }, (_, i) =>
      (i % 2 ? a : b).runTurn('zalo:7', 'msg-1', async ({ session: current, alreadyProcessed }) => {
        if (alreadyProcessed) return { session: 'unchanged', result: 'duplicate' };
        handled++;
        return { session: session('zalo:7', { answered: ((current?.vars.answered as number) ?? 0) + 1 }), result: 'ok' };
      }),
    );
    expect((await Promise.all(deliveries)).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'ok']);
    expect(handled).toBe(1);
    expect((await a.peek('zalo:7'))?.vars.answered).toBe(1);
  });

  it('continues the conversation after a restart (new instances, same Redis)', async () => {
    const prefix = uniquePrefix('restart');
    const before = await openStore({ prefix });
    await before.runTurn('tg:5', 'm1', async () => ({ session: session('tg:5', { procedure_id: 'khai-sinh' }), result: null }));
    await before.close();

    const after = await open({ prefix });
    const seen = await after.runTurn('tg:5', 'm2', async (ctx) => ({ session: 'unchanged', result: ctx }));
    expect(seen).toEqual({ session: session('tg:5', { procedure_id: 'khai-sinh' }), alreadyProcessed: false });
    expect(await after.runTurn('tg:5', 'm1', async (ctx) => ({ session: 'unchanged', result: ctx.alreadyProcessed }))).toBe(true);
  });

  it('lays out hash-tagged keys under the prefix, with the TTLs configured, and erase removes them all', async () => {
    const prefix = uniquePrefix('layout');
    const store = await open({ prefix, sessionTtlSeconds: 600, dedupeTtlSeconds: 120 });
    await store.runTurn('tg:9', 'm1', async () => ({ session: session('tg:9'), result: null }));
    expect(await keysUnder(store.client, prefix)).toEqual([`${prefix}{tg:9}:seen`, `${prefix}{tg:9}:session`]);
    const sessionTtl = await store.client.pttl(`${prefix}{tg:9}:session`);
    const seenTtl = await store.client.pttl(`${prefix}{tg:9}:seen`);
    expect(sessionTtl).toBeGreaterThan(590_000);
    expect(sessionTtl).toBeLessThanOrEqual(600_000);
    expect(seenTtl).toBeGreaterThan(110_000);
    expect(seenTtl).toBeLessThanOrEqual(120_000);

    await store.erase('tg:9');
    expect(await keysUnder(store.client, prefix)).toEqual([]);
  });

  it('stores small sessions as plain JSON and large ones deflated', async () => {
    const prefix = uniquePrefix('encoding');
    const store = await open({ prefix });
    const small = session('tg:1', { procedure_id: 'khai-sinh' });
    const large = session('tg:2', { text: 'Văn bản của người làm chứng xác nhận việc sinh. '.repeat(40) });
    await store.runTurn('tg:1', 'm1', async () => ({ session: small, result: null }));
    await store.runTurn('tg:2', 'm1', async () => ({ session: large, result: null }));
    expect(JSON.parse((await store.client.get(`${prefix}{tg:1}:session`))!)).toEqual(small);
    const stored = (await store.client.getBuffer(`${prefix}{tg:2}:session`))!;
    expect(stored[0]).toBe(0);
    expect(stored.length).toBeLessThan(Buffer.byteLength(JSON.stringify(large)) / 4);
    expect(await store.peek('tg:2')).toEqual(large);
  });

  it('erase also removes the lock a crashed instance left behind', async () => {
    const prefix = uniquePrefix('crashed');
    const crashed = await open({ prefix, lockTtlMs: 200 });
    // Simulate a crash: the turn never ends (its renewals would keep the lease; stop them by closing the connection).
    void crashed
      .runTurn('tg:3', 'm1', async () => {
        crashed.client.disconnect();
        return new Promise<never>(() => {});
      })
      .catch(() => undefined);
    await sleep(50);
    const other = await open({ prefix });
    expect(await keysUnder(other.client, prefix)).toEqual([`${prefix}{tg:3}:turn`]);
    // The next turn waits for the dead lease to expire, then runs.
    expect(await other.runTurn('tg:3', 'm2', async () => ({ session: session('tg:3'), result: 'ran' }))).toBe('ran');
    await other.erase('tg:3');
    expect(await keysUnder(other.client, prefix)).toEqual([]);
  });

  it('refuses the save of a turn whose lease expired while it stalled; the turn that took over keeps its update', async () => {
    const prefix = uniquePrefix('fence');
    const stalled = await open({ prefix, lockTtlMs: 150 });
    const other = await open({ prefix });
    await stalled.runTurn('tg:8', 'm0', async () => ({ session: session('tg:8', { by: 'first' }), result: null }));

    let otherDone!: Promise<string>;
    const stalledTurn = stalled.runTurn('tg:8', 'm1', async () => {
      otherDone = other.runTurn('tg:8', 'm2', async ({ session: current }) => {
        expect(current?.vars.by).toBe('first');
        return { session: session('tg:8', { by: 'other' }), result: 'other saved' };
      });
      // Block the event loop past the lease, as a long GC pause would: no renewal can run.
      const until = Date.now() + 400;
      while (Date.now() < until) {
        /* stall */
      }
      await otherDone;
      return { session: session('tg:8', { by: 'stalled' }), result: 'stalled saved' };
    });
    await expect(stalledTurn).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await otherDone).toBe('other saved');
    expect((await other.peek('tg:8'))?.vars.by).toBe('other');
    // The refused message was not recorded: its redelivery is handled normally.
    expect(await other.runTurn('tg:8', 'm1', async (ctx) => ({ session: 'unchanged', result: ctx.alreadyProcessed }))).toBe(false);
  });

  it('keeps the lease of a slow turn alive so nobody overtakes it', async () => {
    const prefix = uniquePrefix('slow');
    const slow = await open({ prefix, lockTtlMs: 500 });
    const other = await open({ prefix });
    const events: string[] = [];
    let started!: () => void;
    const slowStarted = new Promise<void>((resolve) => (started = resolve));
    const slowTurn = slow.runTurn('tg:6', 'm1', async () => {
      started();
      events.push('slow start');
      await sleep(1500); // three lease lengths: renewals must keep it
      events.push('slow end');
      return { session: session('tg:6', { n: 1 }), result: null };
    });
    await slowStarted;
    const otherTurn = other.runTurn('tg:6', 'm2', async ({ session: current }) => {
      events.push('other');
      return { session: session('tg:6', { n: ((current?.vars.n as number) ?? 0) + 1 }), result: null };
    });
    await Promise.all([slowTurn, otherTurn]);
    expect(events).toEqual(['slow start', 'slow end', 'other']);
    expect((await other.peek('tg:6'))?.vars.n).toBe(2);
  });

  it('rejects prefixes that would break the hash tag', async () => {
    const client = await connect();
    cleanup.push(() => client.disconnect());
    expect(() =>
      createRedisSessionStore({ redis: client, prefix: 'dvc:{x}:', sessionTtlSeconds: 60, dedupeTtlSeconds: 60 }),
    ).toThrow(/hash tag/);
  });

  describe('when Redis goes away', () => {
    let server: RedisServerHandle;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    it('refuses turns with StoreUnavailableError, reports not ready, and recovers when Redis is back', { timeout: 20_000 }, async () => {
      server = await startRedisServer();
      cleanup.push(() => server.stop());
      process.on('unhandledRejection', onUnhandled);
      cleanup.push(() => void process.off('unhandledRejection', onUnhandled));
      const store = await open({ url: server.url });

      await store.runTurn('tg:1', 'm1', async () => ({ session: session('tg:1'), result: null }));
      expect(await store.ready()).toBe(true);

      await server.stop();
      let ran = false;
      const refused = store.runTurn('tg:1', 'm2', async () => {
        ran = true;
        return { session: 'unchanged', result: null };
      });
      await expect(refused).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(ran).toBe(false);
      expect(await store.ready()).toBe(false);
      await expect(store.peek('tg:1')).rejects.toBeInstanceOf(StoreUnavailableError);

      await server.restart();
      while (!(await store.ready())) await sleep(50);
      // The private server keeps nothing across restarts: the conversation starts afresh.
      const ctx = await store.runTurn('tg:1', 'm2', async (c) => ({ session: session('tg:1'), result: c }));
      expect(ctx).toEqual({ session: null, alreadyProcessed: false });
      expect(unhandled).toEqual([]);
    });

    it('fails the turn whose save hits a dead Redis, without saving or hanging', { timeout: 20_000 }, async () => {
      server = await startRedisServer();
      cleanup.push(() => server.stop());
      process.on('unhandledRejection', onUnhandled);
      cleanup.push(() => void process.off('unhandledRejection', onUnhandled));
      const store = await open({ url: server.url });
      await store.runTurn('tg:1', 'm1', async () => ({ session: session('tg:1', { n: 1 }), result: null }));

      const dying = store.runTurn('tg:1', 'm2', async () => {
        await server.stop();
        return { session: session('tg:1', { n: 2 }), result: null };
      });
      await expect(dying).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(unhandled).toEqual([]);
    });
  });
});
