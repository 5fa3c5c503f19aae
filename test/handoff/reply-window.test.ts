/**
 * The seam between the channels and the staff desk, through the real server (Redis, the desk,
 * the Zalo OA channel on the fake OA, Telegram on the fake Bot API, real HTTP): for a Zalo OA
 * ticket the console's API gives the reply window (free replies left, customer-service replies
 * until 7 days after the citizen's last message) and the delivery status Zalo reported; a staff
 * reply Zalo would reject (window closed, citizen unfollowed) is refused before Zalo is called;
 * a Telegram ticket has no window and stays answerable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { staffClient, type StaffClient } from './staff-client.js';
import { DAY, startDeskServer, STAFF_PASSWORD, type DeskServer } from './desk-server-kit.js';

let s: DeskServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

let nextCitizen = 1;
const zaloUser = () => `55101857582620${String(nextCitizen++).padStart(5, '0')}`;

interface ChannelStatusView {
  replyWindow?: { lastInboundAt: number; freeRepliesLeft: number; freeUntil: number; customerServiceUntil: number; open: boolean };
  unfollowed?: boolean;
  delivery?: { state: 'received' | 'seen'; at: number };
  blocked?: 'window_closed' | 'unfollowed';
}
interface Detail {
  ticket: { id: string; channel: string; status: string };
  transcript: Array<{ from: string; text: string }>;
  channelStatus?: ChannelStatusView;
}

async function login(server: DeskServer): Promise<StaffClient> {
  const staff = await staffClient(server.url);
  expect((await staff.login('lan', STAFF_PASSWORD)).status).toBe(200);
  return staff;
}

async function ticketOf(staff: StaffClient, channel: string, conversationId: string): Promise<string> {
  const list = (await staff.get('/staff/api/tickets')).json.tickets as Array<{ id: string; channel: string; conversationId: string }>;
  const found = list.find((t) => t.channel === channel && t.conversationId === conversationId);
  expect(found, `a ${channel} ticket for ${conversationId}`).toBeDefined();
  return found!.id;
}

const detail = async (staff: StaffClient, id: string) => (await staff.get(`/staff/api/tickets/${id}`)).json as unknown as Detail;
const oaChannel = (server: DeskServer) => server.server.channels.find((c) => c.name === 'zalo-oa')!;

/** A Zalo OA citizen asks for a person; resolves once every reply went out. Returns the texts sent after their last message. */
async function zaloTicket(server: DeskServer, citizen: string): Promise<number> {
  await server.zaloSays(citizen, 'đăng ký kết hôn');
  await oaChannel(server).idle();
  const before = server.oa.sent(citizen).length;
  await server.zaloSays(citizen, 'gặp cán bộ');
  await oaChannel(server).idle();
  expect(server.oa.sent(citizen).map((m) => m.text).join('\n')).toContain('vị trí số 1');
  return server.oa.sent(citizen).length - before;
}

