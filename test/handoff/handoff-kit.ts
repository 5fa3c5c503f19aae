/**
 * @module Test kit for the handoff: the real assistant, a real conversation on the Redis session
 * store with the Redis handoff plugged in, a settable clock, and a `deliver` that records what
 * staff sent (the browser test uses the fake Telegram API instead).
 */
import { conversationKey } from '../../src/channels/index.js';
import { createConversation, type Conversation } from '../../src/conversation/handle-inbound.js';
import { silentLogger, type Logger } from '../../src/conversation/logger.js';
import type { ChannelName, Outbound } from '../../src/engine/messages.js';
import { createHandoff, type Deliver, type Handoff } from '../../src/handoff/create-handoff.js';
import { createRedisClient, waitForRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { createRedisSessionStore } from '../../src/store/redis-session-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { realAssistant } from '../helpers/assistant.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';

/** Monday 1 June 2026, 09:00 in Asia/Ho_Chi_Minh (UTC+7): the desk is open. */
export const MONDAY_9AM = Date.UTC(2026, 5, 1, 2, 0);
/** Saturday 6 June 2026, 10:00 local: closed; opens Monday 8 June 7:30. */
export const SATURDAY_10AM = Date.UTC(2026, 5, 6, 3, 0);

export interface Delivered {
  channel: ChannelName;
  conversationId: string;
  messages: Outbound[];
}

export interface HandoffKit {
  redis: RedisClient;
  prefix: string;
  clock: { now: number };
  handoff: Handoff;
  store: SessionStore;
  conversation: Conversation;
  delivered: Delivered[];
  /** Another "server instance" on the same Redis and prefix (own handoff and bus). */
  instance(deliver?: Deliver): Handoff;
  close(): Promise<void>;
}

export async function handoffKit(options: { deliver?: Deliver; log?: Logger; start?: number } = {}): Promise<HandoffKit> {
  const redis = createRedisClient({ REDIS_URL: redisUrlForTests() });
  await waitForRedis(redis);
  const prefix = uniquePrefix('handoff');
  const clock = { now: options.start ?? MONDAY_9AM };
  const delivered: Delivered[] = [];
  const recording: Deliver = async (channel, conversationId, messages) => {
    delivered.push({ channel, conversationId, messages });
  };
  const extra: Handoff[] = [];
  const make = (deliver: Deliver): Handoff =>
    createHandoff({ redis, prefix, assistant: realAssistant(), retentionDays: 30, deliver, log: options.log ?? silentLogger, now: () => clock.now });
  const handoff = make(options.deliver ?? recording);
  const store = createRedisSessionStore({ redis, prefix, sessionTtlSeconds: 3600, dedupeTtlSeconds: 3600 });
  const conversation = createConversation({ engine: realAssistant().engine, store, handoff: handoff.port, log: silentLogger, now: () => clock.now, conversationKey });
  return {
    redis,
    prefix,
    clock,
    handoff,
    store,
    conversation,
    delivered,
    instance(deliver) {
      const other = make(deliver ?? recording);
      extra.push(other);
      return other;
    },
    async close() {
      for (const h of [handoff, ...extra]) await h.close();
      await store.close();
      redis.disconnect();
    },
  };
}

/** Every key under the kit's prefix (SCAN, never KEYS on a shared server). */
export async function keysUnder(redis: RedisClient, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = (await (redis as import('ioredis').Redis).scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)) as [string, string[]];
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}
