/**
 * @module The figures the dashboard shows, computed from the stores' daily aggregates: per day,
 * ISO week or month, over all channels or some. Pure arithmetic over `AnalyticsStore.days` and
 * `uniqueCitizens`, so memory and Redis give the same figures.
 *
 * What each figure means (and cannot know) is written in the README, "Impact dashboard".
 */
import { ANALYTICS_NAMES, daysBetween, FUNNEL_STEPS, type AnalyticsName } from './analytics-event.js';
import type { AnalyticsStore } from './analytics-store.js';

export type Granularity = 'day' | 'week' | 'month';

export interface ReportQuery {
  from: string;
  to: string;
  granularity: Granularity;
  /** Only these channels; all when absent. */
  channels?: readonly string[];
}

export interface PeriodFigures {
  period: string;
  from: string;
  to: string;
  conversations: number;
  citizens: number;
  funnel: Record<(typeof FUNNEL_STEPS)[number], number>;
  notFound: number;
  personAsked: number;
  personAnswered: number;
  reportsFiled: number;
}

export interface ImpactReport {
  from: string;
  to: string;
  granularity: Granularity;
  channels: string[] | 'all';
  totals: PeriodFigures;
  periods: PeriodFigures[];
  byChannel: Array<{ channel: string; conversations: number; citizens: number; filedConfirmed: number }>;
  funnel: Array<{ step: (typeof FUNNEL_STEPS)[number]; count: number }>;
  topProcedures: Array<{ id: string; cards: number; guides: number; links: number; filed: number }>;
  notFound: Array<{ query: string; count: number }>;
  sources: Array<{ source: string; conversations: number }>;
  person: { asked: number; answered: number; closed: number; waitMedianMs: number | null; waitP90Ms: number | null; ratings: Record<'1' | '2' | '3' | '4' | '5', number>; ratingAverage: number | null };
  reports: { filed: number; resolved: number };
  checklists: { finished: number; withMissing: number };
  /** One row per day (and channel), for the CSV export. */
  daily: Array<Record<string, string | number>>;
}

/** Longest list of not-found questions and procedures shown. */
const LIST_LIMIT = 30;

/** The period a day belongs to: itself, its ISO week (`2026-W49`) or its month (`2026-12`). */
export function periodOf(day: string, granularity: Granularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return day.slice(0, 7);
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(date.getTime() + (3 - weekday) * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000));
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Exact percentile (nearest rank) of a list of waits. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

/** One counter of one day, parsed once: kind (n, p, s, q, r, m), event name, channel, dimension. */
interface Counter {
  kind: string;
  name: string;
  channel: string;
  dim: string;
  n: number;
}

function parse(field: string, n: number): Counter {
  const parts = field.split('|');
  const kind = parts[0] ?? '';
  if (kind === 'n' || kind === 'p') return { kind, name: parts[1] ?? '', channel: parts[2] ?? '', dim: parts[3] ?? '', n };
  return { kind, name: '', channel: parts[1] ?? '', dim: parts[2] ?? '', n };
}

