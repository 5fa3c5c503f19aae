/**
 * @module Bounds how many web conversations exist, since anyone can start one with a fresh UUID
 * and each costs a session and a transcript until it goes idle: at most `perAddress` new ones per
 * client address (IPv6 by /64) in 24 hours, and at most `total` kept at once (a conversation is
 * kept until idle for the session's TTL, each message restarting that). A message of a known
 * conversation is always admitted; a new one past a bound is refused before its turn runs.
 *
 * Redis (shared by every instance), both sorted sets under one hash tag so the script touches one
 * Cluster slot:
 *   <prefix>{webadmit}:live          ZSET  conversation id → when it goes idle (Redis time, ms)
 *   <prefix>{webadmit}:addr:<group>  ZSET  conversation id → 24 h after it was started from there
 * Expired members are trimmed on every call; each key expires with its newest member. Memory:
 * the same in this process. When Redis cannot be reached the message is admitted: its turn then
 * gets the usual apology.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '../../store/redis-connection.js';

export type Admission = 'ok' | 'address' | 'total';

export interface ConversationAdmission {
  /** Whether a message of `conversationId` from a client of `address` may run now; records a new conversation. */
  admit(conversationId: string, address: string): Promise<Admission>;
  /** The conversation was erased (from a client of `address`): nothing of it is kept here any more. */
  forget(conversationId: string, address: string): Promise<void>;
}

export interface AdmissionOptions {
  /** New conversations per client address in 24 hours. */
  perAddress: number;
  /** Conversations kept at once. */
  total: number;
  /** A conversation stops counting after this idle time (the session's TTL), seconds. */
  idleSeconds: number;
}

const DAY_MS = 24 * 3600_000;

export function createMemoryAdmission(options: AdmissionOptions & { now?: () => number }): ConversationAdmission {
  const now = options.now ?? Date.now;
  const live = new Map<string, number>();
  const byAddress = new Map<string, Map<string, number>>();
  let admitted = 0;
  const trim = (set: Map<string, number>, t: number) => {
    for (const [id, until] of set) if (until <= t) set.delete(id);
  };
  return {
    async admit(conversationId, address) {
      const t = now();
      const idleUntil = t + options.idleSeconds * 1000;
      if ((live.get(conversationId) ?? 0) > t) {
        live.set(conversationId, idleUntil);
        return 'ok';
      }
      live.delete(conversationId);
      const mine = byAddress.get(address) ?? new Map<string, number>();
      trim(mine, t);
      // Trimmed only when full: a message of a known conversation costs no sweep.
      if (live.size >= options.total) trim(live, t);
      if (live.size >= options.total) return 'total';
      if (mine.size >= options.perAddress) return 'address';
      live.set(conversationId, idleUntil);
      mine.set(conversationId, t + DAY_MS);
      byAddress.set(address, mine);
      // Addresses that never come back: swept now and then (amortised), not on every call.
      if ((admitted += 1) % 1000 === 0) {
        for (const [group, set] of byAddress) {
          trim(set, t);
          if (set.size === 0) byAddress.delete(group);
        }
      }
      return 'ok';
    },
    async forget(conversationId, address) {
      live.delete(conversationId);
      byAddress.get(address)?.delete(conversationId);
    },
  };
}

/** KEYS live, addr. ARGV id, idleMs, dayMs, perAddress, total. Returns 1 ok, -1 address, -2 total. */
const ADMIT = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local idleUntil = now + tonumber(ARGV[2])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], idleUntil, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[5]) then return -2 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return -1 end
redis.call('ZADD', KEYS[1], idleUntil, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;
const ADMIT_SHA = createHash('sha1').update(ADMIT).digest('hex');

export function createRedisAdmission(options: AdmissionOptions & { redis: RedisClient; prefix: string }): ConversationAdmission {
  const { redis, prefix } = options;
  const liveKey = `${prefix}{webadmit}:live`;
  // The group is an address or an IPv6 /64 written with ':' and '/': fine inside a key.
  const addressKey = (address: string) => `${prefix}{webadmit}:addr:${address}`;
  const idleMs = options.idleSeconds * 1000;

  async function run(keys: string[], args: Array<string | number>): Promise<number> {
    try {
      return Number(await redis.evalsha(ADMIT_SHA, keys.length, ...keys, ...args));
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return Number(await redis.eval(ADMIT, keys.length, ...keys, ...args));
    }
  }

  return {
    async admit(conversationId, address) {
      let verdict: number;
      try {
        verdict = await run([liveKey, addressKey(address)], [conversationId, idleMs, DAY_MS, options.perAddress, options.total]);
      } catch {
        // Redis away: the turn itself will answer with the apology and the hotline.
        return 'ok';
      }
      return verdict === -1 ? 'address' : verdict === -2 ? 'total' : 'ok';
    },
    async forget(conversationId, address) {
      await redis.multi().zrem(liveKey, conversationId).zrem(addressKey(address), conversationId).exec();
    },
  };
}
