/**
 * @module The figures the dashboard shows, computed from the stores' daily aggregates: per day,
 * ISO week or month, over all channels or some. Pure arithmetic over `AnalyticsStore.days` and
 * `uniqueCitizens`, so memory and Redis give the same figures.
 *
 * What each figure means (and cannot know) is written in the README, "Impact dashboard".
 */
import { ANALYTICS_NAMES, daysBetween, FUNNEL_STEPS, type AnalyticsName } from './analytics-event.js';
import type { AnalyticsStore, DayAggregate } from './analytics-store.js';

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

export async function buildReport(store: AnalyticsStore, query: ReportQuery): Promise<ImpactReport> {
  const days = daysBetween(query.from, query.to);
  const aggregates = await store.days(days);
  const wanted = query.channels ? new Set(query.channels) : undefined;
  const keep = (channel: string) => !wanted || wanted.has(channel);
  const channelsSeen = new Set<string>();
  for (const agg of aggregates) for (const field of Object.keys(agg.counts)) channelsSeen.add(channelOfField(field));
  channelsSeen.delete('');
  const channelList = [...channelsSeen].filter(keep).sort();
  const uniqueOf = (ds: readonly string[]) => store.uniqueCitizens(ds, query.channels ? [...query.channels] : 'all');

  const groups = new Map<string, DayAggregate[]>();
  for (const agg of aggregates) {
    const period = periodOf(agg.day, query.granularity);
    groups.set(period, [...(groups.get(period) ?? []), agg]);
  }
  const periods: PeriodFigures[] = [];
  for (const [period, aggs] of groups) periods.push(await figures(period, aggs, keep, uniqueOf));
  const totals = await figures('total', aggregates, keep, uniqueOf);

  const sum = sumFields(aggregates, keep);
  const byPrefix = (prefix: string) => [...sum.entries()].filter(([f]) => f.startsWith(prefix));

  const procedures = new Map<string, { id: string; cards: number; guides: number; links: number; filed: number }>();
  const column: Partial<Record<AnalyticsName, 'cards' | 'guides' | 'links' | 'filed'>> = {
    card_viewed: 'cards',
    online_guide_opened: 'guides',
    online_link_opened: 'links',
    filed_confirmed: 'filed',
  };
  for (const [field, n] of byPrefix('p|')) {
    const [, name, id] = field.split('|') as [string, AnalyticsName, string];
    const col = column[name];
    if (!col) continue;
    const row = procedures.get(id) ?? { id, cards: 0, guides: 0, links: 0, filed: 0 };
    row[col] += n;
    procedures.set(id, row);
  }
  const notFound = group(byPrefix('q|').map(([f, n]) => [f.split('|')[1] ?? '', n]));
  const sources = group(byPrefix('s|').map(([f, n]) => [f.split('|')[1] ?? '', n])).map(({ query: source, count }) => ({ source, conversations: count }));
  const ratings = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } as Record<'1' | '2' | '3' | '4' | '5', number>;
  for (const [field, n] of byPrefix('r|')) {
    const r = field.split('|')[1] as keyof typeof ratings;
    if (r in ratings) ratings[r] += n;
  }
  const rated = Object.values(ratings).reduce((a, b) => a + b, 0);
  const waits = aggregates.flatMap((a) => a.waits.filter((w) => keep(w.channel)).map((w) => w.ms));
  const count = (name: AnalyticsName) => countOf(sum, name);

  const byChannel = [];
  for (const channel of channelList) {
    const only = (c: string) => c === channel;
    const s = sumFields(aggregates, only);
    byChannel.push({ channel, conversations: countOf(s, 'conversation_started'), citizens: await store.uniqueCitizens(days, [channel]), filedConfirmed: countOf(s, 'filed_confirmed') });
  }

  const daily: Array<Record<string, string | number>> = [];
  for (const agg of aggregates) {
    for (const channel of channelList) {
      const s = sumFields([agg], (c) => c === channel);
      if (s.size === 0) continue;
      const row: Record<string, string | number> = { day: agg.day, channel };
      for (const name of ANALYTICS_NAMES) row[name] = countOf(s, name);
      row.citizens = await store.uniqueCitizens([agg.day], [channel]);
      daily.push(row);
    }
  }

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
    notFound: notFound.slice(0, LIST_LIMIT),
    sources,
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
    checklists: { finished: count('checklist_finished'), withMissing: sum.get('m') ?? 0 },
    daily,
  };
}

async function figures(period: string, aggs: DayAggregate[], keep: (c: string) => boolean, uniqueOf: (days: readonly string[]) => Promise<number>): Promise<PeriodFigures> {
  const sum = sumFields(aggs, keep);
  const c = (name: AnalyticsName) => countOf(sum, name);
  return {
    period,
    from: aggs[0]?.day ?? '',
    to: aggs[aggs.length - 1]?.day ?? '',
    conversations: c('conversation_started'),
    citizens: await uniqueOf(aggs.map((a) => a.day)),
    funnel: Object.fromEntries(FUNNEL_STEPS.map((s) => [s, c(s)])) as PeriodFigures['funnel'],
    notFound: c('procedure_not_found'),
    personAsked: c('person_asked'),
    personAnswered: c('person_answered'),
    reportsFiled: c('report_filed'),
  };
}

/** The channel a counter belongs to (every field names one, at a known place). */
function channelOfField(field: string): string {
  const parts = field.split('|');
  return (parts[0] === 'n' || parts[0] === 'p' ? parts[2] : parts[1]) ?? '';
}

function sumFields(aggs: readonly DayAggregate[], keep: (c: string) => boolean): Map<string, number> {
  const sum = new Map<string, number>();
  for (const agg of aggs) {
    for (const [field, n] of Object.entries(agg.counts)) {
      if (!keep(channelOfField(field))) continue;
      // Per-channel fields are summed across channels under a channel-free name.
      const parts = field.split('|');
      if (parts[0] === 'n' || parts[0] === 'p') parts.splice(2, 1);
      else parts.splice(1, 1);
      const key = parts.join('|');
      sum.set(key, (sum.get(key) ?? 0) + n);
    }
  }
  return sum;
}

function countOf(sum: Map<string, number>, name: AnalyticsName): number {
  return sum.get(`n|${name}`) ?? 0;
}

function group(entries: Array<[string, number]>): Array<{ query: string; count: number }> {
  const out = new Map<string, number>();
  for (const [k, n] of entries) out.set(k, (out.get(k) ?? 0) + n);
  return [...out.entries()].map(([query, count]) => ({ query, count })).sort((a, b) => b.count - a.count || a.query.localeCompare(b.query));
}
