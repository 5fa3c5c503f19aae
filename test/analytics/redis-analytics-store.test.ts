/**
 * @module Runs the AnalyticsStore contract against the Redis store on a real redis-server, and
 * checks what Redis holds: aggregates that expire after 24 months, events with no text.
 */
import { describe, expect, it } from 'vitest';
import { createRedisAnalyticsStore } from '../../src/analytics/redis-analytics-store.js';
import { StoreUnavailableError } from '../../src/store/session-store.js';
import { redisClientsForTests, uniquePrefix } from '../helpers/redis.js';
import { DAY1, describeAnalyticsStoreContract } from './analytics-store.case.js';

const client = redisClientsForTests();

describeAnalyticsStoreContract('redis', async (clock) => createRedisAnalyticsStore({ redis: await client(), prefix: uniquePrefix('an'), now: () => clock.now }));

describe('Redis AnalyticsStore', () => {
  it('keeps daily aggregates for 24 months after the day, all keys in one slot', async () => {
    const redis = await client();
    const prefix = uniquePrefix('an');
    const store = createRedisAnalyticsStore({ redis, prefix, now: () => DAY1 });
    await store.record([
      { name: 'person_answered', at: DAY1, channel: 'web', waitMs: 5, citizen: '0123456789abcdef' },
      { name: 'procedure_not_found', at: DAY1, channel: 'web', query: 'xin giay #' },
      { name: 'card_viewed', at: DAY1, channel: 'web', procedure: 'khai-sinh' },
    ]);
    // A report's unions are gone once it is read.
    expect((await store.summary(['2026-12-01'], 'all', 30)).waits.count).toBe(1);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith(`${prefix}{analytics}:`))).toBe(true);
    const expireAt = await redis.expiretime(`${prefix}{analytics}:day:2026-12-01`);
    const months = (expireAt * 1000 - DAY1) / (30.44 * 86_400_000);
    expect(months).toBeGreaterThan(24);
    expect(months).toBeLessThan(24.5);
    expect(await redis.expiretime(`${prefix}{analytics}:u:2026-12-01:web`)).toBe(expireAt);
    const daily = keys.filter((k) => k.includes(':2026-12-01'));
    expect(daily.map((k) => k.slice(prefix.length)).sort()).toEqual(
      ['day:2026-12-01', 't:2026-12-01:p:cards:*', 't:2026-12-01:p:cards:web', 't:2026-12-01:q:*', 't:2026-12-01:q:web', 'u:2026-12-01:*', 'u:2026-12-01:web', 'w:2026-12-01:*', 'w:2026-12-01:web'].map((k) => `{analytics}:${k}`),
    );
    for (const key of daily) expect(await redis.expiretime(key)).toBe(expireAt);
    // The month's buckets go with its last day (31 December, 30 days later).
    const monthly = keys.filter((k) => k.includes(':2026-12:'));
    expect(monthly).toHaveLength(8);
    for (const key of monthly) expect(await redis.expiretime(key)).toBe(expireAt + 30 * 86_400);
    expect(keys.some((k) => k.includes(':tmp:'))).toBe(false);
  });

  it('reports Redis being away as StoreUnavailableError', async () => {
    const redis = await client();
    const store = createRedisAnalyticsStore({ redis, prefix: uniquePrefix('an') });
    redis.disconnect();
    await expect(store.days(['2026-12-01'])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.record([{ name: 'erased', at: DAY1, channel: 'web' }])).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
