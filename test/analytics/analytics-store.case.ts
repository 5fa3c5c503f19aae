/**
 * @module The AnalyticsStore contract, run against memory (`memory-analytics-store.test.ts`) and
 * Redis (`redis-analytics-store.test.ts`): daily counters, waits, unique citizens over days and
 * channels, the raw events trimmed by age, one salt per store, and the report built on top.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { citizenHash, dayOf, type AnalyticsEvent } from '../../src/analytics/analytics-event.js';
import type { AnalyticsStore } from '../../src/analytics/analytics-store.js';
import { buildReport } from '../../src/analytics/build-report.js';

export type AnalyticsStoreFactory = (clock: { now: number }) => Promise<AnalyticsStore>;

/** 2026-12-01 09:00 in Vietnam. */
export const DAY1 = Date.parse('2026-12-01T02:00:00Z');
const DAY = 86_400_000;

export function describeAnalyticsStoreContract(name: string, makeStore: AnalyticsStoreFactory): void {
  describe(`AnalyticsStore contract: ${name}`, () => {
    const opened: AnalyticsStore[] = [];
    async function open(clock = { now: DAY1 }): Promise<AnalyticsStore> {
      const store = await makeStore(clock);
      opened.push(store);
      return store;
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    const ev = (e: Partial<AnalyticsEvent> & Pick<AnalyticsEvent, 'name'>): AnalyticsEvent => ({ at: DAY1, channel: 'web', ...e });

    it('adds up counters per day in the ward’s time zone, and days with nothing are empty', async () => {
      const store = await open();
      // 23:30 on 1 Dec in Vietnam is 16:30 UTC: still the 1st; 00:30 on the 2nd is the 2nd.
      const late = Date.parse('2026-12-01T16:30:00Z');
      const early = Date.parse('2026-12-01T17:30:00Z');
      expect([dayOf(late), dayOf(early)]).toEqual(['2026-12-01', '2026-12-02']);
      await store.record([ev({ name: 'card_viewed', procedure: 'khai-sinh' }), ev({ name: 'card_viewed', procedure: 'khai-sinh', at: late }), ev({ name: 'card_viewed', procedure: 'ket-hon', at: early, channel: 'telegram' })]);
      await store.record([ev({ name: 'procedure_not_found', query: 'xin giay #' })]);
      const [d1, d2, d3] = await store.days(['2026-12-01', '2026-12-02', '2026-12-03']);
      expect(d1!.counts).toEqual({ 'n|card_viewed|web': 2, 'p|card_viewed|web|khai-sinh': 2, 'n|procedure_not_found|web': 1, 'q|web|xin giay #': 1 });
      expect(d2!.counts).toEqual({ 'n|card_viewed|telegram': 1, 'p|card_viewed|telegram|ket-hon': 1 });
      expect(d3).toEqual({ day: '2026-12-03', counts: {}, waits: [] });
    });

    it('keeps every wait of the day with its channel', async () => {
      const store = await open();
      await store.record([ev({ name: 'person_answered', waitMs: 60_000 }), ev({ name: 'person_answered', waitMs: 1_500, channel: 'zalo' })]);
      await store.record([ev({ name: 'person_answered', waitMs: 30_000 })]);
      const [d1] = await store.days(['2026-12-01']);
      expect(d1!.waits.sort((a, b) => a.ms - b.ms)).toEqual([
        { channel: 'zalo', ms: 1_500 },
        { channel: 'web', ms: 30_000 },
        { channel: 'web', ms: 60_000 },
      ]);
    });

    it('counts distinct citizens over days and channels without keeping who they are', async () => {
      const store = await open();
      const salt = await store.salt();
      expect(await store.salt()).toBe(salt);
      const a = citizenHash(salt, 'web', 'a');
      const b = citizenHash(salt, 'web', 'b');
      const c = citizenHash(salt, 'telegram', '42');
      expect(a).toMatch(/^[0-9a-f]{16}$/);
      await store.record([ev({ name: 'conversation_started', citizen: a }), ev({ name: 'card_viewed', citizen: a }), ev({ name: 'conversation_started', citizen: b })]);
      await store.record([ev({ name: 'conversation_started', citizen: a, at: DAY1 + DAY }), ev({ name: 'conversation_started', citizen: c, channel: 'telegram', at: DAY1 + DAY })]);
      expect(await store.uniqueCitizens(['2026-12-01'], 'all')).toBe(2);
      expect(await store.uniqueCitizens(['2026-12-01', '2026-12-02'], 'all')).toBe(3);
      expect(await store.uniqueCitizens(['2026-12-01', '2026-12-02'], ['web'])).toBe(2);
      expect(await store.uniqueCitizens(['2026-12-02'], ['telegram'])).toBe(1);
      expect(await store.uniqueCitizens([], 'all')).toBe(0);
    });

    it('keeps the raw events newest first and drops those older than the stream’s age', async () => {
      const clock = { now: DAY1 };
      const store = await open(clock);
      await store.record([ev({ name: 'conversation_started' }), ev({ name: 'card_viewed', procedure: 'khai-sinh' })]);
      expect((await store.recent(10)).map((e) => e.name)).toEqual(['card_viewed', 'conversation_started']);
      clock.now = DAY1 + 40 * DAY;
      for (let i = 0; i < 3; i += 1) await store.record([ev({ name: 'erased', at: clock.now })]);
      const names = (await store.recent(1000)).map((e) => e.name);
      expect(names.slice(0, 3)).toEqual(['erased', 'erased', 'erased']);
      // Redis trims with `~` (whole nodes), so old entries may linger a while; none is ever added back.
      expect(names.length).toBeLessThanOrEqual(5);
      // The daily aggregates stay.
      expect((await store.days(['2026-12-01']))[0]!.counts['n|card_viewed|web']).toBe(1);
    });

    it('gives the report’s figures exactly: funnel, not-found, sources, waits, ratings, per week', async () => {
      const store = await open();
      const salt = await store.salt();
      const who = (id: string, channel = 'web') => citizenHash(salt, channel, id);
      const at = (d: number) => DAY1 + d * DAY;
      await store.record([
        ev({ name: 'conversation_started', citizen: who('1'), source: 'poster-kp3' }),
        ev({ name: 'procedure_found', citizen: who('1') }),
        ev({ name: 'card_viewed', citizen: who('1'), procedure: 'khai-sinh' }),
        ev({ name: 'checklist_finished', citizen: who('1'), procedure: 'khai-sinh', missing: 2 }),
        ev({ name: 'online_guide_opened', citizen: who('1'), procedure: 'khai-sinh' }),
        ev({ name: 'filed_confirmed', citizen: who('1'), procedure: 'khai-sinh' }),
        ev({ name: 'conversation_started', citizen: who('2', 'telegram'), channel: 'telegram', at: at(1), source: 'poster-kp3' }),
        ev({ name: 'procedure_not_found', citizen: who('2', 'telegram'), channel: 'telegram', at: at(1), query: 'xin giay #' }),
        ev({ name: 'procedure_not_found', citizen: who('3'), at: at(1), query: 'xin giay #' }),
        ev({ name: 'procedure_not_found', citizen: who('3'), at: at(1), query: 'con ga' }),
        ev({ name: 'person_asked', citizen: who('3'), at: at(1) }),
        ev({ name: 'person_answered', at: at(1), waitMs: 10_000 }),
        ev({ name: 'person_answered', at: at(6), waitMs: 20_000 }),
        ev({ name: 'person_answered', at: at(6), waitMs: 90_000, channel: 'telegram' }),
        ev({ name: 'person_rated', at: at(6), rating: 5 }),
        ev({ name: 'person_rated', at: at(6), rating: 4 }),
        ev({ name: 'report_filed', at: at(6) }),
        ev({ name: 'report_resolved', at: at(6) }),
      ]);
      const report = await buildReport(store, { from: '2026-12-01', to: '2026-12-31', granularity: 'week' });
      expect(report.totals.conversations).toBe(2);
      expect(report.totals.citizens).toBe(3);
      expect(report.funnel).toEqual([
        { step: 'procedure_found', count: 1 },
        { step: 'card_viewed', count: 1 },
        { step: 'checklist_finished', count: 1 },
        { step: 'online_guide_opened', count: 1 },
        { step: 'online_link_opened', count: 0 },
        { step: 'filed_confirmed', count: 1 },
      ]);
      expect(report.notFound).toEqual([
        { query: 'xin giay #', count: 2 },
        { query: 'con ga', count: 1 },
      ]);
      expect(report.sources).toEqual([{ source: 'poster-kp3', conversations: 2 }]);
      expect(report.person).toEqual({ asked: 1, answered: 3, closed: 0, waitMedianMs: 20_000, waitP90Ms: 90_000, ratings: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 1 }, ratingAverage: 4.5 });
      expect(report.reports).toEqual({ filed: 1, resolved: 1 });
      expect(report.checklists).toEqual({ finished: 1, withMissing: 1 });
      expect(report.topProcedures).toEqual([{ id: 'khai-sinh', cards: 1, guides: 1, links: 0, filed: 1 }]);
      // 1-6 Dec 2026 is ISO week 49 (Tue-Sun), the 7th starts week 50.
      expect(report.periods.map((p) => [p.period, p.conversations, p.personAnswered])).toEqual([
        ['2026-W49', 2, 1],
        ['2026-W50', 0, 2],
        ['2026-W51', 0, 0],
        ['2026-W52', 0, 0],
        ['2026-W53', 0, 0],
      ]);
      expect(report.byChannel).toEqual([
        { channel: 'telegram', conversations: 1, citizens: 1, filedConfirmed: 0 },
        { channel: 'web', conversations: 1, citizens: 2, filedConfirmed: 1 },
      ]);
      const telegram = await buildReport(store, { from: '2026-12-01', to: '2026-12-31', granularity: 'month', channels: ['telegram'] });
      expect([telegram.totals.conversations, telegram.totals.citizens, telegram.person.waitMedianMs, telegram.notFound]).toEqual([1, 1, 90_000, [{ query: 'xin giay #', count: 1 }]]);
      expect(telegram.periods.map((p) => p.period)).toEqual(['2026-12']);
      expect(report.daily.find((r) => r.day === '2026-12-02' && r.channel === 'web')).toMatchObject({ procedure_not_found: 2, person_asked: 1, citizens: 1 });
    });
  });
}
