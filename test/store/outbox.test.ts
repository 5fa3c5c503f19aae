/**
 * @module Runs the Outbox contract on the in-memory outbox, on Redis and on a one-node Redis
 * Cluster (which refuses scripts whose keys span slots, so it proves the hash tags).
 */
import { afterAll, describe } from 'vitest';
import { createMemoryOutbox } from '../../src/store/memory-outbox.js';
import { createMemorySessionStore } from '../../src/store/memory-session-store.js';
import { createRedisClient, waitForRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { createRedisOutbox } from '../../src/store/redis-outbox.js';
import { createRedisSessionStore } from '../../src/store/redis-session-store.js';
import { redisUrlForTests, startRedisServer, uniquePrefix, type RedisServerHandle } from '../helpers/redis.js';
import { describeOutboxContract, type OutboxPair } from './outbox.case.js';

const ttl = { sessionTtlSeconds: 3600, dedupeTtlSeconds: 3600 };

describeOutboxContract('memory', async () => {
  const outbox = createMemoryOutbox();
  const store = createMemorySessionStore({ ...ttl, outbox });
  return { outbox, store, close: () => store.close() };
});

async function redisPair(client: RedisClient): Promise<OutboxPair> {
  await waitForRedis(client);
  const prefix = uniquePrefix('outbox');
  const store = createRedisSessionStore({ ...ttl, redis: client, prefix });
  const outbox = createRedisOutbox({ redis: client, prefix, undeliveredTtlSeconds: 3600 });
  return {
    outbox,
    store,
    async close() {
      await store.close();
      client.disconnect();
    },
  };
}

describeOutboxContract('redis', () => redisPair(createRedisClient({ REDIS_URL: redisUrlForTests() })));

describe('Outbox on Redis Cluster', () => {
  let cluster: Promise<RedisServerHandle> | undefined;
  afterAll(async () => {
    if (cluster) await (await cluster).stop();
  });
  describeOutboxContract('redis cluster (one node)', async () => {
    cluster ??= startRedisServer({ cluster: true });
    const server = await cluster;
    return redisPair(createRedisClient({ REDIS_CLUSTER_NODES: `127.0.0.1:${server.port}` }));
  });
});
