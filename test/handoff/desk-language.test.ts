/**
 * Issue 15 at the staff desk: a citizen who writes in English is answered in English for the
 * whole conversation, also by what the desk sends (the claim notice, the staff member's prefix,
 * a transfer, the rating question with its buttons, the thanks, a hand-back, the answer to a
 * report, the next opening when the office is closed); a Vietnamese conversation still gets
 * Vietnamese. Through the real server (Redis, the desk, Telegram on the fake Bot API, the staff
 * console's HTTP API), the citizen writing through the webhook.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRef } from '../../src/handoff/create-handoff.js';
import { textFrom } from '../helpers/assistant.js';
import { MONDAY_9AM, SATURDAY_10AM } from '../helpers/desk.js';
import type { FakeSentMessage } from '../helpers/fake-telegram.js';
import { startDeskServer, STAFF_PASSWORD, type DeskServer } from './desk-server-kit.js';
import { handoffKit, keysUnder, STORE_KINDS, type HandoffKit } from './handoff-kit.js';
import { staffClient, type StaffClient } from './staff-client.js';

let s: DeskServer;
let lan: StaffClient;
const MINH_PASSWORD = 'mật-khẩu-cán-bộ-minh-2';

beforeAll(async () => {
  s = await startDeskServer();
  await s.server.desk!.accounts.add('minh', MINH_PASSWORD, 'Trần Văn Minh');
  lan = await staffClient(s.url);
  expect((await lan.login('lan', STAFF_PASSWORD)).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await s?.close();
});

let nextChat = 91_000 + Math.floor(Math.random() * 1000) * 10;

/** What the citizen's chat received after the first `from` messages. */
const since = (chat: number, from: number): FakeSentMessage[] => s.tg.sent(chat).slice(from);
const textsOf = (messages: FakeSentMessage[]) => messages.map((m) => m.text).join('\n');
const texts = (replies: { text: string }[]) => replies.map((r) => r.text).join('\n');
const buttonsOf = (message: FakeSentMessage | undefined) => (message?.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);

/** The citizen writes, and the assistant's reply reaches the chat; what it received. */
async function says(chat: number, text: string, expected: string): Promise<string> {
  const before = s.tg.sent(chat).length;
  await s.telegramSays(chat, text);
  await s.tg.waitFor(() => textsOf(since(chat, before)).includes(expected), 5000, `"${expected}" after "${text}"`);
  return textsOf(since(chat, before));
}

/** A staff action; what it sent the citizen (the desk sends before it answers). */
async function acts(staff: StaffClient, chat: number, path: string, body: unknown = {}): Promise<FakeSentMessage[]> {
  const before = s.tg.sent(chat).length;
  const answer = await staff.post(path, body);
  expect(answer.status, `${path}: ${JSON.stringify(answer.json)}`).toBe(200);
  return since(chat, before);
}

async function ticketOf(chat: number): Promise<string> {
  const list = (await lan.get('/staff/api/tickets')).json.tickets as Array<{ id: string; channel: string; conversationId: string }>;
  const found = list.find((t) => t.channel === 'telegram' && t.conversationId === String(chat));
  expect(found, `a ticket for chat ${chat}`).toBeDefined();
  return found!.id;
}

