/**
 * @module Redis SessionStore: sessions, dedupe marks and the per-conversation turn lock live in
 * Redis, shared by every server instance; works on one server, behind Sentinel, or on Cluster.
 *
 * Keys of conversation K (K with `%`, `{`, `}` percent-encoded), all in one Cluster slot thanks
 * to the `{K}` hash tag, so every script touches one slot only:
 *   <prefix>{K}:session  STRING  the session JSON (deflated, behind a 0x00 byte, when over
 *                                COMPRESS_FROM bytes); expires after the idle TTL (reset on each save)
 *   <prefix>{K}:seen     ZSET    processed platform message ids → expiry time (ms); expired ids
 *                                are trimmed on each save, at most MAX_SEEN kept; key expires too
 *   <prefix>{K}:turn     ZSET    the turn queue: the instance running the turn and those waiting,
 *                                member `<ticket>:<token>` → lease deadline (Redis server time, ms);
 *                                empty (so absent) when no turn runs
 *   <prefix>{K}:outbox, :outbox-lease, :undelivered   the conversation's replies waiting for
 *                                delivery, written by the save script (see redis-outbox.ts)
 *
 * Why a fair lease lock with a fenced save, not optimistic versioning: a turn does things outside
 * the session (handoff tickets, replies about to be delivered), so a turn that loses an optimistic
 * compare-and-set cannot simply be re-run, and under contention a retrying turn can keep losing
 * (starvation). Instead turns queue in arrival order (tickets), the head of the queue runs, holding
 * a lease that it renews while `fn` runs, so a crashed instance blocks the conversation for at
 * most `lockTtlMs`. If an instance stalls past its lease (GC pause, partition) the next turn may
 * start; the stalled turn's save is then refused, because the save script writes only while the
 * saver still holds an unexpired lease. Lock and data are in the same Redis and the check and the
 * write run in one script, so the lease token itself is the fence (no separate counter needed).
 * A refused save rejects with `StoreUnavailableError`: nothing saved, message not recorded, the
 * platform redelivers. Overlap is never silent and never loses an update.
 *
 * A Redis stall (paused, overloaded, a failover) must not leave a lease nobody uses: a lock
 * request that timed out on the client still runs when Redis comes back, and would hold the chat
 * for a lease length. So (1) a request that failed is followed at once by a release of everything
 * its token holds (RELEASE; on the same connection, so Redis runs it right after the late
 * request), and (2) a new lease is short (`CLAIM_MS`) until the holder's first renewal, in case
 * the release could not be sent (the connection broke): an abandoned lease lasts seconds, not
 * `lockTtlMs`.
 *
 * Within one process, turns of one conversation first queue on a promise chain (as in the memory
 * store), so only one turn per process polls Redis for the lock; waiting across processes is by
 * polling with a short back-off (fine for a chat: a conversation rarely has two messages in flight).
 */
import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Session } from '../engine/session.js';
import { createKeyedQueue } from './keyed-queue.js';
import { newOutboxItem } from './outbox.js';
import { claimOf, ownClaim, type ClaimReply } from './redis-outbox.js';
import { assertKeyPrefix, conversationKeys } from './redis-keys.js';
import { evalScript as evalOn, redisCommand, script, type Script } from './redis-scripts.js';
import type { RedisClient, RedisLogger } from './redis-connection.js';
import {
  StoreUnavailableError,
  type SessionStore,
  type SessionStoreOptions,
  type TurnContext,
  type TurnOutcome,
} from './session-store.js';

export interface RedisSessionStoreOptions extends SessionStoreOptions {
  /** The connection (see `createRedisClient`); it belongs to the caller, who closes it after `close()`. */
  redis: RedisClient;
  /** Namespace of every key, e.g. `dvc:`. Must not contain `{` or `}` (they would break the hash tag). */
  prefix: string;
  /** Clock for dedupe marks (ms). Session and lock expiry use Redis's own clock. */
  now?: () => number;
  /** Lease of the turn lock; renewed every third of it while the turn runs. Default 10 000 ms. */
  lockTtlMs?: number;
  /** A turn that waited this long for the conversation gives up with `StoreUnavailableError`. Default 30 000 ms. */
  maxWaitMs?: number;
  /**
   * The lease is renewed for at most this long: a turn stuck longer (a hung call) lets the
   * conversation go on without it, and its eventual save is refused. Default 60 000 ms.
   */
  maxTurnMs?: number;
  log?: RedisLogger;
}

/** Processed message ids kept per conversation at most (oldest dropped first); keeps the ZSET compact. */
export const MAX_SEEN = 100;

