import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningChannel } from '../../../src/channels/open-channel.js';
import { telegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { openTestChannel } from '../../helpers/channels.js';
import { startFakeTelegram, type FakeTelegram } from '../../helpers/fake-telegram.js';
import { buildConversation, captureLogger, type CapturedLog } from './conversation-kit.js';

let tg: FakeTelegram;
let channel: RunningChannel;

async function open(token = tg.token): Promise<RunningChannel> {
  const { channel: opened } = await openTestChannel(telegramChannel, {
    env: { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: tg.apiRoot },
    conversation: buildConversation(captured.log).conversation,
    log: captured.log,
  });
  return opened;
}
let captured: CapturedLog;

function message(chatId: number, text: string) {
  return { message: { message_id: 1, date: 1_700_000_000, chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'Minh' }, text } };
}

beforeEach(async () => {
  tg = await startFakeTelegram();
  captured = captureLogger();
  channel = await open();
});
afterEach(async () => {
  await channel.stop();
  await tg.stop();
  for (const line of captured.lines) expect(line).not.toContain(tg.token.split(':')[1]!);
});

describe('Telegram long polling', () => {
  it('removes a leftover webhook, fetches updates and answers each chat in order', async () => {
    await fetch(`${tg.apiRoot}/bot${tg.token}/setWebhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://old.example.org/hook' }) });
    expect(tg.webhook()).toBeDefined();
    await channel.start();
    tg.pushUpdate(message(501, '/start'));
    tg.pushUpdate(message(502, '/start khai-sinh'));
    tg.pushUpdate(message(501, 'tìm thủ tục'));
    await tg.waitFor(() => tg.sent(502).some((m) => m.text.includes('Đăng ký khai sinh')), 10_000, 'the card in chat 502');
    const chat501 = await tg.waitFor(() => (tg.sent(501).length >= 2 ? tg.sent(501) : undefined), 10_000, 'two replies in chat 501');
    // The greeting with the menu of /start comes before the answer to the second message.
    expect(chat501[0]!.text).toContain('Xin chào');
    expect(JSON.stringify(chat501[0]!.reply_markup ?? '')).toContain('"find"');
    expect(chat501[1]!.text).toContain('Anh/chị cần làm thủ tục gì');
    expect(tg.webhook()).toBeUndefined();
    expect(tg.calls.some((c) => c.method === 'deleteWebhook')).toBe(true);
  });

  it('keeps polling through getUpdates failures', async () => {
    tg.failNext('getUpdates', { status: 502, body: '<html>Bad Gateway</html>' });
    await channel.start();
    await tg.waitFor(() => captured.find('getUpdates failed').length > 0, 10_000, 'the logged failure');
    tg.pushUpdate(message(600, '/start'));
    await tg.waitFor(() => tg.sent(600).some((m) => m.reply_markup), 10_000, 'the menu after the failure');
  });

  it('stop() waits for replies in flight and confirms the handled updates', async () => {
    await channel.start();
    // The first reply is rate limited for a second: stop() is called while it waits.
    tg.failNext('sendMessage', { status: 429, retryAfter: 1 });
    tg.pushUpdate(message(700, '/start'));
    await tg.waitFor(() => tg.calls.some((c) => c.method === 'sendMessage' && c.status === 429), 10_000, 'the 429');
    await channel.stop();
    expect(tg.sent(700).some((m) => m.reply_markup)).toBe(true);
    const last = tg.calls.filter((c) => c.method === 'getUpdates').at(-1)!;
    expect(last.params).toMatchObject({ timeout: 0 });
    expect(Number(last.params.offset)).toBeGreaterThan(0);
  });

  it('stops polling when the token is refused, and says why', async () => {
    const wrong = await open('999:wrong-token-value-xyz-0123456789abcdef');
    await wrong.start();
    await tg.waitFor(() => captured.find('rejected the bot token').length > 0, 10_000, 'the token error');
    expect(wrong.problem()).toBe('telegram not connected');
    // A refused token is not retried: one attempt, then it waits for the operator.
    expect(tg.calls.filter((c) => c.method === 'deleteWebhook' && c.status === 401)).toHaveLength(1);
    await wrong.stop();
    expect(captured.lines.join('\n')).not.toContain('wrong-token-value-xyz');
  });
});
