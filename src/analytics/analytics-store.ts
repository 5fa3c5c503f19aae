/**
 * @module Where analytics events are kept: the AnalyticsStore interface, with a memory
 * implementation (`npm start` without Redis, one process) and a Redis one (redis-analytics-store.ts,
 * any number of instances). One contract suite (test/analytics/analytics-store.case.ts) runs
 * against both.
 *
 * Two things are kept. The events themselves, for a short while (`streamDays`, default 35), so a
 * figure can be re-counted or audited; and daily aggregates, kept 24 months, which the dashboard
 * reads: small counters per day (`aggregateFields` names them: events per name and channel,
 * sources, ratings), long tallies per day (`tallyEntries`: procedures and not-found questions,
 * per channel and for all channels, added up over a range by the store, `summary`), the waits of
 * the day (exact median and 90th percentile), and the day's unique citizens (a HyperLogLog,
 * Redis's or hyperloglog.ts) per channel and overall.
 */
import { createHash, randomBytes } from 'node:crypto';
import { dayOf, type AnalyticsEvent } from './analytics-event.js';
import { HyperLogLog } from './hyperloglog.js';

/** Daily aggregates are kept this long (24 months and a day). */
export const AGGREGATE_DAYS = 732;
/** Raw events are kept this long by default. */
export const STREAM_DAYS = 35;

export interface DayAggregate {
  day: string;
  /** Counter name (see `aggregateFields`) → count: the small counters, read day by day. */
  counts: Record<string, number>;
}

/** Procedures' columns on the dashboard, and the event each one counts. */
export const PROCEDURE_COLUMNS = { cards: 'card_viewed', guides: 'online_guide_opened', links: 'online_link_opened', filed: 'filed_confirmed' } as const;
export type ProcedureColumn = keyof typeof PROCEDURE_COLUMNS;
const COLUMN_OF = new Map<string, ProcedureColumn>(Object.entries(PROCEDURE_COLUMNS).map(([column, name]) => [name, column as ProcedureColumn]));

/**
 * What the dashboard reads over a whole range at once, added up by the store (on Redis by Redis
 * itself, ZUNIONSTORE), so a month costs the same few replies whatever the traffic: the long
 * lists (procedures, questions that found nothing) and the waits, exact.
 */
export interface RangeSummary {
  /** Every procedure with a card, guide, link or filing in the range, on the channels asked. */
  procedures: Array<{ id: string } & Record<ProcedureColumn, number>>;
  /** The questions that found nothing most often: count down, then the text; at most `limit`. */
  notFound: Array<{ query: string; count: number }>;
  /** People answered: how many, and the exact median and 90th percentile wait (nearest rank). */
  waits: { count: number; medianMs: number | null; p90Ms: number | null };
}

export interface AnalyticsStore {
  record(events: readonly AnalyticsEvent[]): Promise<void>;
  /** The small counters of these days, in the same order (a day with nothing has empty counts). */
  days(days: readonly string[]): Promise<DayAggregate[]>;
  /** Procedures, not-found questions and waits over these days, on these channels (or all). */
  summary(days: readonly string[], channels: readonly string[] | 'all', limit: number): Promise<RangeSummary>;
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

/** The key of "all channels" among unique counters, tallies and waits. */
export const ALL_CHANNELS = '*';

/** Which small day counters an event adds one to. Fields: `kind|...`, parts never contain `|`. */
export function aggregateFields(event: AnalyticsEvent): string[] {
  const c = event.channel;
  const fields = [`n|${event.name}|${c}`];
  if (event.name === 'conversation_started' && event.source) fields.push(`s|${c}|${event.source}`);
  if (event.name === 'person_rated' && event.rating !== undefined) fields.push(`r|${c}|${event.rating}`);
  if (event.name === 'checklist_finished' && (event.missing ?? 0) > 0) fields.push(`m|${c}`);
  return fields;
}

/**
 * The long tallies an event adds one to, as (tally, member): `q:CHANNEL` per not-found question,
 * `p:COLUMN:CHANNEL` per procedure; each also under the channel `*`, so "all channels" is one
 * tally per day.
 */
export function tallyEntries(event: AnalyticsEvent): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (event.name === 'procedure_not_found' && event.query) for (const ch of [event.channel, ALL_CHANNELS]) out.push([`q:${ch}`, event.query]);
  const column = COLUMN_OF.get(event.name);
  if (column && event.procedure) for (const ch of [event.channel, ALL_CHANNELS]) out.push([`p:${column}:${ch}`, event.procedure]);
  return out;
}

