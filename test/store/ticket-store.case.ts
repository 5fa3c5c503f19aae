/**
 * @module The TicketStore contract: every implementation registers these tests with its own
 * factory (`memory-ticket-store.test.ts`, `redis-ticket-store.test.ts`), so the staff desk behaves
 * alike in `npm run demo` and in production.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RECENT_LIMIT, TRANSCRIPT_LIMIT, WAIT_SAMPLES, type Report, type Ticket, type TicketStore, type TranscriptEntry } from '../../src/store/ticket-store.js';

/** Makes a fresh, empty store on the given clock; the suite closes it. */
export type TicketStoreFactory = (options: { retentionDays: number; now: () => number }) => Promise<TicketStore>;

const T0 = 1_780_000_000_000;
let counter = 0;
const newId = () => (0x1000000000 + counter++ * 7919).toString(16).slice(-10).padStart(10, '0');

function ticket(key: string, extra: Partial<Ticket> = {}): Ticket {
  return { id: newId(), key, channel: 'telegram', conversationId: key.split(':')[1] ?? key, reason: 'asked', topic: 'Đăng ký kết hôn', status: 'waiting', openedAt: T0, context: { asked: 'đăng ký kết hôn' }, afterHours: false, ...extra };
}

function report(key: string, extra: Partial<Report> = {}): Report {
  return { id: newId(), key, channel: 'web', conversationId: key.split(':')[1] ?? key, text: 'Đèn đường hẻm 12 bị hỏng', status: 'new', createdAt: T0, ...extra };
}

const said = (text: string, from: TranscriptEntry['from'] = 'citizen'): TranscriptEntry => ({ at: T0, from, text });

