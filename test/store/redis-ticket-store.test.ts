/**
 * @module Runs the TicketStore contract against the Redis store on a real redis-server, and checks
 * that Redis trouble is reported as the store being unavailable.
 */
import { describe, expect, it } from 'vitest';
import { createRedisTicketStore } from '../../src/store/redis-ticket-store.js';
import { StoreUnavailableError } from '../../src/store/session-store.js';
import { redisClientsForTests, uniquePrefix } from '../helpers/redis.js';
import { describeTicketStoreContract } from './ticket-store.case.js';

const client = redisClientsForTests();

describeTicketStoreContract('redis', async (options) => createRedisTicketStore({ redis: await client(), prefix: uniquePrefix('tickets'), ...options }));

describe('Redis TicketStore', () => {
  it('reports Redis being away as StoreUnavailableError, and is not ready', async () => {
    const redis = await client();
    const store = createRedisTicketStore({ redis, prefix: uniquePrefix('tickets'), retentionDays: 30 });
    redis.disconnect();
    await expect(store.openTicketOf('tg:1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.listReports()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.ready()).toBe(false);
  });
});
