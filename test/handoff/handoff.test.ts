/**
 * Handoff through the real conversation (real assistant, Redis session store, Redis handoff):
 * queue place and wait, one ticket per conversation, the assistant silent while a person holds
 * the chat, hand back, close with a rating, the citizen's cancel, office hours, masking, erase,
 * and an atomic claim across two instances.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { maskPersonalNumbers } from '../../src/conversation/redact.js';
import type { StaffRef } from '../../src/handoff/create-handoff.js';
import { textFrom } from '../helpers/assistant.js';
import { handoffKit, keysUnder, SATURDAY_10AM, type HandoffKit } from './handoff-kit.js';

const lan: StaffRef = { username: 'lan', name: 'Nguyễn Thị Lan' };
const minh: StaffRef = { username: 'minh', name: 'Trần Văn Minh' };

let kit: HandoffKit | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});

const say = (k: HandoffKit, chat: string, text: string) => k.conversation.handleInbound(textFrom(chat, text, 'telegram'));
const texts = (replies: { text: string }[]) => replies.map((r) => r.text).join('\n');

describe('handoff through the conversation', () => {
  it('opens one ticket with context, tells the place in the queue and the wait, and does not duplicate it', async () => {
    kit = await handoffKit();
    await say(kit, '501', 'đăng ký kết hôn');
    const first = await say(kit, '501', 'gặp cán bộ');
    expect(texts(first.replies)).toContain('vị trí số 1 trong hàng chờ');
    expect(texts(first.replies)).toMatch(/khoảng \d+ phút/);

    const [ticket, ...others] = await kit.handoff.desk.list();
    expect(others).toHaveLength(0);
    expect(ticket).toMatchObject({ status: 'waiting', channel: 'telegram', conversationId: '501', key: 'tg:501', reason: 'asked' });
    expect(ticket!.context.lastMessages).toContain('đăng ký kết hôn');

    // A second citizen queues behind the first.
    const second = await say(kit, '502', 'gặp cán bộ');
    expect(texts(second.replies)).toContain('vị trí số 2');

    const again = await say(kit, '501', 'gặp cán bộ');
    expect(texts(again.replies)).toContain('đã có trong hàng chờ');
    expect((await kit.handoff.desk.list()).filter((t) => t.key === 'tg:501')).toHaveLength(1);
  });

  it('while waiting the assistant keeps answering and staff see the messages; while held it is silent', async () => {
    kit = await handoffKit();
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
    expect(fromCitizen).toEqual(['làm giấy khai sinh cho con', 'cho tôi hỏi về lệ phí', 'menu']);

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
    kit = await handoffKit();
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

  it('the citizen cancels with "hủy" and the assistant resumes', async () => {
    kit = await handoffKit();
    await say(kit, '801', 'gặp cán bộ');
    const [ticket] = await kit.handoff.desk.list();
    await kit.handoff.desk.claim(ticket!.id, lan);
    const cancelled = await say(kit, '801', 'Hủy ạ');
    expect(texts(cancelled.replies)).toContain('Đã hủy yêu cầu gặp cán bộ');
    expect((await kit.handoff.desk.get(ticket!.id))!.ticket).toMatchObject({ status: 'closed', outcome: 'cancelled' });
    expect((await kit.handoff.desk.reply(ticket!.id, lan, 'còn đó không ạ?')).ok).toBe(false);
    const next = await say(kit, '801', 'menu');
    expect(texts(next.replies)).toContain('Anh/chị cần gì ạ?');
  });

  it('out of office hours: says when a person answers next and the hotline; the ticket waits', async () => {
    kit = await handoffKit({ start: SATURDAY_10AM });
    const turn = await say(kit, '901', 'gặp cán bộ');
    const all = texts(turn.replies);
    expect(all).toContain('ngoài giờ làm việc');
    expect(all).toContain('7:30 Thứ Hai, 08/06/2026');
    expect(all.split('088 8801 247')).toHaveLength(2);
    expect(all).not.toContain('vị trí số');
    const [ticket] = await kit.handoff.desk.list();
    expect(ticket).toMatchObject({ status: 'waiting', afterHours: true });
  });

  it('a report keeps the call-back phone only in the ticket; context, transcript and logs are masked', async () => {
    const lines: string[] = [];
    const log = { debug() {}, info: (o: object, m?: string) => lines.push(JSON.stringify({ ...o, m })), warn() {}, error() {} };
    kit = await handoffKit({ log });
    for (const text of ['/start', 'phản ánh', 'Đèn đường hẻm 12 bị hỏng, CCCD tôi 079123456789', 'có', '0912 345 678']) await say(kit, '1001', text);
    const [ticket] = await kit.handoff.desk.list();
    expect(ticket).toMatchObject({ reason: 'report', phone: '0912345678' });
    const { transcript } = (await kit.handoff.desk.get(ticket!.id))!;
    const visible = JSON.stringify({ context: ticket!.context, topic: ticket!.topic, transcript });
    expect(visible).not.toContain('079123456789');
    expect(visible).not.toMatch(/0912\s?345\s?678/);
    expect(visible).toContain('09******78');
    expect(ticket!.context.report).toBe(maskPersonalNumbers('Đèn đường hẻm 12 bị hỏng, CCCD tôi 079123456789'));
    expect(lines.join('\n')).not.toMatch(/0912|079123456789/);
  });

  it('erase deletes the citizen\'s tickets, transcripts and recent messages', async () => {
    kit = await handoffKit();
    await say(kit, '1101', 'gặp cán bộ');
    const [ticket] = await kit.handoff.desk.list();
    expect((await keysUnder(kit.redis, kit.prefix)).some((k) => k.includes('{h:'))).toBe(true);
    await say(kit, '1101', 'xóa dữ liệu');
    const erased = await kit.conversation.handleInbound({ ...textFrom('1101', '', 'telegram'), kind: 'choice', choiceId: 'yes' });
    expect(texts(erased.replies)).toContain('Đã xóa');
    expect(await kit.handoff.desk.get(ticket!.id)).toBeNull();
    const left = await keysUnder(kit.redis, kit.prefix);
    expect(left.filter((k) => k.includes('{h:') || k.includes('{tg:1101}'))).toEqual([]);
    expect(await kit.handoff.desk.list()).toEqual([]);
  });

  it('erasing works while a person holds the chat: the command and its confirmation reach the assistant', async () => {
    kit = await handoffKit();
    await say(kit, '1102', 'gặp cán bộ');
    const [ticket] = await kit.handoff.desk.list();
    expect((await kit.handoff.desk.claim(ticket!.id, lan)).ok).toBe(true);
    expect((await say(kit, '1102', 'cho tôi hỏi thêm')).replies).toEqual([]);
    const confirm = await say(kit, '1102', 'xóa dữ liệu của tôi');
    expect(texts(confirm.replies)).toContain('xóa toàn bộ dữ liệu');
    const erased = await say(kit, '1102', 'có');
    expect(texts(erased.replies)).toContain('Đã xóa');
    expect(await kit.handoff.desk.get(ticket!.id)).toBeNull();
    const left = await keysUnder(kit.redis, kit.prefix);
    expect(left.filter((k) => k.includes('{h:') || k.includes('{tg:1102}'))).toEqual([]);
  });

  it('staff read the words of a pressed button, not its id', async () => {
    kit = await handoffKit();
    await say(kit, '1103', 'gặp cán bộ');
    const [ticket] = await kit.handoff.desk.list();
    expect((await kit.handoff.desk.claim(ticket!.id, lan)).ok).toBe(true);
    await kit.conversation.handleInbound({ ...textFrom('1103', '', 'telegram'), kind: 'choice', choiceId: 'lack', choiceLabel: '⏳ Chưa có' });
    await kit.conversation.handleInbound({ ...textFrom('1103', '', 'telegram'), kind: 'choice', choiceId: 'have' });
    const { transcript } = (await kit.handoff.desk.get(ticket!.id))!;
    expect(transcript.filter((e) => e.from === 'citizen').map((e) => e.text)).toEqual(['⏳ Chưa có', '[have]']);
  });

  it('tickets and transcripts expire after the retention time', async () => {
    kit = await handoffKit();
    await say(kit, '1201', 'gặp cán bộ');
    const [ticket] = await kit.handoff.desk.list();
    const keys = (await keysUnder(kit.redis, kit.prefix)).filter((k) => k.includes(`{h:${ticket!.id}}`));
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      const ttl = await kit.redis.ttl(key);
      expect(ttl).toBeGreaterThan(29 * 86_400);
      expect(ttl).toBeLessThanOrEqual(30 * 86_400);
    }
  });
});

describe('claim across instances', () => {
  it('of two staff claiming the same ticket at once on two instances, exactly one wins', async () => {
    kit = await handoffKit();
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
    kit = await handoffKit();
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
});