describe('what the staff desk sends, in the conversation language', () => {
  it('English: the claim notice, the staff prefix, a transfer, the rating question and its buttons, the thanks', async () => {
    const chat = nextChat++;
    expect(await says(chat, 'How can I get a birth certificate for my son?', 'Do you mean the procedure')).toContain('Birth registration');
    expect(await says(chat, 'talk to a person', 'You are number')).toMatch(/You are number \d+ in the queue/);
    const id = await ticketOf(chat);
    // The console sees the language the ticket was opened in.
    expect(((await lan.get(`/staff/api/tickets/${id}`)).json.ticket as { lang?: string }).lang).toBe('en');

    const claimed = await acts(lan, chat, `/staff/api/tickets/${id}/claim`);
    expect(textsOf(claimed)).toBe('Staff member Nguyễn Thị Lan has taken your request. Write to them directly here; type "cancel" when you no longer need help.');

    const replied = await acts(lan, chat, `/staff/api/tickets/${id}/reply`, { text: 'Hello, whose birth would you like to register?' });
    expect(textsOf(replied)).toBe('👤 <b>Nguyễn Thị Lan:</b> Hello, whose birth would you like to register?');

    const moved = await acts(lan, chat, `/staff/api/tickets/${id}/transfer`, { to: 'minh' });
    expect(textsOf(moved)).toBe('The conversation has been passed to staff member Trần Văn Minh.');
    const minh = await staffClient(s.url);
    expect((await minh.login('minh', MINH_PASSWORD)).status).toBe(200);

    const closed = await acts(minh, chat, `/staff/api/tickets/${id}/close`);
    expect(closed).toHaveLength(1);
    expect(closed[0]!.text).toBe('The staff member has ended the conversation. Please rate it from 1 (poor) to 5 (very good).');
    expect(buttonsOf(closed[0])).toEqual(['1 ⭐', '2 ⭐', '3 ⭐', '4 ⭐', '5 ⭐']);

    expect(await says(chat, '5', 'Thank')).toBe('Thank you for your rating.');
  });

  it('English: a hand-back, and the answer to a report', async () => {
    const chat = nextChat++;
    await says(chat, 'I want to renew my passport', 'Hello!');
    await says(chat, 'talk to a person', 'You are number');
    const id = await ticketOf(chat);
    await acts(lan, chat, `/staff/api/tickets/${id}/claim`);
    const back = await acts(lan, chat, `/staff/api/tickets/${id}/hand-back`);
    expect(textsOf(back)).toBe('The staff member has passed you back to the automatic assistant. Keep asking, or type "menu".');

    await says(chat, 'menu', 'What do you need?');
    await says(chat, 'report', 'describe');
    await says(chat, 'The street light in alley 12 has been broken since yesterday', 'call you back');
    expect(await says(chat, 'no', 'reference')).toContain('Your report is saved');
    const reports = (await lan.get('/staff/api/reports')).json.reports as Array<{ id: string; conversationId: string }>;
    const report = reports.find((r) => r.conversationId === String(chat));
    expect(report).toBeDefined();
    const answered = await acts(lan, chat, `/staff/api/reports/${report!.id}/resolve`, { reply: 'The ward has sent someone to fix the light.' });
    expect(textsOf(answered)).toBe('👤 <b>Nguyễn Thị Lan</b> answers your report: The ward has sent someone to fix the light.');
  });

  it('English out of office hours: the next opening is said in English', async () => {
    s.clock.offset = SATURDAY_10AM - MONDAY_9AM;
    try {
      const chat = nextChat++;
      await says(chat, 'I want to renew my passport', 'Hello!');
      const queued = await says(chat, 'talk to a person', 'office is closed');
      expect(queued).toContain('from 7:30 on Monday, 08/06/2026');
      expect(queued).not.toContain('Thứ Hai');
      // Out of the queue, so the next test's citizen is first in line.
      await says(chat, 'cancel', 'cancel');
    } finally {
      s.clock.offset = 0;
    }
  });

  it('Vietnamese: the same desk texts stay Vietnamese', async () => {
    const chat = nextChat++;
    await says(chat, 'đăng ký khai sinh', 'Đăng ký khai sinh');
    expect(await says(chat, 'gặp cán bộ', 'vị trí số')).toMatch(/Anh\/chị đang ở vị trí số \d+ trong hàng chờ/);
    const id = await ticketOf(chat);
    expect((await lan.get(`/staff/api/tickets/${id}`)).json.ticket).not.toHaveProperty('lang');

    const claimed = await acts(lan, chat, `/staff/api/tickets/${id}/claim`);
    expect(textsOf(claimed)).toBe('Cán bộ Nguyễn Thị Lan đã tiếp nhận. Anh/chị nhắn tin trực tiếp tại đây ạ; gõ "hủy" khi không cần hỗ trợ nữa.');
    const replied = await acts(lan, chat, `/staff/api/tickets/${id}/reply`, { text: 'Chào anh/chị, anh/chị đăng ký cho ai ạ?' });
    expect(textsOf(replied)).toBe('👤 <b>Nguyễn Thị Lan:</b> Chào anh/chị, anh/chị đăng ký cho ai ạ?');
    const moved = await acts(lan, chat, `/staff/api/tickets/${id}/transfer`, { to: 'minh' });
    expect(textsOf(moved)).toBe('Cuộc trò chuyện đã được chuyển cho cán bộ Trần Văn Minh ạ.');
    const minh = await staffClient(s.url);
    expect((await minh.login('minh', MINH_PASSWORD)).status).toBe(200);
    const closed = await acts(minh, chat, `/staff/api/tickets/${id}/close`);
    expect(closed[0]!.text).toBe('Cán bộ đã kết thúc cuộc trò chuyện. Anh/chị đánh giá mức độ hài lòng từ 1 (chưa tốt) đến 5 (rất tốt) giúp tôi ạ.');
    expect(buttonsOf(closed[0])).toEqual(['1 ⭐', '2 ⭐', '3 ⭐', '4 ⭐', '5 ⭐']);
    expect(await says(chat, '4', 'Cảm ơn')).toBe('Cảm ơn anh/chị đã đánh giá ạ.');
  });
});

