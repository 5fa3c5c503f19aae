/**
 * Handoff through the real conversation (real assistant, real handoff), on memory stores (what
 * `npm run demo` runs) and on Redis (production), the same tests for both: queue place and a
 * wait only when one can be estimated, one ticket per conversation, the assistant silent while a
 * person holds the chat, both sides of the exchange in the transcript, hand back, close with a
 * rating, the citizen's cancel (also while held), office hours, reports kept apart with the
 * call-back number masked, erase, and an atomic claim across two instances. Redis-only at the
 * end: key layout, erasure of every key, retention TTLs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { maskPersonalNumbers } from '../../src/conversation/redact.js';
import type { StaffRef } from '../../src/handoff/create-handoff.js';
import { textFrom } from '../helpers/assistant.js';
import { handoffKit, keysUnder, SATURDAY_10AM, STORE_KINDS, type HandoffKit } from './handoff-kit.js';

const lan: StaffRef = { username: 'lan', name: 'Nguyễn Thị Lan', role: 'staff' };
const minh: StaffRef = { username: 'minh', name: 'Trần Văn Minh', role: 'staff' };

let kit: HandoffKit | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});

const say = (k: HandoffKit, chat: string, text: string) => k.conversation.handleInbound(textFrom(chat, text, 'telegram'));
const texts = (replies: { text: string }[]) => replies.map((r) => r.text).join('\n');
const labels = (replies: { choices?: { label: string }[] }[]) => replies.flatMap((r) => r.choices ?? []).map((c) => c.label);

describe.each(STORE_KINDS)('handoff through the conversation (%s stores)', (kind) => {
  it('opens one ticket with context; tells the place; no wait figure until a wait was measured; never "đã chuyển" twice', async () => {
    kit = await handoffKit({ kind });
    await say(kit, '501', 'đăng ký kết hôn');
    const first = await say(kit, '501', 'gặp cán bộ');
    expect(texts(first.replies)).toContain('vị trí số 1 trong hàng chờ');
    expect(texts(first.replies)).toContain('chưa ước tính được');
    expect(texts(first.replies)).not.toMatch(/khoảng \d+ phút/);
    expect(labels(first.replies)).toEqual(['🏠 Về menu chính', '❌ Hủy yêu cầu']);

    const [ticket, ...others] = await kit.handoff.desk.list();
    expect(others).toHaveLength(0);
    expect(ticket).toMatchObject({ status: 'waiting', channel: 'telegram', conversationId: '501', key: 'tg:501', reason: 'asked' });

    // A second citizen queues behind the first.
    const second = await say(kit, '502', 'gặp cán bộ');
    expect(texts(second.replies)).toContain('vị trí số 2');

    const again = await say(kit, '501', 'gặp cán bộ');
    expect(texts(again.replies)).toContain('đã có trong hàng chờ');
    expect(texts(again.replies)).not.toContain('đã chuyển');
    expect((await kit.handoff.desk.list()).filter((t) => t.key === 'tg:501')).toHaveLength(1);

    // Once a claim took 6 minutes, the next citizen gets an estimate from it.
    kit.clock.now += 6 * 60_000;
    expect((await kit.handoff.desk.claim(ticket!.id, lan)).ok).toBe(true);
    const third = await say(kit, '503', 'gặp cán bộ');
    expect(texts(third.replies)).toContain('vị trí số 2');
    expect(texts(third.replies)).toContain('khoảng 12 phút');
  });

  it('staff read both sides: what led to the ticket, the assistant\'s questions, and the answers while it waits', async () => {
    kit = await handoffKit({ kind });
    await say(kit, '511', 'dk ks cho be');
    await say(kit, '511', 'gặp cán bộ');
    await say(kit, '511', 'lệ phí bao nhiêu');
    const [ticket] = await kit.handoff.desk.list();
    const { transcript } = (await kit.handoff.desk.get(ticket!.id))!;
    const lines = transcript.map((e) => `${e.from}: ${e.text.split('\n')[0]}`);
    expect(lines[0]).toBe('citizen: dk ks cho be');
    expect(transcript[1]).toMatchObject({ from: 'bot', text: expect.stringContaining('[Đăng ký khai sinh]') });
    expect(lines).toContain('citizen: gặp cán bộ');
    expect(lines).toContain('system: Người dân yêu cầu gặp cán bộ.');
    expect(lines.some((l) => l.startsWith('bot: Tôi đã chuyển yêu cầu'))).toBe(true);
    expect(lines).toContain('citizen: lệ phí bao nhiêu');
    // The bot's words come without markup, with the buttons it showed.
    expect(transcript.some((e) => e.from === 'bot' && e.text.includes('[✅ Đúng vậy]'))).toBe(true);
    expect(transcript.some((e) => /\*\*[^*\s][^*]*\*\*/.test(e.text))).toBe(false);
    // The unit's hotline is public: staff read it as the citizen did.
    expect(transcript.some((e) => e.from === 'bot' && e.text.includes('088 8801 247'))).toBe(true);
  });

  it('while waiting the assistant keeps answering; while held it is silent and the citizen\'s words reach staff', async () => {
    kit = await handoffKit({ kind });
    await say(kit, '601', 'gặp cán bộ');
    const [ticket] = await kit.handoff.desk.list();

    const waiting = await say(kit, '601', 'làm giấy khai sinh cho con');
    expect(waiting.replies.length).toBeGreaterThan(0);

    expect((await kit.handoff.desk.claim(ticket!.id, lan)).ok).toBe(true);
    expect(texts(kit.delivered.at(-1)!.messages)).toContain('Nguyễn Thị Lan');

    const held = await say(kit, '601', 'cho tôi hỏi về lệ phí');
    expect(held.replies).toEqual([]);
    const menu = await say(kit, '601', 'menu');
    expect(menu.replies).toEqual([]);

    const { transcript } = (await kit.handoff.desk.get(ticket!.id))!;
    const fromCitizen = transcript.filter((e) => e.from === 'citizen').map((e) => e.text);
    expect(fromCitizen).toEqual(['gặp cán bộ', 'làm giấy khai sinh cho con', 'cho tôi hỏi về lệ phí', 'menu']);

    expect((await kit.handoff.desk.reply(ticket!.id, lan, 'Lệ phí là **0** đồng ạ')).ok).toBe(true);
    // Staff text is literal: the asterisks are escaped, not turned into bold.
    expect(kit.delivered.at(-1)).toMatchObject({ channel: 'telegram', conversationId: '601', messages: [{ text: '👤 **Nguyễn Thị Lan:** Lệ phí là \\*\\*0\\*\\* đồng ạ' }] });

    expect((await kit.handoff.desk.handBack(ticket!.id, lan)).ok).toBe(true);
    expect(texts(kit.delivered.at(-1)!.messages)).toContain('trợ lý tự động');
    const after = await say(kit, '601', 'menu');
    expect(texts(after.replies)).toContain('Anh/chị cần gì ạ?');
    expect(await kit.handoff.desk.list()).toEqual([]);
  });

  it('close asks for a rating; the next "1".."5" is recorded and later messages go to the assistant', async () => {
    kit = await handoffKit({ kind });
    await say(kit, '701', 'gặp cán bộ');
    const [ticket] = await kit.handoff.desk.list();
    await kit.handoff.desk.claim(ticket!.id, lan);
    expect((await kit.handoff.desk.close(ticket!.id, lan)).ok).toBe(true);
    const ask = kit.delivered.at(-1)!.messages[0]!;
    expect(ask.text).toContain('từ 1');
    expect(ask.choices?.map((c) => c.id)).toEqual(['1', '2', '3', '4', '5']);

    const rated = await say(kit, '701', '4');
    expect(texts(rated.replies)).toContain('Cảm ơn anh/chị đã đánh giá');
    expect((await kit.handoff.desk.get(ticket!.id))!.ticket).toMatchObject({ status: 'closed', outcome: 'closed', rating: 4 });
    const next = await say(kit, '701', 'menu');
    expect(texts(next.replies)).toContain('Anh/chị cần gì ạ?');
  });

  it('the citizen cancels with "hủy" even while a person holds the chat, and the assistant resumes', async () => {
    kit = await handoffKit({ kind });
    await say(kit, '801', 'gặp cán bộ');
    const [ticket] = await kit.handoff.desk.list();
    await kit.handoff.desk.claim(ticket!.id, lan);
    const cancelled = await say(kit, '801', 'Hủy ạ');
    expect(texts(cancelled.replies)).toContain('Đã hủy yêu cầu gặp cán bộ');
    expect((await kit.handoff.desk.get(ticket!.id))!.ticket).toMatchObject({ status: 'closed', outcome: 'cancelled' });
    expect((await kit.handoff.desk.get(ticket!.id))!.transcript.at(-1)).toMatchObject({ from: 'system', text: 'Người dân đã hủy yêu cầu.' });
    expect((await kit.handoff.desk.reply(ticket!.id, lan, 'còn đó không ạ?')).ok).toBe(false);
    const next = await say(kit, '801', 'menu');
    expect(texts(next.replies)).toContain('Anh/chị cần gì ạ?');
    const twice = await say(kit, '801', 'hủy');
    expect(texts(twice.replies)).toContain('không có yêu cầu gặp cán bộ');
  });

  it('the "Hủy yêu cầu" button under the queue notice cancels the waiting ticket', async () => {
    kit = await handoffKit({ kind });
    const queued = await say(kit, '802', 'gặp cán bộ');
    const cancel = queued.replies.flatMap((r) => r.choices ?? []).find((c) => c.label.includes('Hủy'))!;
    const pressed = await kit.conversation.handleInbound({ ...textFrom('802', '', 'telegram'), kind: 'choice', choiceId: cancel.id, choiceLabel: cancel.label });
    expect(texts(pressed.replies)).toContain('Đã hủy yêu cầu gặp cán bộ');
    expect(await kit.handoff.desk.list()).toEqual([]);
  });

  it('out of office hours: says when a person answers next, the hotline once, and the ticket waits', async () => {
    kit = await handoffKit({ kind, start: SATURDAY_10AM });
    const turn = await say(kit, '901', 'gặp cán bộ');
    const all = texts(turn.replies);
    expect(all).toContain('ngoài giờ làm việc');
    expect(all).toContain('7:30 Thứ Hai, 08/06/2026');
    expect(all.split('088 8801 247')).toHaveLength(2);
    expect(all).not.toContain('vị trí số');
    expect(all).not.toContain('đã chuyển');
    expect(labels(turn.replies)).toContain('❌ Hủy yêu cầu');
    const [ticket] = await kit.handoff.desk.list();
    expect(ticket).toMatchObject({ status: 'waiting', afterHours: true });
  });

  it('a report is kept apart from tickets, masked, with the call-back number for staff only on request', async () => {
    const lines: string[] = [];
    const log = { debug() {}, info: (o: object, m?: string) => lines.push(JSON.stringify({ ...o, m })), warn() {}, error() {} };
    kit = await handoffKit({ kind, log });
    for (const text of ['/start', 'phản ánh', 'Đèn đường hẻm 12 bị hỏng, CCCD tôi 079123456789', 'có', '0912 345 678']) await say(kit, '1001', text);
    expect(await kit.handoff.desk.list()).toEqual([]);
    const [report, ...more] = await kit.handoff.desk.reports();
    expect(more).toEqual([]);
    expect(report).toMatchObject({ status: 'new', channel: 'telegram', conversationId: '1001', phone: '0912345678' });
    expect(report!.text).toBe(maskPersonalNumbers('Đèn đường hẻm 12 bị hỏng, CCCD tôi 079123456789'));
    expect(report!.text).not.toContain('079123456789');
    expect(lines.join('\n')).not.toMatch(/0912|079123456789/);
    expect(await kit.handoff.desk.revealReportPhone(report!.id, lan)).toEqual({ ok: true, phone: '0912345678' });
    expect((await kit.handoff.audit.recent()).map((a) => `${a.staff}:${a.action}:${a.report}`)).toEqual([`lan:reveal_phone:${report!.id}`]);

    // new → seen → resolved, with an answer delivered to the citizen.
    expect((await kit.handoff.desk.markSeen(report!.id, minh)).ok).toBe(true);
    expect((await kit.handoff.desk.report(report!.id))).toMatchObject({ status: 'seen', seenBy: 'minh' });
    const resolved = await kit.handoff.desk.resolve(report!.id, minh, 'Đã báo điện lực, đèn sẽ được sửa trong tuần ạ. Tôi gọi lại 0912345678.');
    expect(resolved).toMatchObject({ ok: true, report: { status: 'resolved', resolvedBy: 'minh', replyDelivered: true } });
    expect(kit.delivered.at(-1)).toMatchObject({ channel: 'telegram', conversationId: '1001' });
    expect(texts(kit.delivered.at(-1)!.messages)).toContain('Đã báo điện lực');
    expect(texts(kit.delivered.at(-1)!.messages)).toContain('0912345678');
    // Kept with the number masked: the citizen got it as written.
    expect((await kit.handoff.desk.report(report!.id))!.reply).toBe(maskPersonalNumbers('Đã báo điện lực, đèn sẽ được sửa trong tuần ạ. Tôi gọi lại 0912345678.'));
    expect(await kit.handoff.desk.resolve(report!.id, minh)).toMatchObject({ ok: false, code: 'already_resolved' });
  });

  it('a report answer that cannot be delivered is kept and marked undelivered', async () => {
    kit = await handoffKit({ kind, deliver: async () => Promise.reject(new Error('channel cli cannot send')) });
    for (const text of ['/start', 'phản ánh', 'Rác để trước cổng chợ ba ngày nay', 'không']) await say(kit, '1002', text);
    const [report] = await kit.handoff.desk.reports();
    expect(await kit.handoff.desk.resolve(report!.id, lan, 'Đã xử lý ạ')).toMatchObject({ ok: false, code: 'delivery_failed', report: { status: 'resolved', replyDelivered: false } });
  });

  it('a staff reply is delivered as written but kept in the ticket transcript with its numbers masked', async () => {
    kit = await handoffKit({ kind });
    await say(kit, '1004', 'gặp cán bộ');
    const [ticket] = await kit.handoff.desk.list();
    expect((await kit.handoff.desk.claim(ticket!.id, lan)).ok).toBe(true);
    expect((await kit.handoff.desk.reply(ticket!.id, lan, 'Tôi gọi lại số 0912345678, CCCD 079123456789 nhé')).ok).toBe(true);
    expect(texts(kit.delivered.at(-1)!.messages)).toContain('0912345678');
    const { transcript } = (await kit.handoff.desk.get(ticket!.id))!;
    const fromStaff = transcript.filter((e) => e.from === 'staff').map((e) => e.text);
    expect(fromStaff).toEqual([maskPersonalNumbers('Tôi gọi lại số 0912345678, CCCD 079123456789 nhé')]);
    expect(fromStaff.join(' ')).not.toMatch(/0912345678|079123456789/);
  });

  it('a display name holding a phone number is masked', async () => {
    kit = await handoffKit({ kind });
    await kit.conversation.handleInbound({ ...textFrom('1003', 'gặp cán bộ', 'telegram'), displayName: 'Nguyễn Văn A 0911222333' });
    const [ticket] = await kit.handoff.desk.list();
    expect(ticket!.displayName).toBe('Nguyễn Văn A 09******33');
  });

  it('erase deletes the citizen\'s tickets, reports and transcripts, while waiting and while held', async () => {
    kit = await handoffKit({ kind });
    await say(kit, '1101', 'gặp cán bộ');
    for (const text of ['menu', 'phản ánh', 'Cống thoát nước bị tắc ở hẻm 5', 'không']) await say(kit, '1101', text);
    const [ticket] = await kit.handoff.desk.list();
    expect(await kit.handoff.desk.reports()).toHaveLength(1);
    expect((await kit.handoff.desk.claim(ticket!.id, lan)).ok).toBe(true);
    expect((await say(kit, '1101', 'cho tôi hỏi thêm')).replies).toEqual([]);
    const confirm = await say(kit, '1101', 'xóa dữ liệu của tôi');
    expect(texts(confirm.replies)).toContain('xóa toàn bộ dữ liệu');
    const erased = await say(kit, '1101', 'có');
    expect(texts(erased.replies)).toContain('Đã xóa');
    expect(await kit.handoff.desk.get(ticket!.id)).toBeNull();
    expect(await kit.handoff.desk.list()).toEqual([]);
    expect(await kit.handoff.desk.reports()).toEqual([]);
    expect(await kit.tickets.recent('tg:1101')).toEqual([]);
  });

  it('staff read the words of a pressed button, not its id', async () => {
    kit = await handoffKit({ kind });
    await say(kit, '1103', 'gặp cán bộ');
    const [ticket] = await kit.handoff.desk.list();
    expect((await kit.handoff.desk.claim(ticket!.id, lan)).ok).toBe(true);
    await kit.conversation.handleInbound({ ...textFrom('1103', '', 'telegram'), kind: 'choice', choiceId: 'lack', choiceLabel: '⏳ Chưa có' });
    await kit.conversation.handleInbound({ ...textFrom('1103', '', 'telegram'), kind: 'choice', choiceId: 'have' });
    const { transcript } = (await kit.handoff.desk.get(ticket!.id))!;
    expect(transcript.filter((e) => e.from === 'citizen').map((e) => e.text)).toEqual(['gặp cán bộ', '⏳ Chưa có', '[have]']);
  });

  it('of two staff claiming the same ticket at once on two instances, exactly one wins', async () => {
    kit = await handoffKit({ kind });
    const other = kit.instance();
    for (let i = 0; i < 10; i += 1) await say(kit, `13${i}`, 'gặp cán bộ');
    const tickets = await kit.handoff.desk.list();
    expect(tickets).toHaveLength(10);
    for (const ticket of tickets) {
      const [a, b] = await Promise.all([kit.handoff.desk.claim(ticket.id, lan), other.desk.claim(ticket.id, minh)]);
      expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
      const loser = a.ok ? b : a;
      expect(loser).toMatchObject({ ok: false, code: 'already_claimed' });
      const holder = (await kit.handoff.desk.get(ticket.id))!.ticket.staff;
      expect(holder).toBe(a.ok ? 'lan' : 'minh');
    }
    // Exactly one "taken over" notice per citizen.
    const notices = kit.delivered.filter((d) => d.messages[0]!.text.includes('đã tiếp nhận'));
    expect(notices).toHaveLength(10);
  });

  it('only the holder replies, hands back or closes; transfer moves the ticket; the audit log records who and when', async () => {
    kit = await handoffKit({ kind });
    await say(kit, '1401', 'gặp cán bộ');
    const [ticket] = await kit.handoff.desk.list();
    await kit.handoff.desk.claim(ticket!.id, lan);
    expect(await kit.handoff.desk.reply(ticket!.id, minh, 'xin chào')).toMatchObject({ ok: false, code: 'not_holder' });
    expect(await kit.handoff.desk.close(ticket!.id, minh)).toMatchObject({ ok: false, code: 'not_holder' });
    expect((await kit.handoff.desk.transfer(ticket!.id, lan, minh)).ok).toBe(true);
    expect(texts(kit.delivered.at(-1)!.messages)).toContain('Trần Văn Minh');
    expect((await kit.handoff.desk.reply(ticket!.id, minh, 'Tôi là Minh ạ')).ok).toBe(true);
    expect((await kit.handoff.desk.close(ticket!.id, minh)).ok).toBe(true);
    const audit = await kit.handoff.audit.recent();
    expect(audit.map((a) => `${a.staff}:${a.action}`).reverse()).toEqual(['lan:claim', 'lan:transfer', 'minh:reply', 'minh:close']);
    expect(audit.every((a) => a.ticket === ticket!.id && a.at === kit!.clock.now)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('Tôi là Minh');
  });

  it('in the demo, tickets and reports are marked demo', async () => {
    kit = await handoffKit({ kind, demo: true });
    await say(kit, '1501', 'gặp cán bộ');
    for (const text of ['menu', 'phản ánh', 'Vỉa hè bị lấn chiếm ở chợ', 'không']) await say(kit, '1501', text);
    expect((await kit.handoff.desk.list())[0]).toMatchObject({ demo: true });
    expect((await kit.handoff.desk.reports())[0]).toMatchObject({ demo: true });
  });
});