/**
 * Session JSON this long or longer is stored deflated: a mid-conversation session (candidates,
 * the current document's text, undo history) is 2-3 KB of JSON but about 1 KB deflated, which
 * keeps a session under 2 KB of Redis memory (`npm run bench:redis-memory`). Costs ~0.2 ms a turn.
 */
export const COMPRESS_FROM = 1024;
const DEFLATED = 0x00; // JSON never starts with a NUL byte

/** A waiter that stops polling for this long loses its place (its instance is gone). */
const WAITER_TTL_MS = 3000;
/** A new lease lasts this long until its first renewal (at a third of it) extends it to `lockTtlMs`. */
const CLAIM_MS = 3000;
const MAX_POLL_MS = 20;

export function createRedisSessionStore(options: RedisSessionStoreOptions): SessionStore {
  const { redis, prefix } = options;
  assertKeyPrefix(prefix);
  const now = options.now ?? Date.now;
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const maxTurnMs = options.maxTurnMs ?? 60_000;
  const sessionTtlMs = Math.round(options.sessionTtlSeconds * 1000);
  const dedupeTtlMs = Math.round(options.dedupeTtlSeconds * 1000);
  const turnKeyTtlMs = lockTtlMs + WAITER_TTL_MS;
  // Turns of one conversation in this process queue here before they contend for anything else.
  const turns = createKeyedQueue();
  let closed = false;

  const keysOf = (key: string) => conversationKeys(prefix, key);

  const command = redisCommand;

  /** Bulk replies come back as Buffers (sessions may be stored deflated). */
  const evalScript = (s: Script, keys: string[], args: Array<string | Buffer | number>): Promise<unknown> => evalOn(redis, s, keys, args, true);

  function parseSession(stored: Buffer | null | undefined, key: string): Session | null {
    if (!stored || stored.length === 0) return null;
    try {
      const json = stored[0] === DEFLATED ? inflateRawSync(stored.subarray(1)) : stored;
      return JSON.parse(json.toString('utf8')) as Session;
    } catch {
      // A corrupt session must not block the conversation forever: start afresh.
      options.log?.warn({ conversation: key }, 'unreadable session in Redis; starting a new one');
      return null;
    }
  }

  const instanceId = randomBytes(6).toString('hex');
  let turnCounter = 0;

  /** Waits for the head of the conversation's turn queue; returns the lease member and the loaded state. */
  async function acquire(key: string, messageId: string): Promise<{ member: string; ctx: TurnContext }> {
    const keys = keysOf(key);
    // Unique across processes (random per store) and turns (a counter): no entropy needed per turn.
    const token = `${instanceId}-${(turnCounter++).toString(36)}`;
    const started = Date.now();
    let member = '';
    let pause = 1;
    for (;;) {
      let reply: [number, Buffer, Buffer?, number?, number?];
      try {
        reply = (await evalScript(ACQUIRE, [keys.turn, keys.session, keys.seen, keys.undelivered], [
          member,
          token,
          Math.min(lockTtlMs, CLAIM_MS),
          WAITER_TTL_MS,
          messageId,
          now(),
          turnKeyTtlMs,
        ])) as [number, Buffer, Buffer?, number?, number?];
      } catch (error) {
        // The request may still run in Redis (it timed out here, not there): release what it may
        // take. By full EVAL: an EVALSHA of a script not cached yet would fail after this timed out too.
        redis.call('EVAL', RELEASE.lua, 1, keys.turn, token).catch(() => undefined);
        throw error;
      }
      member = reply[1].toString('utf8');
      if (reply[0] === 1) {
        const ctx: TurnContext = { session: parseSession(reply[2], key), alreadyProcessed: reply[3] === 1 };
        if (reply[4]) ctx.undelivered = reply[4];
        return { member, ctx };
      }
      if (Date.now() - started > maxWaitMs) {
        await command(() => redis.zrem(keys.turn, member)).catch(() => undefined);
        throw new StoreUnavailableError(`gave up waiting ${maxWaitMs} ms for the previous turn of this conversation`);
      }
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
      pause = Math.min(pause * 2, MAX_POLL_MS);
    }
  }

  async function turn<T>(key: string, messageId: string, fn: (ctx: TurnContext) => Promise<TurnOutcome<T>>): Promise<T> {
    if (closed) throw new StoreUnavailableError('session store is closed');
    const keys = keysOf(key);
    const { member, ctx } = await acquire(key, messageId);
    const leaseStarted = Date.now();
    // The first renewal comes within the short claim, the next ones every third of the lease.
    let renew: NodeJS.Timeout | undefined;
    const scheduleRenewal = (delayMs: number): void => {
      renew = setTimeout(() => {
        if (Date.now() - leaseStarted > maxTurnMs) {
          options.log?.warn({ conversation: key }, 'turn still running after maxTurnMs; letting its lease expire');
          return;
        }
        evalScript(RENEW, [keys.turn], [member, lockTtlMs, turnKeyTtlMs])
          .then((kept) => {
            if (kept !== 1) options.log?.warn({ conversation: key }, 'turn lease lost while the turn ran; its save will be refused');
          })
          // A failed renewal is not fatal: the save is fenced and will report the loss.
          .catch(() => undefined);
        scheduleRenewal(Math.max(1, Math.floor(lockTtlMs / 3)));
      }, delayMs);
      renew.unref();
    };
    scheduleRenewal(Math.max(1, Math.floor(Math.min(lockTtlMs, CLAIM_MS) / 3)));
    try {
      let outcome: TurnOutcome<T>;
      let stored: string | Buffer = '';
      try {
        outcome = await fn(ctx);
        if (outcome.session !== null && outcome.session !== 'unchanged') stored = encodeSession(JSON.stringify(outcome.session));
      } catch (error) {
        // Nothing saved, message not recorded: a redelivery is handled normally.
        await command(() => redis.zrem(keys.turn, member)).catch(() => undefined);
        throw error;
      }
      const mode = outcome.session === null ? 'del' : outcome.session === 'unchanged' ? 'keep' : 'set';
      const at = now();
      const full = outcome.outbox ? newOutboxItem(outcome.outbox, at, `${token(member)}`) : undefined;
      const item = full ? JSON.stringify(full) : '';
      const lease = item && outcome.lease ? outcome.lease : undefined;
      const saved = await evalScript(SAVE, [keys.turn, keys.session, keys.seen, keys.outbox, keys.undelivered, keys.outboxLease], [
        member,
        mode,
        stored,
        sessionTtlMs,
        messageId,
        at,
        dedupeTtlMs,
        MAX_SEEN,
        item,
        outcome.clearUndelivered ? 1 : 0,
        lease?.owner ?? '',
        lease?.leaseMs ?? 0,
      ]);
      if (Array.isArray(saved)) lease?.claimed(saved[0] === OWN_HEAD && full ? ownClaim(full, item, Number(saved[1])) : claimOf(saved as ClaimReply));
      else if (saved !== 1) {
        throw new StoreUnavailableError('turn lease expired before the save (instance stalled?); nothing saved, the message will be redelivered');
      }
      return outcome.result;
    } finally {
      clearTimeout(renew);
    }
  }

  return {
    runTurn(key, messageId, fn) {
      return turns.run(key, () => turn(key, messageId, fn));
    },
    async peek(key) {
      return parseSession(await command(() => redis.getBuffer(keysOf(key).session)), key);
    },
    async erase(key) {
      const keys = keysOf(key);
      await evalScript(ERASE, [keys.turn, keys.session, keys.seen, keys.undelivered], []);
    },
    async ready() {
      if (closed) return false;
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      closed = true;
      // Let turns in flight finish their save, but do not hang shutdown on a stuck one: after a
      // lease length its save would be refused anyway.
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise((resolve) => (timer = setTimeout(resolve, lockTtlMs)));
      await Promise.race([turns.idle(), giveUp]);
      clearTimeout(timer);
    },
  };
}