describe('the reply window in the staff console (real server, fake Zalo OA)', () => {
  it('shows the window and what Zalo reported ("đã nhận", "đã xem"); after 7 days refuses the reply without calling Zalo, until the citizen writes again', async () => {
    s = await startDeskServer();
    const citizen = zaloUser();
    const sentSinceLast = await zaloTicket(s, citizen);
    const staff = await login(s);
    const id = await ticketOf(staff, 'zalo-oa', citizen);

    const open = (await detail(staff, id)).channelStatus;
    expect(open?.replyWindow?.open).toBe(true);
    // 8 free replies within 48 h of the citizen's last message, less what the assistant sent since.
    expect(open?.replyWindow?.freeRepliesLeft).toBe(8 - sentSinceLast);
    expect(open!.replyWindow!.freeUntil - open!.replyWindow!.lastInboundAt).toBe(2 * DAY);
    expect(open!.replyWindow!.customerServiceUntil - open!.replyWindow!.lastInboundAt).toBe(7 * DAY);
    expect(open?.blocked).toBeUndefined();
    expect(open?.delivery).toBeUndefined();

    await s.zaloReports(citizen, 'user_received_message');
    expect((await detail(staff, id)).channelStatus?.delivery?.state).toBe('received');
    await s.zaloReports(citizen, 'user_seen_message');
    expect((await detail(staff, id)).channelStatus?.delivery?.state).toBe('seen');

    expect((await staff.post(`/staff/api/tickets/${id}/claim`)).status).toBe(200);
    expect((await staff.post(`/staff/api/tickets/${id}/reply`, { text: 'Chào anh, anh cần đăng ký cho ai ạ?' })).status).toBe(200);
    await oaChannel(s).idle();
    expect(s.oa.sent(citizen).at(-1)?.text).toContain('Chào anh, anh cần đăng ký cho ai ạ?');

    // Seven days and a minute after the citizen's last message: Zalo no longer takes a reply.
    s.clock.offset = 7 * DAY + 60_000;
    const closed = (await detail(staff, id)).channelStatus;
    expect(closed?.replyWindow?.open).toBe(false);
    expect(closed?.replyWindow?.freeRepliesLeft).toBe(0);
    expect(closed?.blocked).toBe('window_closed');
    const callsBefore = s.oa.calls.filter((c) => c.method === 'message/cs').length;
    const refused = await staff.post(`/staff/api/tickets/${id}/reply`, { text: 'Anh còn cần hỗ trợ không ạ?' });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toBe('window_closed');
    await oaChannel(s).idle();
    expect(s.oa.calls.filter((c) => c.method === 'message/cs').length).toBe(callsBefore);
    // Nothing is recorded as said to the citizen.
    expect((await detail(staff, id)).transcript.some((m) => m.text.includes('Anh còn cần hỗ trợ'))).toBe(false);

    // The citizen writes first: the window opens again, and the reply goes out.
    await s.zaloSays(citizen, 'tôi vẫn cần hỗ trợ');
    const reopened = (await detail(staff, id)).channelStatus;
    expect(reopened?.replyWindow?.open).toBe(true);
    expect(reopened?.replyWindow?.freeRepliesLeft).toBe(8);
    expect(reopened?.blocked).toBeUndefined();
    expect((await staff.post(`/staff/api/tickets/${id}/reply`, { text: 'Dạ, tôi nghe đây ạ.' })).status).toBe(200);
    await oaChannel(s).idle();
    expect(s.oa.sent(citizen).at(-1)?.text).toContain('Dạ, tôi nghe đây ạ.');
  });

  it('refuses a reply to a citizen who unfollowed the OA, without calling Zalo', async () => {
    s = await startDeskServer();
    const citizen = zaloUser();
    await zaloTicket(s, citizen);
    const staff = await login(s);
    const id = await ticketOf(staff, 'zalo-oa', citizen);
    expect((await staff.post(`/staff/api/tickets/${id}/claim`)).status).toBe(200);
    await s.zaloUnfollows(citizen);
    const status = (await detail(staff, id)).channelStatus;
    expect(status?.unfollowed).toBe(true);
    expect(status?.blocked).toBe('unfollowed');
    await oaChannel(s).idle();
    const callsBefore = s.oa.calls.filter((c) => c.method === 'message/cs').length;
    const refused = await staff.post(`/staff/api/tickets/${id}/reply`, { text: 'Anh cần hỗ trợ gì thêm không ạ?' });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toBe('unfollowed');
    await oaChannel(s).idle();
    expect(s.oa.calls.filter((c) => c.method === 'message/cs').length).toBe(callsBefore);
  });

  it('a Telegram ticket beside a Zalo OA one shows no window and stays answerable after 8 days', async () => {
    s = await startDeskServer();
    const citizen = zaloUser();
    await zaloTicket(s, citizen);
    const chat = 7001;
    await s.telegramSays(chat, 'gặp cán bộ');
    await s.tg.waitFor(() => s!.tg.sent(chat).some((m) => m.text.includes('vị trí số')), 5000, 'the queue place on Telegram');
    const staff = await login(s);
    const zaloId = await ticketOf(staff, 'zalo-oa', citizen);
    const telegramId = await ticketOf(staff, 'telegram', String(chat));
    expect((await staff.post(`/staff/api/tickets/${telegramId}/claim`)).status).toBe(200);

    s.clock.offset = 8 * DAY;
    expect((await detail(staff, zaloId)).channelStatus?.blocked).toBe('window_closed');
    expect((await detail(staff, telegramId)).channelStatus).toBeUndefined();
    expect((await staff.post(`/staff/api/tickets/${telegramId}/reply`, { text: 'Chào bác ạ.' })).status).toBe(200);
    await s.tg.waitFor(() => s!.tg.sent(chat).some((m) => m.text.includes('Chào bác ạ.')), 5000, 'the staff reply on Telegram');
  });
});