export function describeTicketStoreContract(name: string, makeStore: TicketStoreFactory): void {
  describe(`TicketStore contract: ${name}`, () => {
    const opened: TicketStore[] = [];
    const clock = { now: T0 };
    async function open(): Promise<TicketStore> {
      clock.now = T0;
      const store = await makeStore({ retentionDays: 30, now: () => clock.now });
      opened.push(store);
      return store;
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('opens a ticket as the conversation\'s open ticket, with its transcript, and keeps a copy', async () => {
      const store = await open();
      const t = ticket('tg:1', { displayName: 'Nguyễn Thị Ánh', phone: '0912345678', context: { asked: 'kết hôn', procedure: { id: 'ket-hon', name: 'Đăng ký kết hôn' }, missing: ['Giấy xác nhận tình trạng hôn nhân'] } });
      await store.open(t, [said('xin chào'), said('Chào anh/chị', 'bot')]);
      t.topic = 'changed after saving';
      const found = await store.get(t.id);
      expect(found).toEqual({ ...t, topic: 'Đăng ký kết hôn' });
      expect(await store.openTicketOf('tg:1')).toEqual(found);
      expect(await store.openTicketOf('tg:2')).toBeNull();
      expect(await store.transcript(t.id)).toEqual([said('xin chào'), said('Chào anh/chị', 'bot')]);
      expect(await store.get('ffffffffff')).toBeNull();
      expect(await store.get('not-an-id')).toBeNull();
    });

    it("keeps the conversation's language of a ticket and a report; one opened without it comes back without it", async () => {
      const store = await open();
      const english = ticket('tg:1', { lang: 'en' });
      const plain = ticket('tg:2');
      await store.open(english, []);
      await store.open(plain, []);
      expect((await store.get(english.id))?.lang).toBe('en');
      expect(await store.get(plain.id)).not.toHaveProperty('lang');
      expect((await store.claim(english.id, 'lan', T0 + 1)).result).toBe('ok');
      expect(await store.updateAsHolder(english.id, 'lan', { status: 'closed', outcome: 'closed', closedAt: T0 + 2 })).toMatchObject({ result: 'ok', ticket: { lang: 'en' } });
      const filed = report('web:a', { lang: 'en' });
      await store.addReport(filed);
      expect(await store.getReport(filed.id)).toEqual(filed);
      expect(await store.updateReport(filed.id, { status: 'seen' }, ['new'])).toMatchObject({ lang: 'en' });
    });

    it('queues in arrival order; a claim takes a ticket out of the queue but leaves it open', async () => {
      const store = await open();
      const [a, b, c] = [ticket('tg:1'), ticket('tg:2'), ticket('tg:3')];
      for (const t of [a, b, c]) await store.open(t!, []);
      expect((await store.listOpen()).map((t) => t.id)).toEqual([a!.id, b!.id, c!.id]);
      expect([await store.position(a!.id), await store.position(b!.id), await store.position(c!.id)]).toEqual([1, 2, 3]);
      expect(await store.claim(a!.id, 'lan', T0 + 60_000)).toMatchObject({ result: 'ok', ticket: { status: 'held', staff: 'lan', claimedAt: T0 + 60_000 } });
      expect(await store.position(a!.id)).toBeNull();
      expect([await store.position(b!.id), await store.position(c!.id)]).toEqual([1, 2]);
      expect((await store.listOpen()).map((t) => t.status)).toEqual(['held', 'waiting', 'waiting']);
    });

    it('a claim is atomic: of twenty at once, exactly one wins; the others learn it is held', async () => {
      const store = await open();
      const t = ticket('tg:1');
      await store.open(t, []);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claim(t.id, `staff${i}`, T0)));
      expect(results.filter((r) => r.result === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r.result === 'held')).toHaveLength(19);
      const winner = results.find((r) => r.result === 'ok') as { ticket: Ticket };
      expect((await store.get(t.id))!.staff).toBe(winner.ticket.staff);
      expect(await store.claim('ffffffffff', 'lan', T0)).toEqual({ result: 'missing' });
    });

    it('only the holder changes a held ticket; closing takes it off its conversation and the queue', async () => {
      const store = await open();
      const t = ticket('tg:1');
      await store.open(t, []);
      expect(await store.updateAsHolder(t.id, 'lan', { staff: 'minh' })).toMatchObject({ result: 'waiting' });
      await store.claim(t.id, 'lan', T0);
      expect(await store.updateAsHolder(t.id, 'minh', { status: 'closed' })).toMatchObject({ result: 'not_holder', ticket: { status: 'held' } });
      expect(await store.updateAsHolder(t.id, 'lan', { staff: 'minh' })).toMatchObject({ result: 'ok', ticket: { staff: 'minh' } });
      expect(await store.updateAsHolder(t.id, 'minh', { status: 'closed', outcome: 'handed_back', closedAt: T0 + 5 })).toMatchObject({ result: 'ok', ticket: { status: 'closed', outcome: 'handed_back', closedAt: T0 + 5 } });
      expect(await store.openTicketOf('tg:1')).toBeNull();
      expect(await store.listOpen()).toEqual([]);
      expect(await store.updateAsHolder(t.id, 'minh', {})).toMatchObject({ result: 'closed' });
      expect(await store.updateAsHolder('ffffffffff', 'minh', {})).toEqual({ result: 'missing' });
    });

    it('the citizen cancels a waiting or a held ticket once', async () => {
      const store = await open();
      const [waiting, held] = [ticket('tg:1'), ticket('tg:2')];
      await store.open(waiting!, []);
      await store.open(held!, []);
      await store.claim(held!.id, 'lan', T0);
      expect(await store.cancel(waiting!.id, T0 + 1)).toMatchObject({ status: 'closed', outcome: 'cancelled', closedAt: T0 + 1 });
      expect(await store.cancel(held!.id, T0 + 2)).toMatchObject({ status: 'closed', outcome: 'cancelled' });
      expect(await store.cancel(held!.id, T0 + 3)).toBeNull();
      expect(await store.cancel('ffffffffff', T0)).toBeNull();
      expect(await store.openTicketOf('tg:1')).toBeNull();
      expect(await store.listOpen()).toEqual([]);
      // A new request after a cancel opens a new ticket.
      const again = ticket('tg:1');
      await store.open(again, []);
      expect((await store.openTicketOf('tg:1'))!.id).toBe(again.id);
    });

    it('appends to transcripts (bounded, oldest dropped) and ignores tickets that do not exist', async () => {
      const store = await open();
      const t = ticket('tg:1');
      await store.open(t, [said('đầu tiên')]);
      const many = Array.from({ length: TRANSCRIPT_LIMIT + 5 }, (_, i) => said(`tin ${i}`));
      await store.append(t.id, many.slice(0, 10));
      await store.append(t.id, many.slice(10));
      const log = await store.transcript(t.id);
      expect(log).toHaveLength(TRANSCRIPT_LIMIT);
      expect(log.at(-1)!.text).toBe(`tin ${TRANSCRIPT_LIMIT + 4}`);
      expect(log[0]!.text).not.toBe('đầu tiên');
      await store.append('ffffffffff', [said('lạc')]);
      expect(await store.transcript('ffffffffff')).toEqual([]);
    });

    it('a closed ticket waits for one rating; a new ticket drops the request', async () => {
      const store = await open();
      const t = ticket('tg:1');
      await store.open(t, []);
      expect(await store.conversation('tg:1')).toEqual({ ticket: t, ratingFor: null });
      await store.claim(t.id, 'lan', T0);
      await store.updateAsHolder(t.id, 'lan', { status: 'closed', outcome: 'closed', closedAt: T0 });
      await store.awaitRating('tg:1', t.id);
      expect(await store.conversation('tg:1')).toEqual({ ticket: null, ratingFor: t.id });
      await store.clearRatingRequest('tg:1');
      expect(await store.conversation('tg:1')).toEqual({ ticket: null, ratingFor: null });
      await store.rate(t.id, 4);
      expect((await store.get(t.id))!.rating).toBe(4);
      await store.awaitRating('tg:1', t.id);
      const next = ticket('tg:1');
      await store.open(next, []);
      expect(await store.conversation('tg:1')).toEqual({ ticket: next, ratingFor: null });
      expect(await store.conversation('tg:2')).toEqual({ ticket: null, ratingFor: null });
    });

    it('keeps the last WAIT_SAMPLES waits, newest first', async () => {
      const store = await open();
      expect(await store.recentWaits()).toEqual([]);
      for (let i = 1; i <= WAIT_SAMPLES + 3; i += 1) await store.recordWait(i * 1000);
      const waits = await store.recentWaits();
      expect(waits).toHaveLength(WAIT_SAMPLES);
      expect(waits[0]).toBe((WAIT_SAMPLES + 3) * 1000);
    });

    it('remembers a conversation\'s last exchanges, bounded, oldest first', async () => {
      const store = await open();
      for (let i = 0; i < RECENT_LIMIT + 4; i += 1) await store.remember('tg:1', [said(`hỏi ${i}`), said(`đáp ${i}`, 'bot')]);
      const recent = await store.recent('tg:1');
      expect(recent).toHaveLength(RECENT_LIMIT);
      expect(recent.at(-1)).toEqual(said(`đáp ${RECENT_LIMIT + 3}`, 'bot'));
      expect(await store.recent('tg:2')).toEqual([]);
    });

    it('keeps reports apart from tickets, newest first; updates them only from the allowed states', async () => {
      const store = await open();
      const first = report('web:a', { phone: '0912345678', procedure: { id: 'ket-hon', name: 'Đăng ký kết hôn' }, displayName: 'Lan' });
      const second = report('web:b', { createdAt: T0 + 10 });
      await store.addReport(first);
      await store.addReport(second);
      expect(await store.listOpen()).toEqual([]);
      expect((await store.listReports()).map((r) => r.id)).toEqual([second.id, first.id]);
      expect(await store.getReport(first.id)).toEqual(first);
      expect(await store.updateReport(first.id, { status: 'resolved' }, ['seen'])).toBeNull();
      expect(await store.updateReport(first.id, { status: 'seen', seenAt: T0 + 1, seenBy: 'lan' }, ['new'])).toMatchObject({ status: 'seen', seenBy: 'lan' });
      expect(await store.updateReport(first.id, { status: 'seen' }, ['new'])).toBeNull();
      expect(await store.updateReport(first.id, { status: 'resolved', resolvedBy: 'minh', reply: 'Đã sửa ạ', replyDelivered: false }, ['new', 'seen'])).toMatchObject({
        status: 'resolved',
        resolvedBy: 'minh',
        reply: 'Đã sửa ạ',
        replyDelivered: false,
      });
      expect(await store.updateReport('ffffffffff', { status: 'seen' }, ['new'])).toBeNull();
    });

    it('erase removes the conversation\'s tickets, transcripts, reports, recent exchanges and rating request, and nobody else\'s', async () => {
      const store = await open();
      const mine = ticket('tg:1');
      const theirs = ticket('tg:2');
      const myReport = report('tg:1');
      await store.open(mine, [said('của tôi')]);
      await store.open(theirs, []);
      await store.addReport(myReport);
      await store.remember('tg:1', [said('nhớ')]);
      await store.awaitRating('tg:1', mine.id);
      expect(await store.erase('tg:1')).toEqual({ tickets: [mine.id], reports: [myReport.id] });
      expect(await store.get(mine.id)).toBeNull();
      expect(await store.transcript(mine.id)).toEqual([]);
      expect(await store.getReport(myReport.id)).toBeNull();
      expect(await store.listReports()).toEqual([]);
      expect(await store.recent('tg:1')).toEqual([]);
      expect((await store.conversation('tg:1')).ratingFor).toBeNull();
      expect((await store.listOpen()).map((t) => t.id)).toEqual([theirs.id]);
      expect(await store.position(theirs.id)).toBe(1);
      expect(await store.erase('tg:never')).toEqual({ tickets: [], reports: [] });
    });

    it('is ready while open', async () => {
      const store = await open();
      expect(await store.ready()).toBe(true);
    });
  });
}
