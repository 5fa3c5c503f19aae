/**
 * @module The TicketStore on Redis, shared by every server instance. Claims and holder-only
 * changes are Lua scripts on the ticket's own key, so two instances can never both take a ticket;
 * the queue order comes from one Redis counter, fair whatever the instances' clocks say. Every
 * failure to reach Redis is a StoreUnavailableError (the conversation apologises, the console
 * answers 503).
 *
 * Keys, all under the prefix. A conversation's keys carry its hash tag (`{tg:123}`, as the session
 * store does), a ticket's and a report's their own (`{h:<id>}`, `{r:<id>}`), so each script and
 * each MULTI touches a single Cluster slot:
 *
 *   {K}:handoff          HASH   ticket → the open ticket id; rating → a closed ticket waiting for the 1-5 rating
 *   {K}:handoff:tickets  SET    every ticket and report id of the conversation (for erase)
 *   {K}:handoff:recent   LIST   the last exchanges, JSON, masked, oldest first (a day)
 *   {h:ID}:ticket        HASH   the ticket (status, staff, context JSON, phone, lang...)
 *   {h:ID}:log           LIST   its transcript, JSON entries, bounded
 *   {r:ID}:report        HASH   a citizen's report
 *   {handoff}:open       ZSET   open tickets (waiting or held) → arrival number
 *   {handoff}:queue      ZSET   waiting tickets → arrival number: the citizen's place
 *   {handoff}:arrivals   STRING the counter giving each ticket its arrival number
 *   {handoff}:waits      LIST   recent waits until a claim (ms), for the estimate
 *   {handoff}:reports    ZSET   reports → creation time
 */
import type { HandoffReason } from '../engine/events.js';
import type { ChannelName } from '../engine/messages.js';
import type { RedisClient } from './redis-connection.js';
import {
  ID_PATTERN,
  RECENT_LIMIT,
  RECENT_TTL_SECONDS,
  TRANSCRIPT_LIMIT,
  WAIT_SAMPLES,
  type Report,
  type ReportStatus,
  type Ticket,
  type TicketContext,
  type TicketOutcome,
  type TicketStatus,
  type TicketStore,
  type TicketStoreOptions,
  type TranscriptEntry,
} from './ticket-store.js';
import { assertKeyPrefix, hashTagged } from './redis-keys.js';
import { redisCommand } from './redis-scripts.js';

export interface RedisTicketStoreOptions extends TicketStoreOptions {
  redis: RedisClient;
  /** REDIS_KEY_PREFIX. */
  prefix: string;
}

/**
 * KEYS ticket. ARGV staff, now, ttl. Takes a waiting ticket for `staff`; returns 'ok', or the
 * ticket's status ('held', 'closed'), or 'missing'. One script: two instances never both see 'waiting'.
 */
