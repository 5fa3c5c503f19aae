/**
 * @module Test kit for the handoff on either store: the real assistant (as when a desk runs), a
 * real conversation, the real handoff on memory stores or on Redis (tickets, staff, pub/sub and
 * the Redis session store), a settable clock, and a `deliver` that records what staff sent (the
 * browser tests use the fake Telegram API or the web chat instead).
 */
import type { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../../src/conversation/logger.js';
import type { Deliver, Handoff } from '../../src/handoff/create-handoff.js';
import { createHandoffBus, createMemoryHandoffBus, type HandoffBus } from '../../src/handoff/handoff-bus.js';
import { createMemoryStaffStore } from '../../src/store/memory-staff-store.js';
import { createMemoryTicketStore } from '../../src/store/memory-ticket-store.js';
import { createRedisClient, waitForRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { createRedisSessionStore } from '../../src/store/redis-session-store.js';
import { createRedisStaffStore } from '../../src/store/redis-staff-store.js';
import { createRedisTicketStore } from '../../src/store/redis-ticket-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import type { StaffStore } from '../../src/store/staff-store.js';
import type { TicketStore } from '../../src/store/ticket-store.js';
import type { Conversation } from '../../src/conversation/handle-inbound.js';
import { deskConversation, MONDAY_9AM, SATURDAY_10AM, type Delivered } from '../helpers/desk.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';

export { MONDAY_9AM, SATURDAY_10AM };
export type StoreKind = 'memory' | 'redis';
export const STORE_KINDS: StoreKind[] = ['memory', 'redis'];

export interface HandoffKit {
  kind: StoreKind;
  /** Redis kits only. */
  redis?: RedisClient;
  prefix: string;
  clock: { now: number };
  handoff: Handoff;
  tickets: TicketStore;
  staff: StaffStore;
  store: SessionStore;
  conversation: Conversation;
  delivered: Delivered[];
  /** Another "server instance" on the same stores (with Redis: its own bus connection). */
  instance(deliver?: Deliver): Handoff;
  close(): Promise<void>;
}

export async function handoffKit(options: { kind?: StoreKind; deliver?: Deliver; log?: Logger; start?: number; demo?: boolean } = {}): Promise<HandoffKit> {
  const kind = options.kind ?? 'redis';
  const prefix = uniquePrefix('handoff');
  const clock = { now: options.start ?? MONDAY_9AM };
  const now = () => clock.now;
  let redis: RedisClient | undefined;
  let tickets: TicketStore;
  let staff: StaffStore;
  let store: SessionStore | undefined;
  const buses: HandoffBus[] = [];
  let bus: () => HandoffBus;
  if (kind === 'redis') {
    const client = createRedisClient({ REDIS_URL: redisUrlForTests() });
    redis = client;
    await waitForRedis(client);
    tickets = createRedisTicketStore({ redis: client, prefix, retentionDays: 30, now });
    staff = createRedisStaffStore({ redis: client, prefix });
    store = createRedisSessionStore({ redis: client, prefix, sessionTtlSeconds: 3600, dedupeTtlSeconds: 3600 });
    bus = () => createHandoffBus({ redis: client, channel: `${prefix}handoff:events`, log: silentLogger });
  } else {
    tickets = createMemoryTicketStore({ retentionDays: 30, now });
    staff = createMemoryStaffStore({ now });
    // One process: every "instance" shares the one bus.
    const shared = createMemoryHandoffBus();
    bus = () => shared;
  }
  const first = bus();
  buses.push(first);
  const desk = deskConversation({
    clock,
    tickets,
    staff,
    bus: first,
    ...(store ? { store } : {}),
    ...(options.deliver ? { deliver: options.deliver } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.demo ? { demo: true } : {}),
  });
  const extra: Handoff[] = [];
  return {
    kind,
    ...(redis ? { redis } : {}),
    prefix,
    clock,
    handoff: desk.handoff,
    tickets,
    staff,
    store: desk.store,
    conversation: desk.conversation,
    delivered: desk.delivered,
    instance(deliver) {
      const other = deskConversation({
        clock,
        tickets,
        staff,
        bus: kind === 'redis' ? bus() : first,
        store: desk.store,
        ...(deliver ? { deliver } : { deliver: async (channel, conversationId, messages) => void desk.delivered.push({ channel, conversationId, messages }) }),
      });
      extra.push(other.handoff);
      return other.handoff;
    },
    async close() {
      for (const h of [desk.handoff, ...extra]) await h.bus.close();
      await desk.store.close();
      redis?.disconnect();
    },
  };
}

/** Every key under the kit's prefix (SCAN, never KEYS on a shared server). */
export async function keysUnder(redis: RedisClient, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = (await (redis as Redis).scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)) as [string, string[]];
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}