/**
 * Which language the desk uses when the session and the ticket disagree or one is gone, on both
 * ticket stores (the kit: the real conversation and handoff, the sessions the desk reads).
 */
describe.each(STORE_KINDS)('the language the desk speaks in (%s stores)', (kind) => {
  let kit: HandoffKit | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });
  const lanRef: StaffRef = { username: 'lan', name: 'Nguyễn Thị Lan', role: 'staff' };
  const say = (k: HandoffKit, chat: string, text: string) => k.conversation.handleInbound(textFrom(chat, text, 'telegram'));
  const sentTo = (k: HandoffKit, chat: string) => k.delivered.filter((d) => d.conversationId === chat).flatMap((d) => d.messages);
  const lastSent = (k: HandoffKit, chat: string) => sentTo(k, chat).at(-1)?.text;

  it("the session's current language: a citizen who switches to Vietnamese while waiting is told in Vietnamese", async () => {
    kit = await handoffKit({ kind });
    await say(kit, '801', 'I want to renew my passport');
    await say(kit, '801', 'talk to a person');
    const [ticket] = await kit.handoff.desk.list();
    expect(ticket?.lang).toBe('en');
    expect(texts((await say(kit, '801', '/lang vi')).replies)).toContain('anh/chị');
    expect((await kit.handoff.desk.claim(ticket!.id, lanRef)).ok).toBe(true);
    expect(lastSent(kit, '801')).toBe('Cán bộ Nguyễn Thị Lan đã tiếp nhận. Anh/chị nhắn tin trực tiếp tại đây ạ; gõ "hủy" khi không cần hỗ trợ nữa.');
    expect((await kit.handoff.desk.close(ticket!.id, lanRef)).ok).toBe(true);
    expect(lastSent(kit, '801')).toContain('Anh/chị đánh giá mức độ hài lòng từ 1 (chưa tốt) đến 5 (rất tốt)');
    expect(texts((await say(kit, '801', '5')).replies)).toBe('Cảm ơn anh/chị đã đánh giá ạ.');
  });

  it('the session gone (expired): the language the ticket and the report were opened in', async () => {
    kit = await handoffKit({ kind });
    await say(kit, '802', 'I want to renew my passport');
    for (const text of ['menu', 'report', 'The street light in alley 12 has been broken since yesterday', 'no']) await say(kit, '802', text);
    await say(kit, '802', 'talk to a person');
    const [ticket] = await kit.handoff.desk.list();
    const [report] = await kit.handoff.desk.reports();
    expect(report?.lang).toBe('en');
    // The session alone expires (SESSION_TTL_SECONDS); the ticket and the report are kept longer.
    await kit.store.erase('tg:802');
    expect(await kit.store.peek('tg:802')).toBeNull();
    expect((await kit.handoff.desk.claim(ticket!.id, lanRef)).ok).toBe(true);
    expect(lastSent(kit, '802')).toContain('Staff member Nguyễn Thị Lan has taken your request.');
    expect((await kit.handoff.desk.handBack(ticket!.id, lanRef)).ok).toBe(true);
    expect(lastSent(kit, '802')).toContain('passed you back to the automatic assistant');
    expect((await kit.handoff.desk.resolve(report!.id, lanRef, 'Fixed today.')).ok).toBe(true);
    expect(lastSent(kit, '802')).toBe('👤 **Nguyễn Thị Lan** answers your report: Fixed today.');
  });

  if (kind === 'redis') {
    it('a ticket kept before tickets had a language, its session gone: Vietnamese', async () => {
      kit = await handoffKit({ kind });
      await say(kit, '803', 'I want to renew my passport');
      await say(kit, '803', 'talk to a person');
      const [ticket] = await kit.handoff.desk.list();
      const key = (await keysUnder(kit.redis!, kit.prefix)).find((k) => k.endsWith(`{h:${ticket!.id}}:ticket`));
      expect(await kit.redis!.hget(key!, 'lang')).toBe('en');
      await kit.redis!.hdel(key!, 'lang');
      await kit.store.erase('tg:803');
      expect((await kit.handoff.desk.get(ticket!.id))?.ticket.lang).toBeUndefined();
      expect((await kit.handoff.desk.claim(ticket!.id, lanRef)).ok).toBe(true);
      expect(lastSent(kit, '803')).toContain('Cán bộ Nguyễn Thị Lan đã tiếp nhận.');
    });
  }
});
