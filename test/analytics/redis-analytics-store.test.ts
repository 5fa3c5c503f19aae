/**
 * @module Runs the AnalyticsStore contract against the Redis store on a real redis-server, and
 * checks what Redis holds: aggregates that expire after 24 months, events with no text.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisAnalyticsStore } from '../../src/analytics/redis-analytics-store.js';
import { createRedisClient, waitForRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { StoreUnavailableError } from '../../src/store/session-store.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';
import { DAY1, describeAnalyticsStoreContract } from './analytics-store.case.js';

const clients: RedisClient[] = [];
afterAll(() => {
  for (const c of clients) c.disconnect();
});

async function client(): Promise<RedisClient> {
  const redis = createRedisClient({ REDIS_URL: redisUrlForTests() });
  clients.push(redis);
  await waitForRedis(redis);
  return redis;
}

describeAnalyticsStoreContract('redis', async (clock) => createRedisAnalyticsStore({ redis: await client(), prefix: uniquePrefix('an'), now: () => clock.now }));

describe('Redis AnalyticsStore', () => {
  it('keeps daily aggregates for 24 months after the day, all keys in one slot', async () => {
    const redis = await client();
    const prefix = uniquePrefix('an');
    const store = createRedisAnalyticsStore({ redis, prefix, now: () => DAY1 });
    await store.record([{ name: 'person_answered', at: DAY1, channel: 'web', waitMs: 5, citizen: '0123456789abcdef' }]);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.every((k) => k.startsWith(`${prefix}{analytics}:`))).toBe(true);
    const expireAt = await redis.expiretime(`${prefix}{analytics}:day:2026-12-01`);
    const months = (expireAt * 1000 - DAY1) / (30.44 * 86_400_000);
    expect(months).toBeGreaterThan(24);
    expect(months).toBeLessThan(24.5);
    expect(await redis.expiretime(`${prefix}{analytics}:u:2026-12-01:web`)).toBe(expireAt);
    expect(await redis.expiretime(`${prefix}{analytics}:waits:2026-12-01`)).toBe(expireAt);
  });

  it('reports Redis being away as StoreUnavailableError', async () => {
    const redis = await client();
    const store = createRedisAnalyticsStore({ redis, prefix: uniquePrefix('an') });
    redis.disconnect();
    await expect(store.days(['2026-12-01'])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.record([{ name: 'erased', at: DAY1, channel: 'web' }])).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
