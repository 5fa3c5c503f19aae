/**
 * @module createRedisClient: the three topologies on real servers (single, one-node Cluster,
 * Sentinel), configuration errors, and outage logging without secrets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newSession } from '../../src/engine/session.js';
import {
  createRedisClient,
  maskRedisSecrets,
  RedisConfigError,
  waitForRedis,
  type RedisClient,
} from '../../src/store/redis-connection.js';
import { createRedisSessionStore } from '../../src/store/redis-session-store.js';
import { redisUrlForTests, startRedisSentinel, startRedisServer, uniquePrefix } from '../helpers/redis.js';

describe('createRedisClient', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** Proves the client can carry turns: one turn through a Redis session store. */
  async function turnThrough(client: RedisClient): Promise<void> {
    await waitForRedis(client);
    const store = createRedisSessionStore({ redis: client, prefix: uniquePrefix('conn'), sessionTtlSeconds: 60, dedupeTtlSeconds: 60 });
    const session = newSession('tg:1', 'telegram', 1);
    await store.runTurn('tg:1', 'm1', async () => ({ session, result: null }));
    expect(await store.peek('tg:1')).toEqual(session);
    await store.erase('tg:1');
    await store.close();
  }

  it('connects to one server with REDIS_URL', async () => {
    const client = createRedisClient({ REDIS_URL: redisUrlForTests() });
    cleanup.push(() => client.disconnect());
    await turnThrough(client);
  });

  it('connects to a Cluster with REDIS_CLUSTER_NODES', async () => {
    const server = await startRedisServer({ cluster: true });
    cleanup.push(() => server.stop());
    const client = createRedisClient({ REDIS_CLUSTER_NODES: `127.0.0.1:${server.port}` });
    cleanup.push(() => client.disconnect());
    expect(client.isCluster).toBe(true);
    await turnThrough(client);
  });

  it('finds the primary through Sentinel with REDIS_SENTINELS and REDIS_SENTINEL_NAME', async () => {
    const primary = await startRedisServer();
    cleanup.push(() => primary.stop());
    const sentinel = await startRedisSentinel(primary.port, 'dvc-primary');
    cleanup.push(() => sentinel.stop());
    const client = createRedisClient({ REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`, REDIS_SENTINEL_NAME: 'dvc-primary' });
    cleanup.push(() => client.disconnect());
    await turnThrough(client);
  });

  it('refuses incomplete configuration, naming variables but never values', () => {
    expect(() => createRedisClient({})).toThrow(RedisConfigError);
    expect(() => createRedisClient({ REDIS_SENTINELS: '10.0.0.1:26379' })).toThrow(/REDIS_SENTINEL_NAME/);
    expect(() => createRedisClient({ REDIS_URL: 'not a url :secret', REDIS_CLUSTER_NODES: '10.0.0.1:7000' })).toThrow(
      /^REDIS_URL is not a valid URL\.$/,
    );
  });

  it('logs an outage once, without the password, and keeps reconnecting without crashing', async () => {
    const server = await startRedisServer();
    await server.stop(); // nothing listens on this port now
    const lines: string[] = [];
    const log = { info: () => {}, warn: (obj: object, msg?: string) => lines.push(`${JSON.stringify(obj)} ${msg}`) };
    const client = createRedisClient({ REDIS_URL: `redis://bot:s3cret-pass@127.0.0.1:${server.port}` }, { log });
    cleanup.push(() => client.disconnect());
    let attempts = 0;
    await new Promise<void>((resolve) => client.on('reconnecting', () => ++attempts === 3 && resolve()));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('redis unreachable');
    expect(lines.join('\n')).not.toContain('s3cret');
    await expect(client.ping()).rejects.toThrow();
  });

  it('masks credentials in anything quoting a Redis URL', () => {
    expect(maskRedisSecrets('cannot reach redis://bot:s3cret@10.0.0.1:6379/0')).toBe('cannot reach redis://***@10.0.0.1:6379/0');
    expect(maskRedisSecrets('rediss://:pw@host')).toBe('rediss://***@host');
  });
});
