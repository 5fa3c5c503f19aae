/**
 * @module The AnalyticsStore on Redis, shared by every instance. Keys, under the prefix, all in
 * one hash slot (`{analytics}`) so the unions of unique counters work on Redis Cluster:
 *
 *   {analytics}:events          STREAM  the raw events in chunks (field `b`: a JSON array; no text, no numbers), trimmed by age (MINID)
 *   {analytics}:day:DAY         HASH    small counter → count (analytics-store.ts `aggregateFields`), expires after 24 months
 *   {analytics}:t:B:TALLY       ZSET    a long tally (`tallyEntries`: `q:CHANNEL` question → count, `p:COLUMN:CHANNEL` procedure → count; CHANNEL `*` = all), same expiry
 *   {analytics}:w:B:CHANNEL     ZSET    one member per person answered (score: the wait in ms; `*` = all), same expiry
 *
 * B, the bucket, is the day, and again its month (`2026-11`): a range reads each whole month from
 * the month's bucket (`rangeBuckets`), so twelve months are twelve keys per tally or count. A month's
 * bucket expires with its last day.
 *   {analytics}:tmp:…           ZSET    a report's unions, deleted on its second trip (and expiring in a minute if not)
 *   {analytics}:u:B:CHANNEL     HLL     citizen hashes seen that day (or month) on the channel (`*`: any channel), same expiry
 *   {analytics}:salt            STRING  the salt of citizen hashes, made once by whichever instance starts first
 *
 * A batch is added up first (`coalesce`), so a thousand events of one day cost one HINCRBY per
 * counter, one ZINCRBY per tally member, one PFADD per channel and one XADD per 500 events, in one
 * pipeline. A report reads a day's small hash (about a hundred fields) per day, and lets Redis add
 * the long tallies up over the range (ZUNIONSTORE), then fetches only the top of them; the waits'
 * percentiles are found in Redis by a binary search over the sets (`PERCENTILES`): two round
 * trips, whatever the traffic.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../store/redis-connection.js';
import { StoreUnavailableError } from '../store/session-store.js';
import { DAY_OFFSET_MS, type AnalyticsEvent } from './analytics-event.js';
import { AGGREGATE_DAYS, ALL_CHANNELS, byCountThenText, coalesce, createFinishedCounts, lastDayOf, PROCEDURE_COLUMNS, rangeBuckets, STREAM_DAYS, type AnalyticsStore, type ProcedureColumn, type RangeSummary } from './analytics-store.js';

/** Events per stream entry. */
const STREAM_CHUNK = 500;

/**
 * Exact nearest-rank percentiles over several wait sets without adding them up: for each
 * percentile (ARGV, e.g. 50 and 90), a binary search over the integer waits for the smallest w
 * with at least rank+1 waits ≤ w in all the sets together (ZCOUNT is O(log n) per set). Replies
 * {count, w50, w90} ({0} when there are none). The rank is `rankOf` (analytics-store.ts).
 */
const PERCENTILES = `
local total = 0
local lo, hi = nil, nil
for _, key in ipairs(KEYS) do
  local n = redis.call('ZCARD', key)
  if n > 0 then
    total = total + n
    local first = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
    local last = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2])
    if lo == nil or first < lo then lo = first end
    if hi == nil or last > hi then hi = last end
  end
end
local out = { total }
if total == 0 then return out end
for _, p in ipairs(ARGV) do
  local rank = math.min(total - 1, math.max(0, math.ceil((tonumber(p) / 100) * total) - 1))
  local a, b = lo, hi
  while a < b do
    local mid = math.floor((a + b) / 2)
    local count = 0
    for _, key in ipairs(KEYS) do count = count + redis.call('ZCOUNT', key, '-inf', mid) end
    if count >= rank + 1 then b = mid else a = mid + 1 end
  end
  out[#out + 1] = a
end
return out
`;

