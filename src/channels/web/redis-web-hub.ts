/**
 * @module Web hub over Redis pub/sub: one channel for the whole deployment
 * (`<prefix>webchat`), messages `{ c: conversationId, p: payload }`; each instance subscribes
 * once on its own connection and hands messages to its local SSE streams. One channel instead of
 * one per conversation keeps subscriptions constant while tabs come and go.
 */
import { Cluster } from 'ioredis';
import type { RedisClient } from '../../store/redis-connection.js';
import { StoreUnavailableError } from '../../store/session-store.js';
import { createLocalFanOut, type WebHub } from './web-hub.js';

export interface RedisWebHubOptions {
  /** Used to publish; the hub opens its own subscriber connection from it and closes that one. */
  redis: RedisClient;
  prefix: string;
  log?: { warn(obj: object, msg?: string): void };
  /** How long start-up waits for the subscription. Default 3000 ms. */
  subscribeTimeoutMs?: number;
}

export async function createRedisWebHub(options: RedisWebHubOptions): Promise<WebHub> {
  const channel = `${options.prefix}webchat`;
  const local = createLocalFanOut();
  // A subscriber connection may queue while (re)connecting: ioredis re-subscribes on reconnect.
  const redis = options.redis;
  const subscriber: RedisClient =
    redis instanceof Cluster ? redis.duplicate(undefined, { enableOfflineQueue: true }) : redis.duplicate({ enableOfflineQueue: true });
  subscriber.on('error', () => {
    // The main connection already logs outages; without a listener an error would crash the process.
  });
  subscriber.on('message', (from: string, raw: string) => {
    if (from !== channel) return;
    try {
      const { c, p } = JSON.parse(raw) as { c: string; p: unknown };
      local.deliver(c, p);
    } catch {
      options.log?.warn({ channel }, 'ignored a malformed web hub message');
    }
  });
  // Wait for the subscription (so a publish right after start is seen), but never block boot on
  // a Redis that is down: the queued SUBSCRIBE runs when it comes back.
  const subscribed = subscriber.subscribe(channel).then(
    () => true,
    (error: unknown) => {
      options.log?.warn({ err: error instanceof Error ? error.message : String(error) }, 'web hub could not subscribe');
      return false;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([subscribed, new Promise((resolve) => (timer = setTimeout(resolve, options.subscribeTimeoutMs ?? 3000)))]);
  clearTimeout(timer);

  return {
    async publish(conversationId, payload) {
      try {
        await options.redis.publish(channel, JSON.stringify({ c: conversationId, p: payload }));
      } catch (error) {
        throw new StoreUnavailableError('web hub unreachable', { cause: error });
      }
    },
    subscribe: local.subscribe,
    async close() {
      local.clear();
      subscriber.disconnect();
    },
  };
}
