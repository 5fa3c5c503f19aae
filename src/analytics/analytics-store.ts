/**
 * @module Where analytics events are kept: the AnalyticsStore interface, with a memory
 * implementation (`npm start` without Redis, one process) and a Redis one (redis-analytics-store.ts,
 * any number of instances). One contract suite (test/analytics/analytics-store.case.ts) runs
 * against both.
 *
 * Two things are kept. The events themselves, for a short while (`streamDays`, default 35), so a
 * figure can be re-counted or audited; and daily aggregates, kept 24 months, which the dashboard
 * reads: counters per day (`aggregateFields` names them), the waits of the day (for exact median
 * and 90th percentile), and the day's unique citizens (a HyperLogLog, Redis's or hyperloglog.ts)
 * per channel and overall.
 */
import { randomBytes } from 'node:crypto';
import { dayOf, type AnalyticsEvent } from './analytics-event.js';
import { HyperLogLog } from './hyperloglog.js';

/** Daily aggregates are kept this long (24 months and a day). */
export const AGGREGATE_DAYS = 732;
/** Raw events are kept this long by default. */
export const STREAM_DAYS = 35;

export interface DayAggregate {
  day: string;
  /** Counter name (see `aggregateFields`) → count. */
  counts: Record<string, number>;
  /** Waits answered that day, in ms, with their channel. */
  waits: Array<{ channel: string; ms: number }>;
}

export interface AnalyticsStore {
  record(events: readonly AnalyticsEvent[]): Promise<void>;
  /** The aggregates of these days, in the same order (a day with nothing has empty counts). */
  days(days: readonly string[]): Promise<DayAggregate[]>;
  /** Distinct citizens over these days, on these channels (or on all). */
  uniqueCitizens(days: readonly string[], channels: readonly string[] | 'all'): Promise<number>;
  /** Several `uniqueCitizens` at once (one round trip on Redis), in the same order. */
  uniqueCounts(requests: ReadonlyArray<{ days: readonly string[]; channels: readonly string[] | 'all' }>): Promise<number[]>;
  /** The newest raw events still kept, newest first. */
  recent(limit: number): Promise<AnalyticsEvent[]>;
  /** The salt of citizen hashes, the same for every instance on one store. */
  salt(): Promise<string>;
  close(): Promise<void>;
}

/** The key of "all channels" among unique counters. */
export const ALL_CHANNELS = '*';

/** Which day counters an event adds one to. Fields: `kind|...`, parts never contain `|`. */
export function aggregateFields(event: AnalyticsEvent): string[] {
  const c = event.channel;
  const fields = [`n|${event.name}|${c}`];
  if (event.procedure) fields.push(`p|${event.name}|${c}|${event.procedure}`);
  if (event.name === 'conversation_started' && event.source) fields.push(`s|${c}|${event.source}`);
  if (event.name === 'procedure_not_found' && event.query) fields.push(`q|${c}|${event.query}`);
  if (event.name === 'person_rated' && event.rating !== undefined) fields.push(`r|${c}|${event.rating}`);
  if (event.name === 'checklist_finished' && (event.missing ?? 0) > 0) fields.push(`m|${c}`);
  return fields;
}

/** Adds a batch of events up: per day, counter → increment (so a store sends one write per counter). */
export function coalesce(events: readonly AnalyticsEvent[]): Map<string, { counts: Map<string, number>; waits: Array<{ channel: string; ms: number }>; citizens: Map<string, Set<string>> }> {
  const out = new Map<string, { counts: Map<string, number>; waits: Array<{ channel: string; ms: number }>; citizens: Map<string, Set<string>> }>();
  for (const event of events) {
    const day = dayOf(event.at);
    let agg = out.get(day);
    if (!agg) out.set(day, (agg = { counts: new Map(), waits: [], citizens: new Map() }));
    for (const field of aggregateFields(event)) agg.counts.set(field, (agg.counts.get(field) ?? 0) + 1);
    if (event.name === 'person_answered' && event.waitMs !== undefined) agg.waits.push({ channel: event.channel, ms: Math.max(0, Math.round(event.waitMs)) });
    if (event.citizen) {
      for (const key of [event.channel, ALL_CHANNELS]) {
        let set = agg.citizens.get(key);
        if (!set) agg.citizens.set(key, (set = new Set()));
        set.add(event.citizen);
      }
    }
  }
  return out;
}

export function createMemoryAnalyticsStore(options: { now?: () => number; streamDays?: number; maxEvents?: number } = {}): AnalyticsStore {
  const now = options.now ?? Date.now;
  const streamMs = (options.streamDays ?? STREAM_DAYS) * 86_400_000;
  const maxEvents = options.maxEvents ?? 100_000;
  const salt = randomBytes(16).toString('hex');
  const days = new Map<string, { counts: Map<string, number>; waits: Array<{ channel: string; ms: number }>; citizens: Map<string, HyperLogLog> }>();
  let events: AnalyticsEvent[] = [];
  let prunedDay = '';

  function prune(): void {
    const today = dayOf(now());
    if (today !== prunedDay) {
      prunedDay = today;
      const oldest = dayOf(now() - AGGREGATE_DAYS * 86_400_000);
      for (const day of days.keys()) if (day < oldest) days.delete(day);
    }
    const since = now() - streamMs;
    let drop = Math.max(0, events.length - maxEvents);
    while (drop < events.length && events[drop]!.at < since) drop += 1;
    if (drop > 0) events = events.slice(drop);
  }

  function unique(wanted: readonly string[], channels: readonly string[] | 'all'): number {
    const keys = channels === 'all' ? [ALL_CHANNELS] : channels;
    const sets = wanted.flatMap((day) => keys.map((key) => days.get(day)?.citizens.get(key)).filter((h) => h !== undefined));
    if (sets.length === 0) return 0;
    if (sets.length === 1) return sets[0]!.count();
    const union = new HyperLogLog();
    for (const hll of sets) union.merge(hll);
    return union.count();
  }

  return {
    async record(batch) {
      for (const [day, add] of coalesce(batch)) {
        let agg = days.get(day);
        if (!agg) days.set(day, (agg = { counts: new Map(), waits: [], citizens: new Map() }));
        for (const [field, n] of add.counts) agg.counts.set(field, (agg.counts.get(field) ?? 0) + n);
        agg.waits.push(...add.waits);
        for (const [key, set] of add.citizens) {
          let hll = agg.citizens.get(key);
          if (!hll) agg.citizens.set(key, (hll = new HyperLogLog()));
          for (const c of set) hll.add(c);
        }
      }
      for (const e of batch) events.push({ ...e });
      prune();
    },
    async days(wanted) {
      return wanted.map((day) => {
        const agg = days.get(day);
        return { day, counts: agg ? Object.fromEntries(agg.counts) : {}, waits: agg ? [...agg.waits] : [] };
      });
    },
    async uniqueCitizens(wanted, channels) {
      return unique(wanted, channels);
    },
    async uniqueCounts(requests) {
      return requests.map((r) => unique(r.days, r.channels));
    },
    async recent(limit) {
      return events.slice(-limit).reverse();
    },
    salt: async () => salt,
    async close() {},
  };
}
