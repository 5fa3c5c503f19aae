/**
 * @module Redis Outbox, shared by every instance. Keys of conversation K (see redis-keys.ts), all in
 * K's Cluster slot:
 *   <prefix>{K}:outbox        LIST    OutboxItem JSON, oldest first (RPUSHed by the session store's
 *                                     save script, in the same step as the session); absent when
 *                                     nothing is pending, so a SCAN finds exactly the pending ones
 *   <prefix>{K}:outbox-lease  STRING  the worker token holding the conversation's delivery lease (PX)
 *   <prefix>{K}:undelivered   STRING  dead letters since the citizen was last told (a count)
 * and one key for staff:
 *   <prefix>outbox:dead       LIST    DeadLetter JSON, newest first, at most MAX_DEAD_LETTERS
 *
 * Every change to a conversation's list is one script that checks the lease first and compares
 * the head item byte for byte, so a worker that lost its lease (stalled) changes nothing. There is
 * no global index to keep in step with the lists (a Cluster script cannot touch two slots): the
 * instance that saved a turn delivers it at once, and every instance sweeps `*:outbox` keys (SCAN,
 * on each primary of a Cluster) to pick up what a dead instance left.
 *
 * The dead letter is pushed after the script that removed the item: an instance killed between the
 * two loses the staff record of that one letter, never the citizen's apology (counted in the script).
 */
import { Cluster, type Redis } from 'ioredis';
import { MAX_DEAD_LETTERS, newOutboxItem, type DeadLetter, type Outbox, type OutboxClaim, type OutboxItem, type PendingConversation } from './outbox.js';
import type { RedisClient } from './redis-connection.js';
import { evalScript as evalOn, redisCommand, script, type Script } from './redis-scripts.js';
import { conversationKeyOf, conversationKeys } from './redis-keys.js';

export interface RedisOutboxOptions {
  redis: RedisClient;
  /** The session store's prefix (the outbox shares its keys' hash tags). */
  prefix: string;
  /** How long the count of undelivered replies is kept (the session's idle TTL), in seconds. */
  undeliveredTtlSeconds: number;
  now?: () => number;
}

export function createRedisOutbox(options: RedisOutboxOptions): Outbox {
  const { redis, prefix } = options;
  const now = options.now ?? Date.now;
  const deadKey = `${prefix}outbox:dead`;
  const ttlMs = Math.round(options.undeliveredTtlSeconds * 1000);
  let appended = 0;

  const command = redisCommand;

  const evalScript = (s: Script, keys: string[], args: Array<string | number>): Promise<unknown> => evalOn(redis, s, keys, args);


  return {
    async append(key, item) {
      const keys = conversationKeys(prefix, key);
      const full = newOutboxItem(item, now(), `x${process.pid.toString(36)}-${Date.now().toString(36)}-${(appended++).toString(36)}`);
      await command(() => redis.rpush(keys.outbox, JSON.stringify(full)));
    },
    async claim(key, owner, leaseMs, at) {
      const keys = conversationKeys(prefix, key);
      return claimOf(await evalScript(CLAIM, [keys.outbox, keys.outboxLease], [owner, leaseMs, at]));
    },
    async renew(key, owner, leaseMs) {
      const keys = conversationKeys(prefix, key);
      return (await evalScript(RENEW, [keys.outboxLease], [owner, leaseMs])) === 1;
    },
    async complete(key, owner, item, leaseMs) {
      const keys = conversationKeys(prefix, key);
      const reply = await evalScript(COMPLETE, [keys.outbox, keys.outboxLease], [owner, rawOf(item), leaseMs, now()]);
      if (reply === -1 || (Array.isArray(reply) && reply[0] === -1)) return { state: 'lost' };
      return claimOf(reply);
    },
    async defer(key, owner, item, next) {
      const keys = conversationKeys(prefix, key);
      return (await evalScript(DEFER, [keys.outbox, keys.outboxLease], [owner, rawOf(item), JSON.stringify(next)])) === 1;
    },
    async bury(key, owner, item, letter) {
      const keys = conversationKeys(prefix, key);
      const removed = (await evalScript(BURY, [keys.outbox, keys.outboxLease, keys.undelivered], [owner, rawOf(item), ttlMs])) === 1;
      if (!removed) return false;
      await command(() => redis.multi().lpush(deadKey, JSON.stringify(letter)).ltrim(deadKey, 0, MAX_DEAD_LETTERS - 1).exec());
      return true;
    },
    async release(key, owner) {
      const keys = conversationKeys(prefix, key);
      await evalScript(RELEASE, [keys.outboxLease], [owner]);
    },
    async pending() {
      const suffix = ':outbox';
      const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
      const found = new Set<string>();
      await command(async () => {
        for (const node of nodes) {
          let cursor = '0';
          do {
            const [next, keys] = await node.scan(cursor, 'MATCH', `${escapeGlob(prefix)}{*}${suffix}`, 'COUNT', 1000);
            for (const k of keys) found.add(k);
            cursor = next;
          } while (cursor !== '0');
        }
      });
      const out: PendingConversation[] = [];
      for (const redisKey of found) {
        const key = conversationKeyOf(prefix, redisKey, suffix);
        if (key === undefined) continue;
        const [depth, head] = await command(() => Promise.all([redis.llen(redisKey), redis.lindex(redisKey, 0)]));
        if (depth === 0) continue;
        let oldestAt: number | undefined;
        try {
          oldestAt = head ? (JSON.parse(head) as OutboxItem).createdAt : undefined;
        } catch {
          oldestAt = undefined;
        }
        out.push({ key, depth, ...(oldestAt !== undefined ? { oldestAt } : {}) });
      }
      return out;
    },
    async deadLetters(limit) {
      const list = await command(() => redis.lrange(deadKey, 0, Math.max(0, limit - 1)));
      return list.flatMap((json) => {
        try {
          return [JSON.parse(json) as DeadLetter];
        } catch {
          return [];
        }
      });
    },
  };
}

