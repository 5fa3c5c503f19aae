import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningChannel } from '../../../src/channels/open-channel.js';
import { toInbound } from '../../../src/channels/zalo/to-inbound.js';
import { zaloChannel } from '../../../src/channels/zalo/zalo-channel.js';
import { loadConfig } from '../../../src/config.js';
import { createRedisClient, type RedisClient } from '../../../src/store/redis-connection.js';
import { createRedisSessionStore } from '../../../src/store/redis-session-store.js';
import { openTestChannel } from '../../helpers/channels.js';
import { startFakeZalo, zaloMessageId, zaloText, type FakeZalo } from '../../helpers/fake-zalo.js';
import { startRedisServer } from '../../helpers/redis.js';
import { buildConversation, captureLogger, type CapturedLog } from '../telegram/conversation-kit.js';

const SECRET = 'mykey-abcxyz-zalo';
let zalo: FakeZalo;
let app: FastifyInstance;
let channel: RunningChannel;
let captured: CapturedLog;
let nextChat = 1;

const chatId = () => `u${(nextChat++).toString(16).padStart(19, '0')}`;
const wrapped = (update: Record<string, unknown>) => ({ ok: true, result: update });

function post(body: unknown, secret: string | null = SECRET) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/zalo',
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-bot-api-secret-token': secret } : {}) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function buildApp(store?: Parameters<typeof buildConversation>[1]): Promise<void> {
  captured = captureLogger();
  const { conversation } = buildConversation(captured.log, store);
  ({ channel, app } = await openTestChannel(zaloChannel, { env: { ZALO_BOT_TOKEN: zalo.token, ZALO_API_ROOT: zalo.apiRoot, ZALO_WEBHOOK_SECRET: SECRET }, conversation, log: captured.log }));
}

beforeAll(async () => {
  zalo = await startFakeZalo();
});
afterAll(async () => {
  await zalo.stop();
});
beforeEach(async () => {
  await buildApp();
});
afterEach(async () => {
  await channel.stop();
  await app.close();
  const secretHalf = zalo.token.split(':')[1]!;
  for (const line of captured.lines) expect(line).not.toContain(secretHalf);
});

