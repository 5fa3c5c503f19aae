/**
 * The whole handoff in headless Chromium: a citizen on (fake) Telegram asks for a person → the
 * ticket appears in an open console without a reload (banner, title, beep) → staff claims and
 * replies → the reply reaches the citizen through the Telegram API → the citizen writes (with
 * HTML and a script in it) → it shows in the console as text, and the assistant says nothing →
 * hand back → the assistant answers again.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelLabels } from '../../src/channels/index.js';
import type { RunningChannel } from '../../src/channels/open-channel.js';
import { telegramChannel } from '../../src/channels/telegram/telegram-channel.js';
import { silentLogger } from '../../src/conversation/logger.js';
import { staffRoutes } from '../../src/handoff/staff-routes.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { openTestChannel } from '../helpers/channels.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { handoffKit, type HandoffKit } from './handoff-kit.js';

const SECRET = 'tg-webhook-secret_handoff';
const PASSWORD = 'mật-khẩu-cán-bộ-1';
const CHAT = 4242;

let tg: FakeTelegram;
let kit: HandoffKit;
let channel: RunningChannel;
let app: FastifyInstance;
let browser: TestBrowser;
let base: string;
let nextUpdate = 1;

beforeAll(async () => {
  tg = await startFakeTelegram();
  // Staff replies go out through the citizen's channel; the channel exists after the conversation.
  kit = await handoffKit({ deliver: async (_channel, conversationId, messages) => channel.send(conversationId, messages) });
  ({ channel } = await openTestChannel(telegramChannel, { env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET }, conversation: kit.conversation }));
  await kit.handoff.accounts.add('lan', PASSWORD, 'Nguyễn Thị Lan');
  app = Fastify();
  await app.register(channel.routes);
  await app.register(staffRoutes({ handoff: kit.handoff, sessionSecret: 'browser-test-secret-0123456789', log: silentLogger, channelLabels: channelLabels() }));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await channel?.stop();
  await kit?.close();
  await tg?.stop();
});

async function citizenSays(text: string, chat = CHAT): Promise<void> {
  const id = nextUpdate++;
  const response = await app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    payload: { update_id: id, message: { message_id: id, date: 1_700_000_000, chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'Tư' }, text } },
  });
  expect(response.statusCode).toBe(200);
}

/** The page's live updates and a scrypt login take a while on a loaded machine (the default is 1 s). */
const LIVE = { timeout: 10_000 };

const sentTexts = (chat = CHAT) => tg.sent(chat).map((m) => m.text);