/** The lease member's token part (unique per turn across instances): the id of the turn's outbox item. */
function token(member: string): string {
  return member.slice(member.indexOf(':') + 1);
}

function encodeSession(json: string): string | Buffer {
  // Small sessions stay plain JSON, readable with redis-cli.
  if (Buffer.byteLength(json) < COMPRESS_FROM) return json;
  return Buffer.concat([Buffer.from([DEFLATED]), deflateRawSync(json)]);
}


/** Redis server time in ms: one clock for every instance's leases. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS turn, session, seen, undelivered. ARGV member ('' on the first call), token, claimMs (the new lease), waiterTtlMs,
 * messageId, clientNowMs, turnKeyTtlMs. Joins the queue (new ticket = highest + 1, so a newcomer
 * is always behind the current holder; a waiter that was dropped for not polling gets a new
 * ticket), refreshes its deadline, and when it is at the head takes the lease and returns
 * {1, member, sessionJson or '', processed 0/1, undelivered count}; else {0, member}.
 */
const ACQUIRE = script(`${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local member = ARGV[1]
local queue = redis.call('ZRANGE', KEYS[1], 0, -1)
if member == '' or not redis.call('ZSCORE', KEYS[1], member) then
  local last = 0
  for _, m in ipairs(queue) do
    local n = tonumber(string.sub(m, 1, 15))
    if n > last then last = n end
  end
  member = string.format('%015d', last + 1) .. ':' .. ARGV[2]
end
local head = member
for _, m in ipairs(queue) do
  if m < head then head = m end
end
local lease = tonumber(ARGV[4])
if head == member then lease = tonumber(ARGV[3]) end
redis.call('ZADD', KEYS[1], now + lease, member)
redis.call('PEXPIRE', KEYS[1], ARGV[7])
if head ~= member then return {0, member} end
local session = redis.call('GET', KEYS[2])
if not session then session = '' end
local seen = redis.call('ZSCORE', KEYS[3], ARGV[5])
local processed = 0
if seen and tonumber(seen) > tonumber(ARGV[6]) then processed = 1 end
local untold = tonumber(redis.call('GET', KEYS[4]) or '0')
return {1, member, session, processed, untold}
`);