describe('handoff on Redis: keys', () => {
  it('erase leaves no key of the citizen, ticket or report', async () => {
    kit = await handoffKit({ kind: 'redis' });
    await say(kit, '1601', 'gặp cán bộ');
    for (const text of ['menu', 'phản ánh', 'Cây đổ chắn đường ở hẻm 3', 'không']) await say(kit, '1601', text);
    const before = await keysUnder(kit.redis!, kit.prefix);
    expect(before.some((k) => k.includes('{h:'))).toBe(true);
    expect(before.some((k) => k.includes('{r:'))).toBe(true);
    await say(kit, '1601', 'xóa dữ liệu');
    await say(kit, '1601', 'có');
    const left = await keysUnder(kit.redis!, kit.prefix);
    expect(left.filter((k) => k.includes('{h:') || k.includes('{r:') || k.includes('{tg:1601}'))).toEqual([]);
  });

  it('tickets, transcripts and reports expire after the retention time', async () => {
    kit = await handoffKit({ kind: 'redis' });
    await say(kit, '1201', 'gặp cán bộ');
    for (const text of ['menu', 'phản ánh', 'Nắp cống bị mất trước số 7', 'không']) await say(kit, '1201', text);
    const [ticket] = await kit.handoff.desk.list();
    const [report] = await kit.handoff.desk.reports();
    const keys = (await keysUnder(kit.redis!, kit.prefix)).filter((k) => k.includes(`{h:${ticket!.id}}`) || k.includes(`{r:${report!.id}}`));
    expect(keys).toHaveLength(3);
    for (const key of keys) {
      const ttl = await kit.redis!.ttl(key);
      expect(ttl).toBeGreaterThan(29 * 86_400);
      expect(ttl).toBeLessThanOrEqual(30 * 86_400);
    }
  });
});