describe('staff console', () => {
  it('takes a chat over, answers the citizen on Telegram, shows their words as text, and hands back', async () => {
    const page = await browser.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${base}/staff`);
    await page.fill('#username', 'lan');
    await page.fill('#password', 'not-the-password');
    await page.click('#login-button');
    await expect.poll(() => page.locator('#login-error').textContent(), LIVE).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    await page.fill('#password', PASSWORD);
    await page.click('#login-button');
    await page.waitForSelector('#app:not(.hidden)');
    await page.waitForFunction(() => document.body.dataset.live === 'open');
    expect(await page.locator('[data-ticket]').count()).toBe(0);

    // The citizen asks for a person on Telegram; the console shows it without a reload.
    await citizenSays('đăng ký kết hôn');
    await citizenSays('gặp cán bộ');
    await tg.waitFor(() => sentTexts().some((t) => t.includes('vị trí số 1')), 5000, 'queue place sent to the citizen');
    const item = page.locator('[data-ticket]');
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid=notice]').isVisible(), LIVE).toBe(true);
    expect(await page.title()).toMatch(/^\(1\) Yêu cầu mới/);
    expect(await page.evaluate(() => (window as unknown as { __consoleBeeps: number }).__consoleBeeps)).toBeGreaterThanOrEqual(1);
    expect(await item.first().textContent()).toContain('Đang chờ');

    // Claim and reply.
    await item.first().click();
    await page.waitForSelector('[data-testid=ticket]:not(.hidden)');
    expect(await page.locator('#context').textContent()).toContain('đăng ký kết hôn');
    // Before the claim the reply box is replaced by what to do; with no colleague, no transfer.
    expect(await page.locator('#composer-hint').textContent()).toContain('Nhận xử lý');
    expect(await page.locator('#reply-form').isVisible()).toBe(false);
    expect(await page.locator('#transfer').isVisible()).toBe(false);
    await page.click('[data-testid=claim]');
    await page.waitForFunction(() => document.activeElement?.id === 'reply');
    expect(await page.locator('#composer-hint').isVisible()).toBe(false);
    await tg.waitFor(() => sentTexts().some((t) => t.includes('Nguyễn Thị Lan') && t.includes('đã tiếp nhận')), 5000, 'claim notice');
    await page.waitForFunction(() => !(document.getElementById('send') as HTMLButtonElement).disabled);
    await page.fill('[data-testid=reply]', 'Chào bác, bác cần đăng ký kết hôn cho ai ạ?');
    await page.click('[data-testid=send]');
    // Signed with the staff member's name, so the citizen knows a person answers.
    await tg.waitFor(() => sentTexts().includes('👤 <b>Nguyễn Thị Lan:</b> Chào bác, bác cần đăng ký kết hôn cho ai ạ?'), 5000, 'staff reply on Telegram');

    // The citizen writes, with markup and a script: it reaches the console as text, and the bot is silent.
    const sentBefore = sentTexts().length;
    // What led to the ticket is there already, both sides: the citizen's words and the assistant's.
    const citizenBefore = await page.locator('#transcript .msg.citizen').count();
    expect(citizenBefore).toBe(2);
    expect(await page.locator('#transcript .msg.bot').count()).toBeGreaterThan(0);
    const hostile = 'Cho con trai <b>tôi</b> <img src=x onerror="alert(1)"><script>alert(2)</script>';
    await citizenSays(hostile);
    const lastCitizen = page.locator('#transcript .msg.citizen').last();
    await expect.poll(async () => (await lastCitizen.count()) > 0 && (await lastCitizen.evaluate((n) => n.firstChild?.textContent)), LIVE).toBe(hostile);
    expect(await page.locator('#transcript b, #transcript img, #transcript script').count()).toBe(0);
    await citizenSays('menu');
    await expect.poll(() => page.locator('#transcript .msg.citizen').count(), LIVE).toBe(citizenBefore + 2);
    expect(sentTexts().length).toBe(sentBefore);
    expect(dialogs).toEqual([]);

    // Hand back: the citizen is told, and the assistant answers the next message.
    await page.click('[data-testid=hand-back]');
    await tg.waitFor(() => sentTexts().some((t) => t.includes('trợ lý tự động')), 5000, 'hand-back notice');
    // One chat's messages go out in order, so anything the assistant had said to the held chat
    // would come before the hand-back notice: nothing did.
    expect(sentTexts().slice(sentBefore)[0]).toContain('trợ lý tự động');
    await expect.poll(() => page.locator('[data-ticket]').count(), LIVE).toBe(0);
    await citizenSays('menu');
    await tg.waitFor(() => sentTexts().slice(sentBefore).some((t) => t.includes('Anh/chị cần gì ạ?')), 5000, 'the assistant answering again');
    await page.close();
  });

  it('says a ticket is in English, and offers its quick replies in English', async () => {
    const chat = 4343;
    const page = await browser.context.newPage();
    await page.goto(`${base}/staff`);
    // Logged in already when the test above ran (one browser profile); else log in.
    await page.waitForSelector('#app:not(.hidden), #login:not(.hidden)');
    if (await page.locator('#login').isVisible()) {
      await page.fill('#username', 'lan');
      await page.fill('#password', PASSWORD);
      await page.click('#login-button');
    }
    await page.waitForSelector('#app:not(.hidden)');
    await citizenSays('I want to renew my passport', chat);
    await citizenSays('talk to a person', chat);
    await tg.waitFor(() => sentTexts(chat).some((t) => t.includes('You are number 1')), 5000, 'the queue place in English');
    await page.locator('[data-ticket]').first().click({ timeout: 8000 });
    await page.waitForSelector('[data-testid=ticket]:not(.hidden)');
    expect(await page.locator('#context').textContent()).toContain('Tiếng Anh: người dân đọc tiếng Anh');
    await page.click('[data-testid=claim]');
    await tg.waitFor(() => sentTexts(chat).some((t) => t.startsWith('Staff member Nguyễn Thị Lan has taken your request.')), 5000, 'the English claim notice');
    const greet = page.locator('#quick button', { hasText: 'Hello, I am a staff member' });
    await greet.waitFor({ timeout: 8000 });
    expect(await page.locator('#quick').textContent()).not.toContain('Chào anh/chị');
    await greet.click();
    await page.click('[data-testid=send]');
    await tg.waitFor(() => sentTexts(chat).some((t) => t.startsWith('👤 <b>Nguyễn Thị Lan:</b> Hello, I am a staff member of')), 5000, 'the English quick reply');
    await page.close();
  });
});