/**
 * KEYS turn. ARGV token. Removes every queue entry of the token (`<ticket>:<token>`): the lease or
 * the waiting place a request that failed on the client may have taken. Returns how many.
 */
const RELEASE = script(`local removed = 0
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(m, 17) == ARGV[1] then
    redis.call('ZREM', KEYS[1], m)
    removed = removed + 1
  end
end
return removed
`);

/** KEYS turn. ARGV member, lockTtlMs, turnKeyTtlMs. Extends a live lease; never revives an expired one. */
const RENEW = script(`${NOW}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return 0 end
if tonumber(score) <= now then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

/**
 * KEYS turn, session, seen, outbox, undelivered. ARGV member, mode (set|keep|del), json,
 * sessionTtlMs, messageId, clientNowMs, dedupeTtlMs, maxSeen, outbox item JSON or '', clear
 * undelivered 0/1, delivery worker ('' none), its leaseMs; KEYS[6] the outbox lease. The fence:
 * writes only while `member` holds a live lease. Saves (or deletes) the session, records the
 * message id (not after a delete: the conversation's data is gone), appends the turn's replies to
 * the outbox (kept by an erase: the confirmation must still be delivered), releases the lease.
 * Returns 1, or 0 when the lease was lost (nothing written); with a worker, the outbox claim as
 * redis-outbox.ts's CLAIM answers it (the worker's lease taken when free), or {4, depth} when the
 * head is this turn's own item (the caller has it: no need to send it back and parse it).
 */
const SAVE = script(`${NOW}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) <= now then
  if score then redis.call('ZREM', KEYS[1], ARGV[1]) end
  return 0
end
local mode = ARGV[2]
if mode == 'set' then
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
elseif mode == 'del' then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[5])
end
if ARGV[9] ~= '' then redis.call('RPUSH', KEYS[4], ARGV[9]) end
if ARGV[10] == '1' then redis.call('DEL', KEYS[5]) end
if mode ~= 'del' then
  local clientNow = tonumber(ARGV[6])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', clientNow)
  redis.call('ZADD', KEYS[3], clientNow + tonumber(ARGV[7]), ARGV[5])
  local excess = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[8])
  if excess > 0 then redis.call('ZREMRANGEBYRANK', KEYS[3], 0, excess - 1) end
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[9] ~= '' and ARGV[11] ~= '' then
  local holder = redis.call('GET', KEYS[6])
  if holder and holder ~= ARGV[11] then return {1} end
  local head = redis.call('LINDEX', KEYS[4], 0)
  local nextAt = tonumber(cjson.decode(head).nextAt) or 0
  if nextAt > tonumber(ARGV[6]) then return {2, nextAt} end
  redis.call('SET', KEYS[6], ARGV[11], 'PX', ARGV[12])
  local depth = redis.call('LLEN', KEYS[4])
  if head == ARGV[9] then return {4, depth} end
  return {3, head, depth}
end
return 1
`);

/** SAVE's answer when the head of the outbox is the item it just appended: {4, depth}, the item not sent back. */
const OWN_HEAD = 4;

/**
 * KEYS turn, session, seen, undelivered. Deletes the session, the dedupe marks, the count of
 * undelivered replies, and the turn queue's expired
 * entries. A live lease is kept: deleting it would let a second turn run beside the current one;
 * the queue holds only random tokens and is gone as soon as no turn runs.
 */
const ERASE = script(`${NOW}
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return 1
`);