export async function buildReport(store: AnalyticsStore, query: ReportQuery): Promise<ImpactReport> {
  const days = daysBetween(query.from, query.to);
  const aggregates = await store.days(days);
  const wanted = query.channels ? new Set(query.channels) : undefined;
  const keep = (channel: string) => !wanted || wanted.has(channel);
  // Unique citizens are asked for all at once at the end (one round trip on Redis).
  const uniqueAsked: Array<{ days: readonly string[]; channels: readonly string[] | 'all'; set: (n: number) => void }> = [];
  const uniqueOf = (ds: readonly string[], channels: readonly string[] | 'all', set: (n: number) => void) => {
    uniqueAsked.push({ days: ds, channels, set });
    return 0;
  };
  const scope: readonly string[] | 'all' = query.channels ? [...query.channels] : 'all';

  // One pass over every counter of the range (kept channels only).
  const parsed = aggregates.map((agg) => Object.entries(agg.counts).map(([f, n]) => parse(f, n)).filter((c) => keep(c.channel)));
  const channelList = [...new Set(parsed.flat().map((c) => c.channel))].filter(Boolean).sort();
  /** Event counts per day (index), per channel, per name. */
  const perDay = parsed.map((counters) => {
    const byChannel = new Map<string, Map<string, number>>();
    for (const c of counters) {
      if (c.kind !== 'n') continue;
      let m = byChannel.get(c.channel);
      if (!m) byChannel.set(c.channel, (m = new Map()));
      m.set(c.name, (m.get(c.name) ?? 0) + c.n);
    }
    return byChannel;
  });
  const countIn = (dayIndexes: readonly number[], name: string, channel?: string) => {
    let total = 0;
    for (const i of dayIndexes) for (const [ch, m] of perDay[i] ?? []) if (!channel || ch === channel) total += m.get(name) ?? 0;
    return total;
  };
  const allDays = aggregates.map((_, i) => i);

  const figuresOf = (period: string, indexes: number[]): PeriodFigures => {
    const c = (name: AnalyticsName) => countIn(indexes, name);
    const ds = indexes.map((i) => aggregates[i]!.day);
    const figures: PeriodFigures = {
      period,
      from: ds[0] ?? '',
      to: ds[ds.length - 1] ?? '',
      conversations: c('conversation_started'),
      citizens: uniqueOf(ds, scope, (n) => (figures.citizens = n)),
      funnel: Object.fromEntries(FUNNEL_STEPS.map((step) => [step, c(step)])) as PeriodFigures['funnel'],
      notFound: c('procedure_not_found'),
      personAsked: c('person_asked'),
      personAnswered: c('person_answered'),
      reportsFiled: c('report_filed'),
    };
    return figures;
  };
  const groups = new Map<string, number[]>();
  aggregates.forEach((agg, i) => {
    const period = periodOf(agg.day, query.granularity);
    groups.set(period, [...(groups.get(period) ?? []), i]);
  });
  const periods: PeriodFigures[] = [];
  for (const [period, indexes] of groups) periods.push(figuresOf(period, indexes));
  const totals = figuresOf('total', allDays);
  const count = (name: AnalyticsName) => countIn(allDays, name);

  const procedures = new Map<string, { id: string; cards: number; guides: number; links: number; filed: number }>();
  const column: Partial<Record<string, 'cards' | 'guides' | 'links' | 'filed'>> = {
    card_viewed: 'cards',
    online_guide_opened: 'guides',
    online_link_opened: 'links',
    filed_confirmed: 'filed',
  };
  const notFound = new Map<string, number>();
  const sources = new Map<string, number>();
  const ratings = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } as Record<'1' | '2' | '3' | '4' | '5', number>;
  let withMissing = 0;
  for (const c of parsed.flat()) {
    if (c.kind === 'p') {
      const col = column[c.name];
      if (!col) continue;
      const row = procedures.get(c.dim) ?? { id: c.dim, cards: 0, guides: 0, links: 0, filed: 0 };
      row[col] += c.n;
      procedures.set(c.dim, row);
    } else if (c.kind === 'q') notFound.set(c.dim, (notFound.get(c.dim) ?? 0) + c.n);
    else if (c.kind === 's') sources.set(c.dim, (sources.get(c.dim) ?? 0) + c.n);
    else if (c.kind === 'r' && c.dim in ratings) ratings[c.dim as keyof typeof ratings] += c.n;
    else if (c.kind === 'm') withMissing += c.n;
  }
  const rated = Object.values(ratings).reduce((a, b) => a + b, 0);
  const waits = aggregates.flatMap((a) => a.waits.filter((w) => keep(w.channel)).map((w) => w.ms));

  const byChannel = channelList.map((channel) => {
    const row = { channel, conversations: countIn(allDays, 'conversation_started', channel), citizens: 0, filedConfirmed: countIn(allDays, 'filed_confirmed', channel) };
    uniqueOf(days, [channel], (n) => (row.citizens = n));
    return row;
  });

  const daily: Array<Record<string, string | number>> = [];
  for (const [i, agg] of aggregates.entries()) {
    for (const channel of channelList) {
      const m = perDay[i]?.get(channel);
      if (!m) continue;
      const row: Record<string, string | number> = { day: agg.day, channel };
      for (const name of ANALYTICS_NAMES) row[name] = m.get(name) ?? 0;
      row.citizens = uniqueOf([agg.day], [channel], (n) => (row.citizens = n));
      daily.push(row);
    }
  }
  const counted = await store.uniqueCounts(uniqueAsked.map(({ days: d, channels }) => ({ days: d, channels })));
  uniqueAsked.forEach((asked, i) => asked.set(counted[i] ?? 0));

  return {
    from: query.from,
    to: query.to,
    granularity: query.granularity,
    channels: query.channels ? [...query.channels] : 'all',
    totals,
    periods,
    byChannel,
    funnel: FUNNEL_STEPS.map((step) => ({ step, count: count(step) })),
    topProcedures: [...procedures.values()].sort((a, b) => b.cards - a.cards || b.filed - a.filed || a.id.localeCompare(b.id)).slice(0, LIST_LIMIT),
    notFound: group([...notFound.entries()]).slice(0, LIST_LIMIT),
    sources: group([...sources.entries()]).map(({ query: source, count: n }) => ({ source, conversations: n })),
    person: {
      asked: count('person_asked'),
      answered: count('person_answered'),
      closed: count('person_closed'),
      waitMedianMs: percentile(waits, 50),
      waitP90Ms: percentile(waits, 90),
      ratings,
      ratingAverage: rated > 0 ? Math.round((Object.entries(ratings).reduce((a, [r, n]) => a + Number(r) * n, 0) / rated) * 100) / 100 : null,
    },
    reports: { filed: count('report_filed'), resolved: count('report_resolved') },
    checklists: { finished: count('checklist_finished'), withMissing },
    daily,
  };
}

function group(entries: Array<[string, number]>): Array<{ query: string; count: number }> {
  const out = new Map<string, number>();
  for (const [k, n] of entries) out.set(k, (out.get(k) ?? 0) + n);
  return [...out.entries()].map(([query, count]) => ({ query, count })).sort((a, b) => b.count - a.count || a.query.localeCompare(b.query));
}
