/**
 * @module The StaffStore on Redis, shared by every instance. Keys, under the prefix:
 *
 *   staff:accounts       HASH   username → JSON {name, hash, createdAt, role}
 *   staff:session:TOKEN  STRING username (a console login), expires
 *   staff:login:U|IP     STRING login attempts in the current window, expires with it
 *   handoff:audit        LIST   staff actions, JSON, newest first, bounded
 *
 * Every failure to reach Redis is a StoreUnavailableError, which the console answers with 503.
 */
import { maskRedisSecrets, type RedisClient } from './redis-connection.js';
import { StoreUnavailableError } from './session-store.js';
import { AUDIT_LIMIT, type AuditEntry, type StaffStore, type StoredAccount } from './staff-store.js';

export function createRedisStaffStore(options: { redis: RedisClient; prefix: string }): StaffStore {
  const { redis, prefix } = options;
  const keys = {
    accounts: `${prefix}staff:accounts`,
    session: (token: string) => `${prefix}staff:session:${token}`,
    attempts: (id: string) => `${prefix}staff:login:${id}`,
    audit: `${prefix}handoff:audit`,
  };

  const store: StaffStore = {
    async putAccount(username, account) {
      await redis.hset(keys.accounts, username, JSON.stringify(account));
    },
    async getAccount(username) {
      const raw = await redis.hget(keys.accounts, username);
      return raw ? (JSON.parse(raw) as StoredAccount) : null;
    },
    async removeAccount(username) {
      return (await redis.hdel(keys.accounts, username)) > 0;
    },
    async listAccounts() {
      const all = await redis.hgetall(keys.accounts);
      return Object.entries(all).map(([username, raw]) => ({ username, ...(JSON.parse(raw) as StoredAccount) }));
    },
    async startSession(token, username, ttlSeconds) {
      await redis.set(keys.session(token), username, 'EX', ttlSeconds);
    },
    async sessionUser(token) {
      return redis.get(keys.session(token));
    },
    async endSession(token) {
      await redis.del(keys.session(token));
    },
    async countAttempt(id, windowSeconds) {
      // One transaction: the count is taken before any password is checked, and every attempt
      // gets its own number, however many arrive at once.
      const replies = await redis.multi().incr(keys.attempts(id)).expire(keys.attempts(id), windowSeconds, 'NX').ttl(keys.attempts(id)).exec();
      const count = Number(replies?.[0]?.[1] ?? 0);
      const left = Number(replies?.[2]?.[1] ?? windowSeconds);
      return { count, retryAfterSeconds: Math.max(1, left) };
    },
    async clearAttempts(id) {
      await redis.del(keys.attempts(id));
    },
    async appendAudit(entry) {
      await redis.multi().lpush(keys.audit, JSON.stringify(entry)).ltrim(keys.audit, 0, AUDIT_LIMIT - 1).exec();
    },
    async recentAudit(limit) {
      return (await redis.lrange(keys.audit, 0, limit - 1)).map((raw) => JSON.parse(raw) as AuditEntry);
    },
    async ready() {
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {},
  };

  const wrapped = { ...store } as Record<string, unknown>;
  for (const [name, fn] of Object.entries(store)) {
    if (name === 'ready' || name === 'close') continue;
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new StoreUnavailableError(`Redis: ${maskRedisSecrets(message)}`, { cause: error });
      }
    };
  }
  return wrapped as unknown as StaffStore;
}
