import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningChannel } from '../../../src/channels/open-channel.js';
import { telegramChannel } from '../../../src/channels/telegram/telegram-channel.js';
import { createRedisClient, type RedisClient } from '../../../src/store/redis-connection.js';
import { createRedisSessionStore } from '../../../src/store/redis-session-store.js';
import { realAssistant } from '../../helpers/assistant.js';
import { openTestChannel } from '../../helpers/channels.js';
import { startFakeTelegram, type FakeSentMessage, type FakeTelegram } from '../../helpers/fake-telegram.js';
import { startRedisServer } from '../../helpers/redis.js';
import { buildConversation, captureLogger, type CapturedLog } from './conversation-kit.js';

const SECRET = 'tg-webhook-secret_123';

let tg: FakeTelegram;
let app: FastifyInstance;
let channel: RunningChannel;
let captured: CapturedLog;
let nextUpdateId = 1;
let nextChat = 1000;

function textUpdate(chatId: number, text: string, updateId = nextUpdateId++) {
  return { update_id: updateId, message: { message_id: updateId, date: 1_700_000_000, chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'Lan' }, text } };
}
function pressUpdate(chatId: number, data: string, updateId = nextUpdateId++) {
  return {
    update_id: updateId,
    callback_query: { id: `cb-${updateId}`, chat_instance: 'ci', data, from: { id: chatId, is_bot: false, first_name: 'Lan' }, message: { message_id: 1, date: 1, chat: { id: chatId, type: 'private' }, text: 'x' } },
  };
}
function post(body: unknown, secret: string | null = SECRET) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
function buttons(message: FakeSentMessage): Array<{ text: string; callback_data?: string; url?: string }> {
  return (message.reply_markup?.inline_keyboard ?? []).flat();
}

async function buildApp(options: { store?: Parameters<typeof buildConversation>[1] } = {}): Promise<void> {
  captured = captureLogger();
  const { conversation } = buildConversation(captured.log, options.store);
  ({ channel, app } = await openTestChannel(telegramChannel, {
    env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET },
    conversation,
    log: captured.log,
    tuning: { maxRetryWaitSeconds: 5 },
  }));
}

beforeAll(async () => {
  tg = await startFakeTelegram();
});
afterAll(async () => {
  await tg.stop();
});
beforeEach(async () => {
  await buildApp();
});
afterEach(async () => {
  await channel.stop();
  await app.close();
  // No line logged during the test may contain the token or its secret half.
  const secretHalf = tg.token.split(':')[1]!;
  for (const line of captured.lines) {
    expect(line).not.toContain(secretHalf);
    expect(line).not.toContain(encodeURIComponent(tg.token));
  }
});

