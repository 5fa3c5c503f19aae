/**
 * @module Unique citizens are counted from the first turn after a start: the salt of the keyed
 * hash comes from the store (a Redis round trip), and a turn handled before it arrived was
 * counted without its citizen (the dashboard once showed 4 citizens for 5 conversations). Also:
 * a salt that could not be read at start (Redis not ready yet) is read again at the next flush.
 */
import { describe, expect, it } from 'vitest';
import { createAnalytics } from '../../src/analytics/create-analytics.js';
import { createMemoryAnalyticsStore } from '../../src/analytics/analytics-store.js';
import { createRedisAnalyticsStore } from '../../src/analytics/redis-analytics-store.js';
import { createRedisClient, waitForRedis } from '../../src/store/redis-connection.js';
import type { Inbound } from '../../src/engine/messages.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';

const AT = Date.UTC(2026, 11, 2, 3, 0, 0);
const DAY = '2026-12-02';
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const inbound = (userId: string): Inbound => ({ channel: 'web', conversationId: userId, userId, platformMessageId: `m-${userId}`, kind: 'text', text: 'xin chào' }) as Inbound;
const started = [{ type: 'analytics' as const, name: 'conversation_started', data: {} }];

describe('unique citizens from the first turn', () => {
  it('counts the citizens of turns handled before the salt was known', async () => {
    const store = createMemoryAnalyticsStore({ now: () => AT });
    const analytics = createAnalytics({ store, log: quiet as never, now: () => AT });
    // At once, as the first webhook after a start may be: the salt has not come back yet.
    for (const id of ['a', 'b', 'c']) analytics.onEvents(`web:${id}`, started, inbound(id));
    await analytics.flush();
    expect((await store.days([DAY]))[0]!.counts['n|conversation_started|web']).toBe(3);
    expect(await store.uniqueCitizens([DAY], 'all')).toBe(3);
  });

  it('reads the salt again when Redis was not ready at start', async () => {
    const redis = createRedisClient({ REDIS_URL: redisUrlForTests() });
    try {
      const store = createRedisAnalyticsStore({ redis, prefix: uniquePrefix('salt'), now: () => AT });
      // Created before the connection is ready: the first salt request is refused at once.
      const analytics = createAnalytics({ store, log: quiet as never, now: () => AT });
      await waitForRedis(redis);
      analytics.onEvents('web:a', started, inbound('a'));
      analytics.onEvents('web:b', started, inbound('b'));
      await analytics.flush();
      expect(await store.uniqueCitizens([DAY], 'all')).toBe(2);
    } finally {
      redis.disconnect();
    }
  });
});