export function createRedisAnalyticsStore(options: { redis: RedisClient; prefix: string; now?: () => number; streamDays?: number }): AnalyticsStore {
  const { redis, prefix } = options;
  const now = options.now ?? Date.now;
  const streamMs = (options.streamDays ?? STREAM_DAYS) * 86_400_000;
  const base = `${prefix}{analytics}`;
  const keys = {
    events: `${base}:events`,
    day: (day: string) => `${base}:day:${day}`,
    tally: (day: string, tally: string) => `${base}:t:${day}:${tally}`,
    waits: (day: string, channel: string) => `${base}:w:${day}:${channel}`,
    tmp: () => `${base}:tmp:${randomBytes(6).toString('hex')}`,
    unique: (day: string, channel: string) => `${base}:u:${day}:${channel}`,
    salt: `${base}:salt`,
  };
  /** When a day's aggregates go: 24 months after the day ended (epoch seconds). */
  const expiryOf = (day: string) => Math.floor((Date.parse(`${day}T00:00:00Z`) - DAY_OFFSET_MS) / 1000) + (AGGREGATE_DAYS + 1) * 86_400;
  let salt: Promise<string> | undefined;
  const finished = createFinishedCounts(now);

  const store: AnalyticsStore = {
    async record(batch) {
      if (batch.length === 0) return;
      const pipe = redis.pipeline();
      for (const [day, add] of coalesce(batch)) {
        const expireAt = expiryOf(day);
        for (const [field, n] of add.counts) pipe.hincrby(keys.day(day), field, n);
        pipe.expireat(keys.day(day), expireAt);
        // The waits' members are unique (a random tag) so equal waits are all kept; the score is the wait.
        const tag = randomBytes(6).toString('hex');
        for (const [bucket, bucketExpiry] of [[day, expireAt], [day.slice(0, 7), expiryOf(lastDayOf(day.slice(0, 7)))]] as const) {
          for (const [tally, members] of add.tallies) {
            const key = keys.tally(bucket, tally);
            for (const [member, n] of members) pipe.zincrby(key, n, member);
            pipe.expireat(key, bucketExpiry);
          }
          if (add.waits.length === 0) continue;
          for (const channel of new Set([...add.waits.map((w) => w.channel), ALL_CHANNELS])) {
            const members = add.waits.flatMap((w, i) => (channel === ALL_CHANNELS || w.channel === channel ? [String(w.ms), `${tag}${i}`] : []));
            pipe.zadd(keys.waits(bucket, channel), ...members);
            pipe.expireat(keys.waits(bucket, channel), bucketExpiry);
          }
        }
        for (const [channel, citizens] of add.citizens) {
          for (const [bucket, bucketExpiry] of [[day, expireAt], [day.slice(0, 7), expiryOf(lastDayOf(day.slice(0, 7)))]] as const) {
            pipe.pfadd(keys.unique(bucket, channel), ...citizens);
            pipe.expireat(keys.unique(bucket, channel), bucketExpiry);
          }
        }
      }
      // The stream keeps the events in chunks (one entry per up to STREAM_CHUNK events of a batch):
      // a million events are a few thousand XADDs. Entry ids carry our clock (the same one MINID
      // trims by); another instance a few ms ahead makes an id too small, and that entry is added
      // with Redis's own id instead.
      const at = now();
      const minId = String(Math.max(0, at - streamMs));
      const chunks: string[] = [];
      for (let i = 0; i < batch.length; i += STREAM_CHUNK) chunks.push(JSON.stringify(batch.slice(i, i + STREAM_CHUNK)));
      const first = pipe.length;
      for (const chunk of chunks) pipe.xadd(keys.events, 'MINID', '~', minId, `${at}-*`, 'b', chunk);
      const results = (await pipe.exec()) ?? [];
      const retry = redis.pipeline();
      for (const [i, [error]] of results.entries()) {
        if (!error) continue;
        const chunk = i >= first ? chunks[i - first] : undefined;
        if (chunk === undefined || !/equal or smaller/i.test(error.message)) throw error;
        retry.xadd(keys.events, 'MINID', '~', minId, '*', 'b', chunk);
      }
      if (retry.length > 0) {
        const again = (await retry.exec()) ?? [];
        const failed = again.find(([error]) => error);
        if (failed?.[0]) throw failed[0];
      }
    },
    async days(wanted) {
      const pipe = redis.pipeline();
      for (const day of wanted) pipe.hgetall(keys.day(day));
      const results = (await pipe.exec()) ?? [];
      return wanted.map((day, i) => {
        const [error, hash] = results[i] ?? [null, {}];
        if (error) throw error;
        const counts = Object.fromEntries(Object.entries(hash as Record<string, string>).map(([field, n]) => [field, Number(n)]));
        return { day, counts };
      });
    },
    async summary(wanted, channels, limit): Promise<RangeSummary> {
      const names = channels === 'all' ? [ALL_CHANNELS] : [...channels];
      const from = rangeBuckets(wanted);
      const columns = Object.keys(PROCEDURE_COLUMNS) as ProcedureColumn[];
      if (wanted.length === 0 || names.length === 0) return { procedures: [], notFound: [], waits: { count: 0, medianMs: null, p90Ms: null } };
      const union = (pipe: ReturnType<RedisClient['pipeline']>, target: string, sources: string[]) => {
        pipe.zunionstore(target, sources.length, ...sources);
        pipe.expire(target, 60);
      };
      const q = keys.tmp();
      const p = Object.fromEntries(columns.map((c) => [c, keys.tmp()])) as Record<ProcedureColumn, string>;
      const first = redis.pipeline();
      union(first, q, from.flatMap((b) => names.map((ch) => keys.tally(b, `q:${ch}`))));
      first.zrevrange(q, 0, limit - 1, 'WITHSCORES');
      for (const c of columns) {
        union(first, p[c], from.flatMap((b) => names.map((ch) => keys.tally(b, `p:${c}:${ch}`))));
        first.zrange(p[c], '0', '-1', 'WITHSCORES');
      }
      const waitKeys = from.flatMap((b) => names.map((ch) => keys.waits(b, ch)));
      first.eval(PERCENTILES, waitKeys.length, ...waitKeys, '50', '90');
      const replies = ((await first.exec()) ?? []).map(([error, value]) => {
        if (error) throw error;
        return value;
      });
      const pairs = (flat: unknown) => {
        const list = flat as string[];
        const out: Array<[string, number]> = [];
        for (let i = 0; i + 1 < list.length; i += 2) out.push([list[i]!, Number(list[i + 1])]);
        return out;
      };
      const top = pairs(replies[2]);
      const procedures = new Map<string, { id: string } & Record<ProcedureColumn, number>>();
      columns.forEach((c, i) => {
        for (const [id, n] of pairs(replies[3 + i * 3 + 2])) {
          const row = procedures.get(id) ?? { id, cards: 0, guides: 0, links: 0, filed: 0 };
          row[c] = n;
          procedures.set(id, row);
        }
      });
      const [waitCount, median, p90] = (replies[replies.length - 1] as Array<number | null>).map((v) => (v === null ? null : Number(v)));
      // Second trip: every question tied with the last one shown (so ties sort by text exactly as
      // in memory), and the unions deleted.
      const second = redis.pipeline();
      const tied = top.length === limit && limit > 0;
      if (tied) second.zrangebyscore(q, top[top.length - 1]![1], '+inf', 'WITHSCORES');
      second.del(q, ...Object.values(p));
      const more = ((await second.exec()) ?? []).map(([error, value]) => {
        if (error) throw error;
        return value;
      });
      const notFound = (tied ? pairs(more[0]) : top).map(([query, count]) => ({ query, count })).sort(byCountThenText).slice(0, limit);
      return { procedures: [...procedures.values()], notFound, waits: { count: waitCount ?? 0, medianMs: waitCount ? (median ?? null) : null, p90Ms: waitCount ? (p90 ?? null) : null } };
    },
    async uniqueCitizens(wanted, channels) {
      const names = channels === 'all' ? [ALL_CHANNELS] : channels;
      const all = rangeBuckets(wanted).flatMap((bucket) => names.map((channel) => keys.unique(bucket, channel)));
      if (all.length === 0) return 0;
      // PFCOUNT over several keys counts their union; in slices so one call stays small.
      if (all.length <= 400) return redis.pfcount(...(all as [string, ...string[]]));
      const merged = `${base}:u:merge:${randomBytes(6).toString('hex')}`;
      for (let i = 0; i < all.length; i += 400) await redis.pfmerge(merged, ...(all.slice(i, i + 400) as [string, ...string[]]));
      const count = await redis.pfcount(merged);
      await redis.del(merged);
      return count;
    },
    async uniqueCounts(requests) {
      const pipe = redis.pipeline();
      const slots: Array<number | 'zero' | 'big' | { known: number }> = [];
      const cacheKeys = requests.map((r) => finished.key(r.days, r.channels));
      for (const [i, r] of requests.entries()) {
        const key = cacheKeys[i];
        const known = key === undefined ? undefined : finished.get(key);
        if (known !== undefined) {
          slots.push({ known });
          continue;
        }
        const names = r.channels === 'all' ? [ALL_CHANNELS] : r.channels;
        const all = rangeBuckets(r.days).flatMap((bucket) => names.map((channel) => keys.unique(bucket, channel)));
        if (all.length === 0) slots.push('zero');
        else if (all.length > 400) slots.push('big');
        else {
          pipe.pfcount(...(all as [string, ...string[]]));
          slots.push(pipe.length - 1);
        }
      }
      const results = slots.some((s) => typeof s === 'number') ? ((await pipe.exec()) ?? []) : [];
      const out: number[] = [];
      for (const [i, slot] of slots.entries()) {
        let n: number;
        if (typeof slot === 'object') n = slot.known;
        else if (slot === 'zero') n = 0;
        else if (slot === 'big') n = await store.uniqueCitizens(requests[i]!.days, requests[i]!.channels);
        else {
          const [error, value] = results[slot] ?? [new Error('no reply'), 0];
          if (error) throw error;
          n = Number(value);
        }
        const key = cacheKeys[i];
        if (key !== undefined && typeof slot !== 'object') finished.set(key, n);
        out.push(n);
      }
      return out;
    },
    async recent(limit) {
      const out: AnalyticsEvent[] = [];
      let end = '+';
      while (out.length < limit) {
        const entries = await redis.xrevrange(keys.events, end, '-', 'COUNT', 50);
        for (const [id, fields] of entries) {
          if (id === end) continue;
          const chunk = JSON.parse(fields[1] ?? '[]') as AnalyticsEvent[];
          out.push(...chunk.reverse());
        }
        if (entries.length < 50) break;
        end = entries[entries.length - 1]![0];
      }
      return out.slice(0, limit);
    },
    salt() {
      salt ??= (async () => {
        await redis.set(keys.salt, randomBytes(16).toString('hex'), 'NX');
        const kept = await redis.get(keys.salt);
        if (!kept) throw new Error('analytics salt missing');
        return kept;
      })().catch((error: unknown) => {
        salt = undefined;
        throw error;
      });
      return salt;
    },
    async close() {},
  };

  const wrapped = { ...store } as Record<string, unknown>;
  for (const [name, fn] of Object.entries(store)) {
    if (name === 'close') continue;
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        throw new StoreUnavailableError(error instanceof Error ? error.message : String(error));
      }
    };
  }
  return wrapped as unknown as AnalyticsStore;
}