describe('Telegram webhook', () => {
  it('answers /start with the greeting and the main menu as an inline keyboard, to the right chat', async () => {
    const chat = nextChat++;
    const res = await post(textUpdate(chat, '/start'));
    expect(res.statusCode).toBe(200);
    const sent = await tg.waitFor(() => (tg.sent(chat).some((m) => buttons(m).length > 0) ? tg.sent(chat) : undefined));
    expect(sent[0]!.text).toContain('Xin chào');
    expect(sent[0]!.parse_mode).toBe('HTML');
    const menu = sent.at(-1)!;
    expect(buttons(menu).map((b) => b.callback_data)).toEqual(['find', 'online', 'status', 'person', 'report', 'language']);
    expect(tg.sent().every((m) => String(m.chat_id) === String(chat) || !m)).toBe(true);
  });

  it('opens the procedure card of a /start deep link, in Telegram HTML with buttons', async () => {
    const chat = nextChat++;
    expect((await post(textUpdate(chat, '/start khai-sinh'))).statusCode).toBe(200);
    const sent = await tg.waitFor(() => (tg.sent(chat).some((m) => buttons(m).some((b) => b.callback_data === 'checklist')) ? tg.sent(chat) : undefined));
    const card = sent.find((m) => m.text.includes('Đăng ký khai sinh'))!;
    expect(card.text).toContain('<b>Đăng ký khai sinh</b>');
    expect(buttons(sent.at(-1)!).map((b) => b.callback_data)).toContain('online');
  });

  it('handles a button press: answers the callback query and continues the conversation', async () => {
    const chat = nextChat++;
    await post(textUpdate(chat, '/start khai-sinh'));
    await tg.waitFor(() => tg.sent(chat).some((m) => buttons(m).some((b) => b.callback_data === 'online')));
    const before = tg.sent(chat).length;
    const press = pressUpdate(chat, 'online');
    const answer = await post(press);
    expect(answer.statusCode).toBe(200);
    // The press is answered in the webhook response, as Telegram allows, not with a request.
    expect(answer.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: press.callback_query.id });
    const after = await tg.waitFor(() => (tg.sent(chat).length > before ? tg.sent(chat).slice(before) : undefined));
    expect(tg.calls.some((c) => c.method === 'answerCallbackQuery')).toBe(false);
    // The online steps come with the portal as a URL button.
    await tg.waitFor(() => tg.sent(chat).slice(before).some((m) => buttons(m).some((b) => b.url?.startsWith('https://'))), 5000, 'a URL button');
    expect(after.length).toBeGreaterThan(0);
  });

  it('refuses a wrong or missing secret with 401 and sends nothing', async () => {
    const chat = nextChat++;
    expect((await post(textUpdate(chat, '/start'), 'wrong-secret')).statusCode).toBe(401);
    expect((await post(textUpdate(chat, '/start'), null)).statusCode).toBe(401);
    expect((await post(textUpdate(chat, '/start'), '')).statusCode).toBe(401);
    // Even a malformed body is refused for the secret first: nothing is read.
    expect((await post('{not json', 'wrong')).statusCode).toBe(401);
    await channel.stop();
    expect(tg.sent(chat)).toEqual([]);
  });

  it('answers malformed JSON with 400 and a clean body, and an oversized body with 413', async () => {
    const bad = await post('{"update_id": 5, "message": {oops <script>');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: 'bad_request' });
    const huge = await post({ update_id: 6, message: { text: 'x'.repeat(300 * 1024) } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toEqual({ error: 'payload_too_large' });
    const noId = await post({ message: { text: 'hi' } });
    expect(noId.statusCode).toBe(400);
  });

  it('answers 200 to update types it does not handle and sends nothing', async () => {
    const chat = nextChat++;
    const calls = tg.calls.length;
    const res = await post({ update_id: nextUpdateId++, edited_message: { message_id: 1, date: 1, chat: { id: chat, type: 'private' }, text: 'sửa' } });
    expect(res.statusCode).toBe(200);
    expect((await post({ update_id: nextUpdateId++, my_chat_member: { chat: { id: chat, type: 'private' } } })).statusCode).toBe(200);
    await channel.stop();
    expect(tg.calls.length).toBe(calls);
  });

  it('answers the same update delivered twice only once', async () => {
    const chat = nextChat++;
    const update = textUpdate(chat, '/start');
    expect((await post(update)).statusCode).toBe(200);
    expect((await post(update)).statusCode).toBe(200);
    await channel.stop();
    const greetings = tg.sent(chat).filter((m) => m.text.includes('Xin chào'));
    expect(greetings.length).toBe(1);
  });

  it('splits a long staff message at 4096 characters on line boundaries, keyboard on the last part', async () => {
    const chat = nextChat++;
    const lines = Array.from({ length: 120 }, (_, i) => `${i + 1}. Bước ${i + 1}: ${'chuẩn bị giấy tờ & nộp <hồ sơ> '.repeat(2)}`);
    await channel.send(String(chat), [{ text: lines.join('\n'), choices: [{ id: 'menu', label: '🏠 Về menu chính' }] }]);
    const sent = tg.sent(chat);
    expect(sent.length).toBe(3);
    // Sent as valid HTML the first time (the fake refuses bad HTML, and the plain fallback is not used).
    for (const part of sent) expect(part.parse_mode).toBe('HTML');
    expect(captured.find('refused the HTML')).toEqual([]);
    for (const part of sent.slice(0, -1)) expect(buttons(part)).toEqual([]);
    expect(buttons(sent.at(-1)!)).toEqual([{ text: '🏠 Về menu chính', callback_data: 'menu' }]);
    // Every part starts on a line of its own and the lines come back whole, escaped.
    const visible = sent.map((m) => m.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    expect(visible.join('\n')).toBe(lines.join('\n'));
  });

  it('falls back to plain text if Telegram ever refuses the HTML', async () => {
    const chat = nextChat++;
    tg.failNext('sendMessage', { status: 400, description: "Bad Request: can't parse entities: unsupported start tag" });
    await channel.send(String(chat), [{ text: '**Lệ phí:** 8.000 đồng <bản sao>' }]);
    expect(tg.sent(chat)).toHaveLength(1);
    expect(tg.sent(chat)[0]).toMatchObject({ text: 'Lệ phí: 8.000 đồng <bản sao>' });
    expect(tg.sent(chat)[0]!.parse_mode).toBeUndefined();
    expect(captured.find('refused the HTML')).toHaveLength(1);
  });

  it('waits out a 429 retry_after and delivers', async () => {
    const chat = nextChat++;
    tg.failNext('sendMessage', { status: 429, retryAfter: 1 });
    await post(textUpdate(chat, '/start'));
    await tg.waitFor(() => tg.sent(chat).some((m) => buttons(m).length > 0));
    expect(captured.find('rate limit').length).toBe(1);
    expect(tg.calls.some((c) => c.method === 'sendMessage' && c.status === 429)).toBe(true);
  });

  it('survives a 500, a dropped connection and a blocked user: logs them and handles the next update', async () => {
    const chat = nextChat++;
    tg.failNext('sendMessage', { status: 500 });
    expect((await post(textUpdate(chat, '/start'))).statusCode).toBe(200);
    await tg.waitFor(() => captured.find('telegram send failed').length === 1);

    tg.failNext('sendMessage', { drop: true });
    expect((await post(textUpdate(chat, '/start'))).statusCode).toBe(200);
    await tg.waitFor(() => captured.find('telegram send failed').length === 2);
    // The request left and the connection was cut: Telegram may have delivered it.
    expect(captured.find('telegram send failed')[1]).toContain('maybe_delivered');
    expect(captured.find('telegram send failed')[0]).toContain('server_error');

    tg.failNext('sendMessage', { status: 403 });
    expect((await post(textUpdate(chat, 'menu'))).statusCode).toBe(200);
    await tg.waitFor(() => captured.find('citizen unreachable (blocked)').length === 1);

    const before = tg.sent(chat).length;
    expect((await post(textUpdate(chat, '/start'))).statusCode).toBe(200);
    await tg.waitFor(() => tg.sent(chat).length > before && tg.sent(chat).at(-1)!.reply_markup);
  });

  it('logs without the token when the Bot API is down, and a staff send reports the failure', async () => {
    const chat = nextChat++;
    await tg.stop();
    try {
      expect((await post(textUpdate(chat, '/start'))).statusCode).toBe(200);
      await tg.waitFor(() => captured.find('telegram send failed').length > 0);
      // Nothing listens: the request never left, so a retry is safe.
      await expect(channel.send(String(chat), [{ text: 'Chào anh/chị' }])).rejects.toMatchObject({ code: 'delivery_failed', failure: 'transient', reason: 'network', delivered: 0 });
      expect(captured.find('telegram send failed').join('\n')).not.toContain(tg.token);
      expect(captured.find('telegram send failed').join('\n')).toContain('<redacted>');
    } finally {
      await tg.restart();
    }
  });

  it('registers the webhook at PUBLIC_URL with the secret, and sets the command menu and description', async () => {
    await channel.start('https://xa.example.gov.vn/');
    expect(tg.webhook()).toEqual({ url: 'https://xa.example.gov.vn/webhooks/telegram', secret_token: SECRET });
    expect(channel.problem()).toBeUndefined();
    // Every global command of flows/commands.yaml, by its first slash form and first words.
    expect(tg.profile.commands).toEqual([
      { command: 'menu', description: 'Menu' },
      { command: 'back', description: 'Quay lại' },
      { command: 'start', description: 'Bắt đầu lại' },
      { command: 'help', description: 'Trợ giúp' },
      { command: 'canbo', description: 'Gặp cán bộ' },
      { command: 'huy', description: 'Hủy' },
      { command: 'xoa', description: 'Xóa dữ liệu' },
      { command: 'english', description: 'English' },
      { command: 'tiengviet', description: 'Tiếng Việt' },
      { command: 'lang', description: 'Ngôn ngữ' },
    ]);
    // The greeting's first line (what the bot does, for whom) and the unit's name, from content/.
    const { engine, catalog } = realAssistant();
    expect(tg.profile.description).toBe(engine.text('greeting.hello').split('\n')[0]);
    expect(tg.profile.description).toMatch(/^Xin chào anh\/chị! Tôi là trợ lý dịch vụ công của /);
    expect(tg.profile.shortDescription).toBe(catalog.unit.name);
    await fetch(`${tg.apiRoot}/bot${tg.token}/deleteWebhook`, { method: 'POST' });
  });
});

describe('Telegram webhook when the session store is down', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let client: RedisClient;
  beforeEach(async () => {
    redis = await startRedisServer();
    client = createRedisClient({ REDIS_URL: redis.url });
    await app.close();
    await buildApp({ store: createRedisSessionStore({ redis: client, prefix: 'tgtest:', sessionTtlSeconds: 60, dedupeTtlSeconds: 60 }) });
  });
  afterEach(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('sends the apology and answers 503 so Telegram redelivers; the redelivery is not apologised twice', async () => {
    const chat = nextChat++;
    await redis.stop();
    const update = textUpdate(chat, 'xin giay doc than');
    const res = await post(update);
    expect(res.statusCode).toBe(503);
    const sent = await tg.waitFor(() => (tg.sent(chat).length > 0 ? tg.sent(chat) : undefined));
    expect(sent.length).toBe(1);
    expect((await post(update)).statusCode).toBe(503);
    await channel.stop();
    expect(tg.sent(chat).length).toBe(1);
  });
});