const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'waiting' then return status end
redis.call('HSET', KEYS[1], 'status', 'held', 'staff', ARGV[1], 'claimedAt', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 'ok'
`;

/**
 * KEYS ticket. ARGV staff, ttl, then field/value pairs. Applies the fields only while `staff`
 * holds the ticket; returns 'ok', 'missing', 'closed', 'waiting' or 'not_holder'.
 */
const AS_HOLDER = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'held' then return status end
if redis.call('HGET', KEYS[1], 'staff') ~= ARGV[1] then return 'not_holder' end
if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 'ok'
`;

/** KEYS ticket. ARGV now, ttl. Closes a waiting or held ticket as cancelled; returns the previous status. */
const CANCEL = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if status == 'closed' then return status end
redis.call('HSET', KEYS[1], 'status', 'closed', 'outcome', 'cancelled', 'closedAt', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return status
`;

/** KEYS pointer. ARGV ticket id. Forgets the conversation's open ticket if it is still this one. */
const DETACH = `
if redis.call('HGET', KEYS[1], 'ticket') == ARGV[1] then redis.call('HDEL', KEYS[1], 'ticket') end
return 1
`;

/** KEYS report. ARGV ttl, allowed statuses (comma-separated), then field/value pairs. 1 when applied. */
const UPDATE_REPORT = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 0 end
if not string.find(',' .. ARGV[2] .. ',', ',' .. status .. ',', 1, true) then return 0 end
if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

export function createRedisTicketStore(options: RedisTicketStoreOptions): TicketStore {
  const { redis, prefix } = options;
  assertKeyPrefix(prefix);
  const ttl = options.retentionDays * 86_400;
  const tag = (key: string) => hashTagged(prefix, key);
  const keys = {
    pointer: (key: string) => `${tag(key)}:handoff`,
    items: (key: string) => `${tag(key)}:handoff:tickets`,
    recent: (key: string) => `${tag(key)}:handoff:recent`,
    ticket: (id: string) => `${tag(`h:${id}`)}:ticket`,
    log: (id: string) => `${tag(`h:${id}`)}:log`,
    report: (id: string) => `${tag(`r:${id}`)}:report`,
    open: `${prefix}{handoff}:open`,
    queue: `${prefix}{handoff}:queue`,
    arrivals: `${prefix}{handoff}:arrivals`,
    waits: `${prefix}{handoff}:waits`,
    reports: `${prefix}{handoff}:reports`,
  };

  const command = redisCommand;

  async function load(id: string): Promise<Ticket | null> {
    if (!ID_PATTERN.test(id)) return null;
    const raw = await redis.hgetall(keys.ticket(id));
    return raw && raw.id ? parseTicket(raw) : null;
  }

  async function loadReport(id: string): Promise<Report | null> {
    if (!ID_PATTERN.test(id)) return null;
    const raw = await redis.hgetall(keys.report(id));
    return raw && raw.id ? parseReport(raw) : null;
  }

  async function detach(value: Ticket): Promise<void> {
    await redis.multi().zrem(keys.queue, value.id).zrem(keys.open, value.id).exec();
    await redis.eval(DETACH, 1, keys.pointer(value.key), value.id);
  }

  const store: TicketStore = {
    async open(value, transcript) {
      const log = keys.log(value.id);
      const first = redis.multi().hset(keys.ticket(value.id), flatten(value)).expire(keys.ticket(value.id), ttl);
      if (transcript.length > 0) first.rpush(log, ...transcript.map((e) => JSON.stringify(e))).ltrim(log, -TRANSCRIPT_LIMIT, -1).expire(log, ttl);
      await first.exec();
      await redis
        .multi()
        .hset(keys.pointer(value.key), 'ticket', value.id)
        .hdel(keys.pointer(value.key), 'rating')
        .expire(keys.pointer(value.key), ttl)
        .sadd(keys.items(value.key), value.id)
        .expire(keys.items(value.key), ttl)
        .exec();
      const arrival = await redis.incr(keys.arrivals);
      await redis.multi().zadd(keys.queue, arrival, value.id).zadd(keys.open, arrival, value.id).exec();
    },
    async openTicketOf(key) {
      const id = await redis.hget(keys.pointer(key), 'ticket');
      if (!id) return null;
      const found = await load(id);
      if (found && found.status !== 'closed') return found;
      await redis.eval(DETACH, 1, keys.pointer(key), id);
      return null;
    },
    async conversation(key) {
      // One read for the common case: no ticket, no rating pending.
      const pointer = await redis.hgetall(keys.pointer(key));
      let ticket: Ticket | null = null;
      if (pointer.ticket) {
        ticket = await load(pointer.ticket);
        if (!ticket || ticket.status === 'closed') {
          await redis.eval(DETACH, 1, keys.pointer(key), pointer.ticket);
          ticket = null;
        }
      }
      return { ticket, ratingFor: pointer.rating ?? null };
    },
    get: load,
    async listOpen() {
      const ids = await redis.zrange(keys.open, '0', '-1');
      const found = await Promise.all(ids.map(load));
      const out: Ticket[] = [];
      for (const [i, ticket] of found.entries()) {
        if (ticket && ticket.status !== 'closed') out.push(ticket);
        // Expired (retention) or closed elsewhere: tidy the index.
        else await redis.multi().zrem(keys.open, ids[i] as string).zrem(keys.queue, ids[i] as string).exec();
      }
      return out;
    },
    async position(id) {
      const rank = await redis.zrank(keys.queue, id);
      return rank === null ? null : rank + 1;
    },
    async transcript(id) {
      if (!ID_PATTERN.test(id)) return [];
      return (await redis.lrange(keys.log(id), 0, -1)).map((raw) => JSON.parse(raw) as TranscriptEntry);
    },
    async append(id, entries) {
      if (entries.length === 0 || !(await redis.exists(keys.ticket(id)))) return;
      const log = keys.log(id);
      await redis
        .multi()
        .rpush(log, ...entries.map((e) => JSON.stringify(e)))
        .ltrim(log, -TRANSCRIPT_LIMIT, -1)
        .expire(log, ttl)
        .expire(keys.ticket(id), ttl)
        .exec();
    },
    async claim(id, staff, at) {
      if (!ID_PATTERN.test(id)) return { result: 'missing' };
      const outcome = String(await redis.eval(CLAIM, 1, keys.ticket(id), staff, at, ttl));
      if (outcome === 'missing') return { result: 'missing' };
      if (outcome === 'ok') await redis.zrem(keys.queue, id);
      const found = await load(id);
      if (!found) return { result: 'missing' };
      return { result: outcome === 'ok' ? 'ok' : found.status === 'waiting' ? 'held' : (found.status as 'held' | 'closed'), ticket: found };
    },
    async updateAsHolder(id, staff, change) {
      if (!ID_PATTERN.test(id)) return { result: 'missing' };
      const fields = Object.entries(change).flatMap(([name, value]) => (value === undefined ? [] : [name, String(value)]));
      const outcome = String(await redis.eval(AS_HOLDER, 1, keys.ticket(id), staff, ttl, ...fields));
      const found = await load(id);
      if (outcome === 'missing' || !found) return { result: 'missing' };
      if (outcome !== 'ok') return { result: outcome as 'not_holder' | 'waiting' | 'closed', ticket: found };
      if (found.status === 'closed') await detach(found);
      return { result: 'ok', ticket: found };
    },
    async cancel(id, at) {
      if (!ID_PATTERN.test(id)) return null;
      const previous = String(await redis.eval(CANCEL, 1, keys.ticket(id), at, ttl));
      if (previous !== 'waiting' && previous !== 'held') return null;
      const found = await load(id);
      if (found) await detach(found);
      return found;
    },
    async awaitRating(key, id) {
      await redis.multi().hset(keys.pointer(key), 'rating', id).expire(keys.pointer(key), ttl).exec();
    },
    async clearRatingRequest(key) {
      await redis.hdel(keys.pointer(key), 'rating');
    },
    async rate(id, rating) {
      if (ID_PATTERN.test(id) && (await redis.exists(keys.ticket(id)))) await redis.multi().hset(keys.ticket(id), 'rating', rating).expire(keys.ticket(id), ttl).exec();
    },
    async recordWait(ms) {
      await redis.multi().lpush(keys.waits, Math.round(ms)).ltrim(keys.waits, 0, WAIT_SAMPLES - 1).exec();
    },
    async recentWaits() {
      return (await redis.lrange(keys.waits, 0, WAIT_SAMPLES - 1)).map((v) => Number(v)).filter((n) => Number.isFinite(n) && n >= 0);
    },
    async remember(key, entries) {
      if (entries.length === 0) return;
      const list = keys.recent(key);
      await redis
        .multi()
        .rpush(list, ...entries.map((e) => JSON.stringify(e)))
        .ltrim(list, -RECENT_LIMIT, -1)
        .expire(list, RECENT_TTL_SECONDS)
        .exec();
    },
    async recent(key) {
      return (await redis.lrange(keys.recent(key), 0, -1)).map((raw) => JSON.parse(raw) as TranscriptEntry);
    },
    async addReport(value) {
      await redis.multi().hset(keys.report(value.id), flatten(value)).expire(keys.report(value.id), ttl).exec();
      await redis.multi().sadd(keys.items(value.key), value.id).expire(keys.items(value.key), ttl).exec();
      await redis.zadd(keys.reports, value.createdAt, value.id);
    },
    getReport: loadReport,
    async listReports() {
      const ids = await redis.zrevrange(keys.reports, 0, -1);
      const found = await Promise.all(ids.map(loadReport));
      const out: Report[] = [];
      for (const [i, report] of found.entries()) {
        if (report) out.push(report);
        else await redis.zrem(keys.reports, ids[i] as string);
      }
      return out;
    },
    async updateReport(id, change, from) {
      if (!ID_PATTERN.test(id)) return null;
      const fields = Object.entries(change).flatMap(([name, value]) => (value === undefined ? [] : [name, String(value)]));
      const applied = Number(await redis.eval(UPDATE_REPORT, 1, keys.report(id), ttl, from.join(','), ...fields));
      return applied === 1 ? loadReport(id) : null;
    },
    async erase(key) {
      const ids = await redis.smembers(keys.items(key));
      const removed = { tickets: [] as string[], reports: [] as string[] };
      for (const id of ids) {
        if (!ID_PATTERN.test(id)) continue;
        const [ticketGone] = await Promise.all([redis.del(keys.ticket(id), keys.log(id)), redis.multi().zrem(keys.queue, id).zrem(keys.open, id).zrem(keys.reports, id).exec()]);
        const reportGone = await redis.del(keys.report(id));
        if (ticketGone > 0) removed.tickets.push(id);
        if (reportGone > 0) removed.reports.push(id);
      }
      await redis.del(keys.pointer(key), keys.items(key), keys.recent(key));
      return removed;
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

  // Every operation but ready/close reports Redis trouble as the store being unavailable.
  const wrapped = { ...store } as Record<string, unknown>;
  for (const [name, fn] of Object.entries(store)) {
    if (name === 'ready' || name === 'close') continue;
    wrapped[name] = (...args: unknown[]) => command(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args));
  }
  return wrapped as unknown as TicketStore;
}

function flatten(value: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, field] of Object.entries(value)) {
    if (field === undefined) continue;
    out[name] = typeof field === 'object' ? JSON.stringify(field) : String(field);
  }
  return out;
}

const num = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));

function parseTicket(raw: Record<string, string>): Ticket {
  const ticket: Ticket = {
    id: raw.id ?? '',
    key: raw.key ?? '',
    channel: raw.channel as ChannelName,
    conversationId: raw.conversationId ?? '',
    reason: raw.reason as Ticket['reason'] & HandoffReason,
    topic: raw.topic ?? '',
    status: raw.status as TicketStatus,
    openedAt: Number(raw.openedAt),
    context: raw.context ? (JSON.parse(raw.context) as TicketContext) : {},
    afterHours: raw.afterHours === 'true',
  };
  if (raw.displayName) ticket.displayName = raw.displayName;
  if (raw.staff) ticket.staff = raw.staff;
  if (raw.claimedAt) ticket.claimedAt = num(raw.claimedAt) as number;
  if (raw.closedAt) ticket.closedAt = num(raw.closedAt) as number;
  if (raw.outcome) ticket.outcome = raw.outcome as TicketOutcome;
  if (raw.phone) ticket.phone = raw.phone;
  if (raw.rating) ticket.rating = num(raw.rating) as number;
  if (raw.demo === 'true') ticket.demo = true;
  if (raw.lang) ticket.lang = raw.lang;
  return ticket;
}

function parseReport(raw: Record<string, string>): Report {
  const report: Report = {
    id: raw.id ?? '',
    key: raw.key ?? '',
    channel: raw.channel as ChannelName,
    conversationId: raw.conversationId ?? '',
    text: raw.text ?? '',
    status: raw.status as ReportStatus,
    createdAt: Number(raw.createdAt),
  };
  if (raw.displayName) report.displayName = raw.displayName;
  if (raw.procedure) report.procedure = JSON.parse(raw.procedure) as { id: string; name: string };
  if (raw.phone) report.phone = raw.phone;
  if (raw.seenAt) report.seenAt = num(raw.seenAt) as number;
  if (raw.seenBy) report.seenBy = raw.seenBy;
  if (raw.resolvedAt) report.resolvedAt = num(raw.resolvedAt) as number;
  if (raw.resolvedBy) report.resolvedBy = raw.resolvedBy;
  if (raw.reply !== undefined) report.reply = raw.reply;
  if (raw.replyDelivered) report.replyDelivered = raw.replyDelivered === 'true';
  if (raw.demo === 'true') report.demo = true;
  if (raw.lang) report.lang = raw.lang;
  return report;
}
