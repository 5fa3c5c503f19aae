/**
 * The reply window as staff read it, in headless Chromium against the real server (Redis, the
 * desk, Zalo OA on the fake OA, Telegram on the fake Bot API): a Zalo OA ticket shows the free
 * replies left and "đã xem"; seven days after the citizen's last message a reply typed in the open
 * page is refused with the reason (Zalo is not called) and the reply box gives way to what to do;
 * a Telegram ticket shows no window and keeps its reply box.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { staffClient } from './staff-client.js';
import { DAY, startDeskServer, STAFF_PASSWORD, type DeskServer } from './desk-server-kit.js';

/** Each step's own limit, so a slow run names the step that waited (the machine is shared). */
const WAIT = { timeout: 10_000 };

let s: DeskServer;
let browser: TestBrowser;

beforeAll(async () => {
  s = await startDeskServer();
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe('staff console: reply window', () => {
  it('shows the window and "đã xem" for a Zalo OA ticket, refuses a reply after 7 days with the reason, and shows nothing for Telegram', async () => {
    const citizen = '5510185758261999001';
    const oa = s.server.channels.find((c) => c.name === 'zalo-oa')!;
    await s.zaloSays(citizen, 'gặp cán bộ');
    await oa.idle();
    await s.zaloReports(citizen, 'user_seen_message');
    const chat = 7002;
    await s.telegramSays(chat, 'gặp cán bộ');
    await s.tg.waitFor(() => s.tg.sent(chat).some((m) => m.text.includes('vị trí số')), 5000, 'the queue place on Telegram');
    const api = await staffClient(s.url);
    await api.login('lan', STAFF_PASSWORD);
    const tickets = (await api.get('/staff/api/tickets')).json.tickets as Array<{ id: string; channel: string }>;
    const zaloTicket = tickets.find((t) => t.channel === 'zalo-oa')!;
    const telegramTicket = tickets.find((t) => t.channel === 'telegram')!;
    // Claimed before the page opens, so no live update of the claim can redraw the page while
    // the test moves the clock below: the page shows the window as it was when it loaded.
    expect((await api.post(`/staff/api/tickets/${zaloTicket.id}/claim`)).status).toBe(200);
    await oa.idle();
    // Every message to the citizen since they wrote (the assistant's answer, the claim notice) used a free reply.
    const sentSinceLast = s.oa.sent(citizen).length;

    const page = await browser.context.newPage();
    page.setDefaultTimeout(WAIT.timeout);
    await page.goto(`${s.url}/staff`);
    await page.fill('#username', 'lan');
    await page.fill('#password', STAFF_PASSWORD);
    await page.click('#login-button');
    await page.waitForSelector('#app:not(.hidden)', WAIT);

    await page.click(`[data-ticket="${zaloTicket.id}"]`);
    const reach = page.locator('[data-testid=reach]');
    await reach.waitFor(WAIT);
    const open = await reach.textContent();
    expect(open).toContain(`Còn ${8 - sentSinceLast} tin trả lời miễn phí`);
    expect(open).toContain('7 ngày sau tin nhắn cuối của người dân');
    expect(open).toContain('đã xem');
    await page.waitForFunction(() => !(document.getElementById('send') as HTMLButtonElement).disabled, undefined, WAIT);
    expect(await page.locator('#reply-form').isVisible()).toBe(true);

    // A week and a minute later, with the page still open: the reply typed is refused, with the reason.
    s.clock.offset = 7 * DAY + 60_000;
    const calls = s.oa.calls.filter((c) => c.method === 'message/cs').length;
    await page.fill('[data-testid=reply]', 'Anh còn cần hỗ trợ không ạ?');
    await page.click('[data-testid=send]');
    await expect.poll(() => page.locator('#action-error').textContent(), WAIT).toContain('người dân cần nhắn trước');
    await expect.poll(() => page.locator('#reply-form').isVisible(), WAIT).toBe(false);
    expect(await page.locator('#quick').isVisible()).toBe(false);
    expect(await page.locator('#composer-hint').textContent()).toContain('Không gửi được tin nhắn: đã quá hạn trả lời, người dân cần nhắn trước.');
    expect(await reach.textContent()).toContain('Hết hạn trả lời: đã quá 7 ngày từ tin nhắn cuối của người dân');
    await oa.idle();
    expect(s.oa.calls.filter((c) => c.method === 'message/cs').length).toBe(calls);

    // Telegram has no window: nothing shown, the reply box offered once claimed.
    await page.click(`[data-ticket="${telegramTicket.id}"]`);
    await expect.poll(() => page.locator('#transcript').getAttribute('data-shown'), WAIT).toBe(telegramTicket.id);
    expect(await reach.isVisible()).toBe(false);
    await page.click('[data-testid=claim]');
    await expect.poll(() => page.locator('#reply-form').isVisible(), WAIT).toBe(true);
    expect(await reach.isVisible()).toBe(false);
    await page.close();
  }, 90_000);
});