export interface DayBatch {
  counts: Map<string, number>;
  /** Tally (`tallyEntries`) → member → increment. */
  tallies: Map<string, Map<string, number>>;
  waits: Array<{ channel: string; ms: number }>;
  citizens: Map<string, Set<string>>;
}

/** Adds a batch of events up: per day, counter → increment (so a store sends one write per counter). */
export function coalesce(events: readonly AnalyticsEvent[]): Map<string, DayBatch> {
  const out = new Map<string, DayBatch>();
  for (const event of events) {
    const day = dayOf(event.at);
    let agg = out.get(day);
    if (!agg) out.set(day, (agg = { counts: new Map(), tallies: new Map(), waits: [], citizens: new Map() }));
    for (const field of aggregateFields(event)) agg.counts.set(field, (agg.counts.get(field) ?? 0) + 1);
    for (const [tally, member] of tallyEntries(event)) {
      let m = agg.tallies.get(tally);
      if (!m) agg.tallies.set(tally, (m = new Map()));
      m.set(member, (m.get(member) ?? 0) + 1);
    }
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

/** The last day of a month (`2026-02` → `2026-02-28`). */
export function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, m ?? 1, 0)).toISOString().slice(0, 10);
}

/**
 * Where a range's long tallies and waits are read from: each whole calendar month in it as the
 * month's own bucket (`2026-11`, written beside the days at record time), the other days one by
 * one. Twelve months are then twelve buckets, not 365.
 */
export function rangeBuckets(days: readonly string[]): string[] {
  const byMonth = new Map<string, Set<string>>();
  for (const day of days) {
    const month = day.slice(0, 7);
    let set = byMonth.get(month);
    if (!set) byMonth.set(month, (set = new Set()));
    set.add(day);
  }
  const out: string[] = [];
  for (const [month, set] of byMonth) {
    if (set.size === Number(lastDayOf(month).slice(8))) out.push(month);
    else out.push(...set);
  }
  return out;
}

/** A day is over (its figures never change again) this long after its end: late batches land first. */
const SETTLE_MS = 3600_000;
/** Most unique counts remembered per store. */
const FINISHED_LIMIT = 20_000;

/**
 * Unique counts of ranges that are over, remembered: a day that has ended never changes, so the
 * daily table of twelve months (a count per day and channel) is read from Redis once, not at
 * every report. Ranges that include today (or the last hour of yesterday) are always counted.
 */
export function createFinishedCounts(now: () => number): { key(days: readonly string[], channels: readonly string[] | 'all'): string | undefined; get(key: string): number | undefined; set(key: string, n: number): void } {
  const counts = new Map<string, number>();
  return {
    key(days, channels) {
      const last = days.reduce((a, b) => (b > a ? b : a), '');
      if (!last || last >= dayOf(now() - SETTLE_MS)) return undefined;
      const list = days.join(',');
      const digest = list.length > 64 ? createHash('sha1').update(list).digest('hex') : list;
      return `${digest}|${channels === 'all' ? ALL_CHANNELS : [...channels].sort().join(',')}`;
    },
    get: (key) => counts.get(key),
    set(key, n) {
      if (counts.size >= FINISHED_LIMIT) counts.delete(counts.keys().next().value as string);
      counts.set(key, n);
    },
  };
}

/** The nearest-rank index of percentile `p` among `n` sorted values. */
export function rankOf(p: number, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
}

/** The dashboard's order of not-found questions: count down, then the text. */
export function byCountThenText(a: { query: string; count: number }, b: { query: string; count: number }): number {
  return b.count - a.count || a.query.localeCompare(b.query);
}

