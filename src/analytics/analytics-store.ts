/**
 * @module Where analytics events are kept: the AnalyticsStore interface, with a memory
 * implementation (`npm start` without Redis, one process) and a Redis one (redis-analytics-store.ts,
 * any number of instances). One contract suite (test/analytics/analytics-store.case.ts) runs
 * against both.
 *
 * Two things are kept. The events themselves, for a short while (`streamDays`, default 35), so a
 * figure can be re-counted or audited; and daily aggregates, kept 24 months, which the dashboard
 * reads: counters per day (`aggregateFields` names them), the waits of the day (for exact median
 * and 90th percentile), and the day's unique citizens (a HyperLogLog on Redis, a set of hashes in
 * memory) per channel and overall.
 */
import { randomBytes } from 'node:crypto';
import { dayOf, type AnalyticsEvent } from './analytics-event.js';

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
  const days = new Map<string, { counts: Map<string, number>; waits: Array<{ channel: string; ms: number }>; citizens: Map<string, Set<string>> }>();
  let events: AnalyticsEvent[] = [];

  function prune(): void {
    const oldest = dayOf(now() - AGGREGATE_DAYS * 86_400_000);
    for (const day of days.keys()) if (day < oldest) days.delete(day);
    const since = now() - streamMs;
    if (events.length > maxEvents || (events[0] && events[0].at < since)) events = events.filter((e) => e.at >= since).slice(-maxEvents);
  }

  return {
    async record(batch) {
      for (const [day, add] of coalesce(batch)) {
        let agg = days.get(day);
        if (!agg) days.set(day, (agg = { counts: new Map(), waits: [], citizens: new Map() }));
        for (const [field, n] of add.counts) agg.counts.set(field, (agg.counts.get(field) ?? 0) + n);
        agg.waits.push(...add.waits);
        for (const [key, set] of add.citizens) {
          const kept = agg.citizens.get(key) ?? new Set<string>();
          for (const c of set) kept.add(c);
          agg.citizens.set(key, kept);
        }
      }
      events.push(...batch.map((e) => ({ ...e })));
      prune();
    },
    async days(wanted) {
      return wanted.map((day) => {
        const agg = days.get(day);
        return { day, counts: agg ? Object.fromEntries(agg.counts) : {}, waits: agg ? [...agg.waits] : [] };
      });
    },
    async uniqueCitizens(wanted, channels) {
      const all = new Set<string>();
      const keys = channels === 'all' ? [ALL_CHANNELS] : channels;
      for (const day of wanted) for (const key of keys) for (const c of days.get(day)?.citizens.get(key) ?? []) all.add(c);
      return all.size;
    },
    async recent(limit) {
      return events.slice(-limit).reverse();
    },
    salt: async () => salt,
    async close() {},
  };
}
