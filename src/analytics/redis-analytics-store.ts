/**
 * @module The AnalyticsStore on Redis, shared by every instance. Keys, under the prefix, all in
 * one hash slot (`{analytics}`) so the unions of unique counters work on Redis Cluster:
 *
 *   {analytics}:events          STREAM  the raw events in chunks (field `b`: a JSON array; no text, no numbers), trimmed by age (MINID)
 *   {analytics}:day:DAY         HASH    counter → count (analytics-store.ts `aggregateFields`), expires after 24 months
 *   {analytics}:waits:DAY       LIST    "channel|ms" per person answered that day, same expiry
 *   {analytics}:u:DAY:CHANNEL   HLL     citizen hashes seen that day on the channel (`*`: any channel), same expiry
 *   {analytics}:salt            STRING  the salt of citizen hashes, made once by whichever instance starts first
 *
 * A batch is added up first (`coalesce`), so a thousand events of one day cost one HINCRBY per
 * counter, one PFADD per channel and one XADD per event, in one pipeline.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../store/redis-connection.js';
import { StoreUnavailableError } from '../store/session-store.js';
import { DAY_OFFSET_MS, type AnalyticsEvent } from './analytics-event.js';
import { AGGREGATE_DAYS, ALL_CHANNELS, coalesce, STREAM_DAYS, type AnalyticsStore } from './analytics-store.js';

/** Events per stream entry. */
const STREAM_CHUNK = 500;

export function createRedisAnalyticsStore(options: { redis: RedisClient; prefix: string; now?: () => number; streamDays?: number }): AnalyticsStore {
  const { redis, prefix } = options;
  const now = options.now ?? Date.now;
  const streamMs = (options.streamDays ?? STREAM_DAYS) * 86_400_000;
  const base = `${prefix}{analytics}`;
  const keys = {
    events: `${base}:events`,
    day: (day: string) => `${base}:day:${day}`,
    waits: (day: string) => `${base}:waits:${day}`,
    unique: (day: string, channel: string) => `${base}:u:${day}:${channel}`,
    salt: `${base}:salt`,
  };
  /** When a day's aggregates go: 24 months after the day ended (epoch seconds). */
  const expiryOf = (day: string) => Math.floor((Date.parse(`${day}T00:00:00Z`) - DAY_OFFSET_MS) / 1000) + (AGGREGATE_DAYS + 1) * 86_400;
  let salt: Promise<string> | undefined;

  const store: AnalyticsStore = {
    async record(batch) {
      if (batch.length === 0) return;
      const pipe = redis.pipeline();
      for (const [day, add] of coalesce(batch)) {
        const expireAt = expiryOf(day);
        for (const [field, n] of add.counts) pipe.hincrby(keys.day(day), field, n);
        pipe.expireat(keys.day(day), expireAt);
        if (add.waits.length > 0) {
          pipe.rpush(keys.waits(day), ...add.waits.map((w) => `${w.channel}|${w.ms}`));
          pipe.expireat(keys.waits(day), expireAt);
        }
        for (const [channel, citizens] of add.citizens) {
          pipe.pfadd(keys.unique(day, channel), ...citizens);
          pipe.expireat(keys.unique(day, channel), expireAt);
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
      for (const day of wanted) pipe.hgetall(keys.day(day)).lrange(keys.waits(day), 0, -1);
      const results = (await pipe.exec()) ?? [];
      return wanted.map((day, i) => {
        const [hashError, hash] = results[i * 2] ?? [null, {}];
        const [listError, list] = results[i * 2 + 1] ?? [null, []];
        if (hashError) throw hashError;
        if (listError) throw listError;
        const counts = Object.fromEntries(Object.entries(hash as Record<string, string>).map(([field, n]) => [field, Number(n)]));
        const waits = (list as string[]).map((entry) => {
          const at = entry.lastIndexOf('|');
          return { channel: entry.slice(0, at), ms: Number(entry.slice(at + 1)) };
        });
        return { day, counts, waits };
      });
    },
    async uniqueCitizens(wanted, channels) {
      const names = channels === 'all' ? [ALL_CHANNELS] : channels;
      const all = wanted.flatMap((day) => names.map((channel) => keys.unique(day, channel)));
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
      const slots: Array<number | 'zero' | 'big'> = [];
      for (const r of requests) {
        const names = r.channels === 'all' ? [ALL_CHANNELS] : r.channels;
        const all = r.days.flatMap((day) => names.map((channel) => keys.unique(day, channel)));
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
        if (slot === 'zero') out.push(0);
        else if (slot === 'big') out.push(await store.uniqueCitizens(requests[i]!.days, requests[i]!.channels));
        else {
          const [error, value] = results[slot] ?? [new Error('no reply'), 0];
          if (error) throw error;
          out.push(Number(value));
        }
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
