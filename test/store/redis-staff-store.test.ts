/**
 * @module Runs the StaffStore contract against the Redis store on a real redis-server.
 */
import { describe, expect, it } from 'vitest';
import { createRedisStaffStore } from '../../src/store/redis-staff-store.js';
import { StoreUnavailableError } from '../../src/store/session-store.js';
import { redisClientsForTests, uniquePrefix } from '../helpers/redis.js';
import { describeStaffStoreContract } from './staff-store.case.js';

const client = redisClientsForTests();

describeStaffStoreContract('redis', async () => createRedisStaffStore({ redis: await client(), prefix: uniquePrefix('staff') }));

describe('Redis StaffStore', () => {
  it('the attempt window starts at the first attempt and is not extended', async () => {
    const redis = await client();
    const prefix = uniquePrefix('staff');
    const store = createRedisStaffStore({ redis, prefix });
    await store.countAttempt('lan|ip', 900);
    await redis.expire(`${prefix}staff:login:lan|ip`, 100);
    expect((await store.countAttempt('lan|ip', 900)).retryAfterSeconds).toBeLessThanOrEqual(100);
  });

  it('reports Redis being away as StoreUnavailableError', async () => {
    const redis = await client();
    const store = createRedisStaffStore({ redis, prefix: uniquePrefix('staff') });
    redis.disconnect();
    await expect(store.sessionUser('a'.repeat(48))).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.countAttempt('lan|ip', 900)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