describe('Zalo webhook', () => {
  it('answers /start with the greeting and the main menu as numbered lines (documented wrapped form)', async () => {
    const chat = chatId();
    const res = await post(wrapped(zaloText(chat, '/start')));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ message: 'Success' });
    const sent = await zalo.waitFor(() => (zalo.sent(chat).some((m) => /\n1\. /.test(m.text)) ? zalo.sent(chat) : undefined));
    expect(sent[0]!.text).toContain('Xin chào');
    const menu = sent.at(-1)!.text;
    expect(menu).toMatch(/^1\. .+\n2\. .+\n3\. .+\n4\. .+\n5\. .+$/m);
    expect(menu).not.toContain('**');
  });

  it('accepts the flat form too, and the citizen may answer with the number of a choice', async () => {
    const chat = chatId();
    await post(zaloText(chat, '/start khai-sinh'));
    const card = await zalo.waitFor(() => zalo.sent(chat).find((m) => m.text.includes('Đăng ký khai sinh')));
    expect(card.text).not.toContain('**');
    const choices = await zalo.waitFor(() => zalo.sent(chat).at(-1)!.text.match(/^(\d)\. .*Nộp trực tuyến/m));
    const before = zalo.sent(chat).length;
    expect((await post(zaloText(chat, choices[1]!))).statusCode).toBe(200);
    const after = await zalo.waitFor(() => (zalo.sent(chat).length > before ? zalo.sent(chat).slice(before) : undefined));
    // The online steps show the portal as a "label: url" line.
    await zalo.waitFor(() => zalo.sent(chat).slice(before).some((m) => /🔗 .+: https:\/\//.test(m.text)), 10_000, 'a link line');
    expect(after.length).toBeGreaterThan(0);
  });

  it('turns images, stickers, voice and unsupported events into media the engine answers politely', async () => {
    const chat = chatId();
    const image = { event_name: 'message.image.received', message: { from: { id: chat }, chat: { id: chat, chat_type: 'PRIVATE' }, message_id: zaloMessageId(), date: 1, photo: 'https://f21-zpc.zdn.vn/jpg/1/2.jpg' } };
    expect(toInbound(image)).toMatchObject({ inbound: { kind: 'media', mediaType: 'image', conversationId: chat } });
    expect(toInbound({ ...image, event_name: 'message.unsupported.received' })).toMatchObject({ inbound: { kind: 'media', mediaType: 'unsupported' } });
    expect(toInbound({ event_name: 'user.follow' })).toHaveProperty('ignore');
    expect(toInbound({ event_name: 'message.text.received', message: { from: { id: 7 }, chat: { id: 7 }, message_id: 5, text: 'hi' } })).toMatchObject({ inbound: { conversationId: '7', platformMessageId: '5' } });
    expect((await post(wrapped(image))).statusCode).toBe(200);
    const reply = await zalo.waitFor(() => zalo.sent(chat)[0]);
    expect(reply.text.length).toBeGreaterThan(0);
  });

  it('refuses a wrong or missing secret with 401 and sends nothing', async () => {
    const chat = chatId();
    expect((await post(wrapped(zaloText(chat, '/start')), 'wrong-secret')).statusCode).toBe(401);
    expect((await post(wrapped(zaloText(chat, '/start')), null)).statusCode).toBe(401);
    expect((await post('{broken', 'nope')).statusCode).toBe(401);
    await channel.stop();
    expect(zalo.sent(chat)).toEqual([]);
  });

  it('answers malformed JSON and bodies without an event with 400, oversized ones with 413, other events with 200', async () => {
    const bad = await post('{"ok": true, "result": {');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: 'bad_request' });
    expect((await post({ ok: true, result: { message: {} } })).statusCode).toBe(400);
    const huge = await post(wrapped(zaloText(chatId(), 'x'.repeat(300 * 1024))));
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toEqual({ error: 'payload_too_large' });
    const calls = zalo.calls.length;
    expect((await post(wrapped({ event_name: 'user.follow', follower: { id: 'x' } }))).statusCode).toBe(200);
    await channel.stop();
    expect(zalo.calls.length).toBe(calls);
  });

  it('answers the same message delivered twice only once', async () => {
    const chat = chatId();
    const update = wrapped(zaloText(chat, '/start'));
    expect((await post(update)).statusCode).toBe(200);
    expect((await post(update)).statusCode).toBe(200);
    await channel.stop();
    expect(zalo.sent(chat).filter((m) => m.text.includes('Xin chào')).length).toBe(1);
  });

  it('splits a long staff message at 2000 characters on line boundaries, numbered choices at the end', async () => {
    const chat = chatId();
    const lines = Array.from({ length: 60 }, (_, i) => `- Bước ${i + 1}: ${'chuẩn bị giấy tờ và nộp hồ sơ '.repeat(2)}`);
    await channel.send(chat, [{ text: lines.join('\n'), choices: [{ id: 'menu', label: '🏠 Về menu chính' }, { id: 'person', label: '👤 Gặp cán bộ' }] }]);
    const sent = zalo.sent(chat);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const part of sent) expect(part.text.length).toBeLessThanOrEqual(2000);
    expect(sent.at(-1)!.text).toMatch(/1\. 🏠 Về menu chính\n2\. 👤 Gặp cán bộ$/);
    expect(sent.map((m) => m.text).join('\n').split('\n').filter((l) => l.startsWith('- '))).toEqual(lines);
  });

  it('retries a 429, survives 500s, non-JSON bodies and dropped connections, and handles the next message', async () => {
    const chat = chatId();
    zalo.failNext('sendMessage', { status: 429, httpStatus: 200 });
    await post(wrapped(zaloText(chat, '/start')));
    // Zalo answers a rate limit with HTTP 200 and an error code, so the fake counts the refused
    // call as sent too: wait for the retry's log line as well as for a numbered menu.
    await zalo.waitFor(() => captured.find('zalo rate limit').length === 1 && zalo.sent(chat).filter((m) => /\n1\. /.test(m.text)).length >= 2);
    expect(captured.find('zalo rate limit').length).toBe(1);

    zalo.failNext('sendMessage', { status: 500 });
    expect((await post(wrapped(zaloText(chat, 'menu')))).statusCode).toBe(200);
    zalo.failNext('sendMessage', { status: 502, body: `<html>upstream /bot${zalo.token}/sendMessage</html>` });
    expect((await post(wrapped(zaloText(chat, 'menu')))).statusCode).toBe(200);
    zalo.failNext('sendMessage', { drop: true });
    expect((await post(wrapped(zaloText(chat, 'menu')))).statusCode).toBe(200);
    await zalo.waitFor(() => captured.find('zalo send failed').length === 3);
    expect(captured.find('zalo send failed')[1]).toContain('<redacted>');

    const before = zalo.sent(chat).length;
    await post(wrapped(zaloText(chat, '/start')));
    // Earlier replies may still arrive late (retries); the greeting must come after them.
    await zalo.waitFor(() => zalo.sent(chat).slice(before).some((m) => m.text.includes('Xin chào')));
  });

  it('registers the webhook with the secret; a secret Zalo would refuse stops the server at start', async () => {
    await channel.start('https://xa.example.gov.vn');
    expect(zalo.webhook()).toEqual({ url: 'https://xa.example.gov.vn/webhooks/zalo', secret_token: SECRET });
    expect(channel.problem()).toBeUndefined();
    expect(() => loadConfig({ ZALO_BOT_TOKEN: zalo.token, ZALO_WEBHOOK_SECRET: 'short' })).toThrow(/ZALO_WEBHOOK_SECRET/);
    await fetch(`${zalo.apiRoot}/bot${zalo.token}/deleteWebhook`, { method: 'POST' });
  });
});

describe('Zalo webhook when the session store is down', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let client: RedisClient;
  beforeEach(async () => {
    redis = await startRedisServer();
    client = createRedisClient({ REDIS_URL: redis.url });
    await channel.stop();
    await app.close();
    await buildApp(createRedisSessionStore({ redis: client, prefix: 'zalotest:', sessionTtlSeconds: 60, dedupeTtlSeconds: 60 }));
  });
  afterEach(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('sends the apology and answers 503 so Zalo redelivers', async () => {
    const chat = chatId();
    await redis.stop();
    const update = wrapped(zaloText(chat, 'xin giay doc than'));
    expect((await post(update)).statusCode).toBe(503);
    await zalo.waitFor(() => zalo.sent(chat).length === 1);
    expect((await post(update)).statusCode).toBe(503);
    await channel.stop();
    expect(zalo.sent(chat).length).toBe(1);
  });
});