// The exact JSON each claimed item was read as: the scripts compare the head byte for byte.
const raw = new WeakMap<OutboxItem, string>();
const rawOf = (item: OutboxItem): string => raw.get(item) ?? JSON.stringify(item);

/** What CLAIM (and the session store's save) answer: {0} empty · {1} busy · {2, nextAt} later · {3, head, depth} ready. */
export type ClaimReply = [number, (string | Buffer | number)?, number?];

export function claimOf(reply: unknown): OutboxClaim {
  const [state, a, b] = reply as ClaimReply;
  if (state === 0) return { state: 'empty' };
  if (state === 1) return { state: 'busy' };
  if (state === 2) return { state: 'later', at: Number(a) };
  const json = String(a);
  const item = JSON.parse(json) as OutboxItem;
  raw.set(item, json);
  return { state: 'ready', item, depth: Number(b) };
}

/** The claim of an item the caller has in hand (the save script took the lease on the item it appended): no parse. */
export function ownClaim(item: OutboxItem, json: string, depth: number): OutboxClaim {
  raw.set(item, json);
  return { state: 'ready', item, depth };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}


/**
 * KEYS outbox, lease. ARGV owner, leaseMs, nowMs. Empty → {0} (and drops our stale lease); held by
 * another → {1}; head not due → {2, nextAt}; else takes the lease → {3, head, depth}.
 */
const CLAIM = script(`
local head = redis.call('LINDEX', KEYS[1], 0)
local holder = redis.call('GET', KEYS[2])
if not head then
  if holder == ARGV[1] then redis.call('DEL', KEYS[2]) end
  return {0}
end
if holder and holder ~= ARGV[1] then return {1} end
local nextAt = tonumber(cjson.decode(head).nextAt) or 0
if nextAt > tonumber(ARGV[3]) then
  if holder then redis.call('DEL', KEYS[2]) end
  return {2, nextAt}
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return {3, head, redis.call('LLEN', KEYS[1])}
`);

/** KEYS lease. ARGV owner, leaseMs. */
const RENEW = script(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/**
 * KEYS outbox, lease. ARGV owner, head JSON, leaseMs, nowMs. Pops the head when it is the one
 * delivered, then answers like CLAIM for the next one (keeping the lease), or {-1} when the lease
 * was not ours.
 */
const COMPLETE = script(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {-1} end
if redis.call('LINDEX', KEYS[1], 0) == ARGV[2] then redis.call('LPOP', KEYS[1]) end
local head = redis.call('LINDEX', KEYS[1], 0)
if not head then
  redis.call('DEL', KEYS[2])
  return {0}
end
local nextAt = tonumber(cjson.decode(head).nextAt) or 0
if nextAt > tonumber(ARGV[4]) then
  redis.call('DEL', KEYS[2])
  return {2, nextAt}
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return {3, head, redis.call('LLEN', KEYS[1])}
`);

/** KEYS outbox, lease. ARGV owner, head JSON, new head JSON. Rewrites the head and releases the lease. */
const DEFER = script(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[2] then return 0 end
redis.call('LSET', KEYS[1], 0, ARGV[3])
redis.call('DEL', KEYS[2])
return 1
`);

/** KEYS outbox, lease, undelivered. ARGV owner, head JSON, undeliveredTtlMs. Removes the head, counts it undelivered, releases. */
const BURY = script(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[2] then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
redis.call('DEL', KEYS[2])
return 1
`);

/** KEYS lease. ARGV owner. */
const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);
