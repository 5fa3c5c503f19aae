/**
 * @module 200 concurrent updates over two server instances sharing one Redis, with the fake Bot
 * API failing 20 % of sendMessage calls at random (seeded: half HTTP 500, half 429 with
 * retry_after 1): every conversation gets all its replies, in order, once. Each conversation's
 * messages alternate between the instances, as a load balancer would spread them.
 */
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/create-logger.js';
import { startServer, type RunningServer } from '../../src/start-server.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';

const SCRIPT = ['/start', 'đăng ký kết hôn', 'menu', 'xin giay doc than', 'menu'];
const CHATS = 40; // × 5 messages = 200 updates
const SEED = 20_260_412;
const secret = 'load-tg-secret_1';

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function drained(servers: RunningServer[]): Promise<void> {
  for (;;) {
    await Promise.all(servers.map((s) => s.deliveries.idle()));
    if ((await servers[0]!.outbox.pending()).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('delivers all 200 replies over two instances with 20 % of sends failing, each conversation in order', async () => {
  const tg: FakeTelegram = await startFakeTelegram();
  cleanup.push(() => tg.stop());
  const prefix = uniquePrefix('load');
  const config = loadConfig({
    HOST: '127.0.0.1',
    REDIS_URL: redisUrlForTests(),
    REDIS_KEY_PREFIX: prefix,
    PUBLIC_URL: 'https://chatbot.phuong9.example',
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: secret,
    OUTBOX_SEND_TIMEOUT_SECONDS: '2',
    OUTBOX_RETRY_BASE_MS: '50',
    OUTBOX_RETRY_CAP_SECONDS: '1',
    OUTBOX_SWEEP_MS: '200',
  });
  const servers: RunningServer[] = [];
  for (let i = 0; i < 2; i++) {
    const server = await startServer(config, { logger: createLogger({ level: 'silent' }), port: 0, processMetrics: false, channels: { retryDelayMs: 50 } });
    servers.push(server);
    cleanup.push(() => server.close());
  }
  let updateId = 1;
  const post = (server: RunningServer, chat: number, text: string) => {
    const id = updateId++;
    return fetch(`${server.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify({ update_id: id, message: { message_id: id, date: 1_700_000_000, chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'Lan' }, text } }),
    }).then((r) => r.status);
  };

  // The replies of the script with no fault, on one instance.
  const referenceChat = 990_000;
  for (const text of SCRIPT) expect(await post(servers[0]!, referenceChat, text)).toBe(200);
  await drained(servers);
  const reference = tg.sent(referenceChat).map((m) => m.text);

  const next = random(SEED);
  let injected = 0;
  tg.failWhen((method) => {
    if (method !== 'sendMessage' || next() >= 0.2) return undefined;
    injected += 1;
    return next() < 0.5 ? { status: 500 } : { status: 429, retryAfter: 1 };
  });
  const chats = Array.from({ length: CHATS }, (_, i) => 800_000 + i);
  const statuses = await Promise.all(
    chats.map(async (chat, c) => {
      const answered: number[] = [];
      for (const [i, text] of SCRIPT.entries()) answered.push(await post(servers[(c + i) % 2]!, chat, text));
      return answered;
    }),
  );
  const acknowledged = statuses.flat().filter((s) => s === 200).length;
  expect(acknowledged).toBe(CHATS * SCRIPT.length);
  await drained(servers);
  tg.failWhen(undefined);

  const wrong = chats.filter((chat) => JSON.stringify(tg.sent(chat).map((m) => m.text)) !== JSON.stringify(reference));
  const delivered = chats.reduce((sum, chat) => sum + tg.sent(chat).length, 0);
  console.log(`\nload: ${acknowledged} updates acknowledged over 2 instances, ${injected} sends failed on purpose, ${delivered}/${CHATS * reference.length} replies delivered, ${wrong.length} conversations out of order or incomplete\n`);
  expect(wrong).toEqual([]);
  expect(injected).toBeGreaterThan(0);
  expect((await servers[0]!.outbox.deadLetters(10)).filter((d) => chats.includes(Number(d.conversationId)))).toEqual([]);
}, 180_000);
