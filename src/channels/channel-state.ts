/**
 * @module A small key/value store channels share across instances for what is not a session:
 * a Zalo OA citizen's reply window and delivery status, whether they unfollowed, OAuth tokens and
 * their refresh lock, a pending authorisation. In Redis (`<prefix>ch:<key>`) when Redis is
 * configured, else in this process's memory. Values are short strings; every key but tokens has
 * a time to live.
 */
import type { RedisClient } from '../store/redis-connection.js';

export interface ChannelState {
  get(key: string): Promise<string | undefined>;
  /** `ttlMs` 0 keeps the value until it is overwritten or deleted. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Sets the value only when the key is absent (a lock); true when it was set. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes the key only while it still holds `value` (releasing one's own lock). */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /** True when this state is shared by every instance (Redis). */
  readonly shared: boolean;
}

const DELETE_IF_EQUALS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

export function createRedisChannelState(options: { redis: RedisClient; prefix: string }): ChannelState {
  const { redis } = options;
  const full = (key: string) => `${options.prefix}ch:${key}`;
  return {
    shared: true,
    async get(key) {
      return (await redis.get(full(key))) ?? undefined;
    },
    async set(key, value, ttlMs) {
      if (ttlMs > 0) await redis.set(full(key), value, 'PX', ttlMs);
      else await redis.set(full(key), value);
    },
    async delete(key) {
      await redis.del(full(key));
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await redis.set(full(key), value, 'PX', Math.max(1, ttlMs), 'NX')) === 'OK';
    },
    async deleteIfEquals(key, value) {
      return Number(await redis.eval(DELETE_IF_EQUALS, 1, full(key), value)) === 1;
    },
  };
}

export function createMemoryChannelState(now: () => number = Date.now): ChannelState {
  const values = new Map<string, { value: string; until: number }>();
  const read = (key: string): string | undefined => {
    const entry = values.get(key);
    if (!entry) return undefined;
    if (entry.until > 0 && entry.until <= now()) {
      values.delete(key);
      return undefined;
    }
    return entry.value;
  };
  return {
    shared: false,
    async get(key) {
      return read(key);
    },
    async set(key, value, ttlMs) {
      values.set(key, { value, until: ttlMs > 0 ? now() + ttlMs : 0 });
    },
    async delete(key) {
      values.delete(key);
    },
    async setIfAbsent(key, value, ttlMs) {
      if (read(key) !== undefined) return false;
      values.set(key, { value, until: now() + Math.max(1, ttlMs) });
      return true;
    },
    async deleteIfEquals(key, value) {
      if (read(key) !== value) return false;
      values.delete(key);
      return true;
    },
  };
}
