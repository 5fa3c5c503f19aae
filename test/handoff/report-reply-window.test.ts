/**
 * A staff answer to a report on a Zalo OA conversation whose reply window is closed (or whose
 * citizen unfollowed) is refused before Zalo is called: 409 with the reason the console shows,
 * the report stays open, and resolving it without an answer still works. Real server, fake OA.
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
const zaloUser = () => `55101857582630${String(nextCitizen++).padStart(5, '0')}`;

async function login(server: DeskServer): Promise<StaffClient> {
  const staff = await staffClient(server.url);
  expect((await staff.login('lan', STAFF_PASSWORD)).status).toBe(200);
  return staff;
}

const oaChannel = (server: DeskServer) => server.server.channels.find((c) => c.name === 'zalo-oa')!;

/** A Zalo OA citizen reports a problem (no call-back number); the report's id. */
async function zaloReport(server: DeskServer, staff: StaffClient, citizen: string): Promise<string> {
  for (const text of ['menu', 'phản ánh', 'Đèn đường hẻm 12 bị hỏng từ hôm qua', 'không']) {
    await server.zaloSays(citizen, text);
    await oaChannel(server).idle();
  }
  const reports = (await staff.get('/staff/api/reports')).json.reports as Array<{ id: string; conversationId: string; status: string }>;
  const found = reports.find((r) => r.conversationId === citizen);
  expect(found, `a report of ${citizen}`).toBeDefined();
  return found!.id;
}

const consoleMessages = {
  window_closed: 'Không gửi được: đã quá hạn trả lời qua kênh này',
  unfollowed: 'Không gửi được: người dân đã bỏ quan tâm Official Account.',
};

describe('answering a report when Zalo would refuse it', () => {
  for (const [reason, close] of [
    ['window_closed', (server: DeskServer) => void (server.clock.offset = 7 * DAY + 60_000)],
    ['unfollowed', (server: DeskServer, citizen: string) => server.zaloUnfollows(citizen)],
  ] as const) {
    it(`${reason}: 409 ${reason} before Zalo is called, the report stays open, and the console says why`, async () => {
      s = await startDeskServer();
      const staff = await login(s);
      const citizen = zaloUser();
      const id = await zaloReport(s, staff, citizen);
      await close(s, citizen);

      const callsBefore = s.oa.calls.filter((c) => c.method === 'message/cs').length;
      const refused = await staff.post(`/staff/api/reports/${id}/resolve`, { reply: 'Phường đã cử người sửa đèn ạ.' });
      expect(refused.status).toBe(409);
      expect(refused.json.error).toBe(reason);
      await oaChannel(s).idle();
      expect(s.oa.calls.filter((c) => c.method === 'message/cs').length).toBe(callsBefore);
      const report = (await staff.get(`/staff/api/reports/${id}`)).json.report as { status: string; reply?: string };
      expect(report.status).not.toBe('resolved');
      expect(report.reply).toBeUndefined();

      // What the console shows for that answer.
      const page = await (await fetch(`${s.url}/staff`)).text();
      expect(page).toContain(consoleMessages[reason]);

      // Resolved without an answer (staff called the citizen): fine.
      const resolved = await staff.post(`/staff/api/reports/${id}/resolve`, {});
      expect(resolved.status).toBe(200);
      expect((resolved.json.report as { status: string }).status).toBe('resolved');
    });
  }
});