export function createMemoryAnalyticsStore(options: { now?: () => number; streamDays?: number; maxEvents?: number } = {}): AnalyticsStore {
  const now = options.now ?? Date.now;
  const streamMs = (options.streamDays ?? STREAM_DAYS) * 86_400_000;
  const maxEvents = options.maxEvents ?? 100_000;
  const salt = randomBytes(16).toString('hex');
  const days = new Map<string, { counts: Map<string, number>; citizens: Map<string, HyperLogLog> }>();
  /** Unique citizens per month (`2026-11`), beside the days': `rangeBuckets`. */
  const months = new Map<string, Map<string, HyperLogLog>>();
  /** Long tallies and waits per day (`2026-11-30`) and per month (`2026-11`): `rangeBuckets`. */
  const buckets = new Map<string, { tallies: Map<string, Map<string, number>>; waits: Array<{ channel: string; ms: number }> }>();
  let events: AnalyticsEvent[] = [];
  let prunedDay = '';
  const finished = createFinishedCounts(now);

  function prune(): void {
    const today = dayOf(now());
    if (today !== prunedDay) {
      prunedDay = today;
      const oldest = dayOf(now() - AGGREGATE_DAYS * 86_400_000);
      for (const day of days.keys()) if (day < oldest) days.delete(day);
      for (const bucket of buckets.keys()) if ((bucket.length === 7 ? lastDayOf(bucket) : bucket) < oldest) buckets.delete(bucket);
      for (const month of months.keys()) if (lastDayOf(month) < oldest) months.delete(month);
    }
    const since = now() - streamMs;
    let drop = Math.max(0, events.length - maxEvents);
    while (drop < events.length && events[drop]!.at < since) drop += 1;
    if (drop > 0) events = events.slice(drop);
  }

  function unique(wanted: readonly string[], channels: readonly string[] | 'all'): number {
    const keys = channels === 'all' ? [ALL_CHANNELS] : channels;
    const sets = rangeBuckets(wanted).flatMap((bucket) => keys.map((key) => (bucket.length === 7 ? months.get(bucket) : days.get(bucket)?.citizens)?.get(key)).filter((h) => h !== undefined));
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
        if (!agg) days.set(day, (agg = { counts: new Map(), citizens: new Map() }));
        for (const [field, n] of add.counts) agg.counts.set(field, (agg.counts.get(field) ?? 0) + n);
        for (const name of [day, day.slice(0, 7)]) {
          let bucket = buckets.get(name);
          if (!bucket) buckets.set(name, (bucket = { tallies: new Map(), waits: [] }));
          for (const [tally, members] of add.tallies) {
            let m = bucket.tallies.get(tally);
            if (!m) bucket.tallies.set(tally, (m = new Map()));
            for (const [member, n] of members) m.set(member, (m.get(member) ?? 0) + n);
          }
          bucket.waits.push(...add.waits);
        }
        let month = months.get(day.slice(0, 7));
        if (!month) months.set(day.slice(0, 7), (month = new Map()));
        for (const [key, set] of add.citizens) {
          let monthly = month.get(key);
          if (!monthly) month.set(key, (monthly = new HyperLogLog()));
          for (const c of set) monthly.add(c);
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
        return { day, counts: agg ? Object.fromEntries(agg.counts) : {} };
      });
    },
    async summary(wanted, channels, limit) {
      const names = channels === 'all' ? [ALL_CHANNELS] : channels;
      const from = rangeBuckets(wanted);
      const sum = (kind: string) => {
        const out = new Map<string, number>();
        for (const name of from) {
          const agg = buckets.get(name);
          if (!agg) continue;
          for (const ch of names) for (const [member, n] of agg.tallies.get(`${kind}:${ch}`) ?? []) out.set(member, (out.get(member) ?? 0) + n);
        }
        return out;
      };
      const procedures = new Map<string, { id: string } & Record<ProcedureColumn, number>>();
      for (const column of Object.keys(PROCEDURE_COLUMNS) as ProcedureColumn[]) {
        for (const [id, n] of sum(`p:${column}`)) {
          const row = procedures.get(id) ?? { id, cards: 0, guides: 0, links: 0, filed: 0 };
          row[column] += n;
          procedures.set(id, row);
        }
      }
      const notFound = [...sum('q')].map(([query, count]) => ({ query, count })).sort(byCountThenText).slice(0, limit);
      const keep = channels === 'all' ? undefined : new Set(channels);
      const waits = from.flatMap((name) => (buckets.get(name)?.waits ?? []).filter((w) => !keep || keep.has(w.channel)).map((w) => w.ms)).sort((a, b) => a - b);
      const at = (p: number) => (waits.length > 0 ? waits[rankOf(p, waits.length)]! : null);
      return { procedures: [...procedures.values()], notFound, waits: { count: waits.length, medianMs: at(50), p90Ms: at(90) } };
    },
    async uniqueCitizens(wanted, channels) {
      return unique(wanted, channels);
    },
    async uniqueCounts(requests) {
      return requests.map((r) => {
        const key = finished.key(r.days, r.channels);
        const known = key === undefined ? undefined : finished.get(key);
        if (known !== undefined) return known;
        const n = unique(r.days, r.channels);
        if (key !== undefined) finished.set(key, n);
        return n;
      });
    },
    async recent(limit) {
      return events.slice(-limit).reverse();
    },
    salt: async () => salt,
    async close() {},
  };
}
