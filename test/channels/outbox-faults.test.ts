/**
 * @module Delivery under platform faults, through the real server (startServer, Redis, webhook
 * mode) and the local fake Bot API of Telegram and Zalo: a 500 once, 500 three times, 429 (with
 * retry_after on Telegram), a send that hangs 60 s, and a refused connection. Every update the
 * webhook acknowledged gets its replies on the fake, in order, once — the same replies, in the same
 * order, as a conversation with no fault — and the one retry after a timeout is counted as a
 * possible duplicate in /metrics. Also: a hung conversation does not hold another one, and a
 * reply refused for good becomes a dead letter that the citizen's next message apologises for.
 *
 * The send timeout is 1 s and retries start at 50 ms (OUTBOX_* variables), so nothing waits 60 s.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 120_000 });
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/create-logger.js';
import { startServer, type RunningServer } from '../../src/start-server.js';
import { startFakeTelegram, type FakeFailure } from '../helpers/fake-telegram.js';
import { startFakeZalo, type FakeZaloFailure } from '../helpers/fake-zalo.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';

const SCRIPT = ['/start', 'đăng ký kết hôn', 'menu', 'xin giay doc than'];
const FAST = { OUTBOX_SEND_TIMEOUT_SECONDS: '1', OUTBOX_RETRY_BASE_MS: '50', OUTBOX_RETRY_CAP_SECONDS: '1', OUTBOX_SWEEP_MS: '100', OUTBOX_DEGRADED_AFTER_SECONDS: '1' };

interface Platform {
  name: 'telegram' | 'zalo';
  server: RunningServer;
  /** Posts one citizen text; the webhook's status. */
  post(chat: string, text: string): Promise<number>;
  /** Texts the fake delivered to the chat, in order. */
  received(chat: string): string[];
  /** sendMessage calls the fake received for the chat (delivered or not). */
  attempts(chat: string): number;
  fail(...failures: Array<FakeFailure & FakeZaloFailure>): void;
  fakeDown(): Promise<void>;
  fakeUp(): Promise<void>;
  chat(): string;
  close(): Promise<void>;
}

async function serve(env: Record<string, string>): Promise<RunningServer> {
  const config = loadConfig({ HOST: '127.0.0.1', REDIS_URL: redisUrlForTests(), REDIS_KEY_PREFIX: uniquePrefix('faults'), PUBLIC_URL: 'https://chatbot.phuong9.example', ...FAST, ...env });
  return startServer(config, { logger: createLogger({ level: 'silent' }), port: 0, processMetrics: false, channels: { retryDelayMs: 50 } });
}

const post = (url: string, body: unknown, headers: Record<string, string>) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then((r) => r.status);

async function telegramPlatform(): Promise<Platform> {
  const tg = await startFakeTelegram();
  const secret = 'faults-tg-secret_1';
  const server = await serve({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, TELEGRAM_WEBHOOK_SECRET: secret });
  let id = 5000;
  let user = 810_000;
  return {
    name: 'telegram',
    server,
    post: (chat, text) => {
      const n = id++;
      return post(`${server.url}/webhooks/telegram`, { update_id: n, message: { message_id: n, date: 1_700_000_000, chat: { id: Number(chat), type: 'private' }, from: { id: Number(chat), is_bot: false, first_name: 'Lan' }, text } }, { 'x-telegram-bot-api-secret-token': secret });
    },
    received: (chat) => tg.sent(chat).map((m) => m.text),
    attempts: (chat) => tg.calls.filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === chat).length,
    fail: (...failures) => tg.failNext('sendMessage', ...failures),
    fakeDown: () => tg.stop(),
    fakeUp: () => tg.restart(),
    chat: () => String(user++),
    async close() {
      await server.close();
      await tg.stop();
    },
  };
}

async function zaloPlatform(): Promise<Platform> {
  const fake = await startFakeZalo();
  const secret = 'faults-zalo-secret';
  const server = await serve({ ZALO_BOT_TOKEN: fake.token, ZALO_API_ROOT: fake.apiRoot, ZALO_WEBHOOK_SECRET: secret });
  let id = 1;
  let user = 1;
  return {
    name: 'zalo',
    server,
    post: (chat, text) =>
      post(
        `${server.url}/webhooks/zalo`,
        { ok: true, result: { event_name: 'message.text.received', message: { from: { id: chat, display_name: 'Lan', is_bot: false }, chat: { id: chat, chat_type: 'PRIVATE' }, text, message_id: `fm${id++}`, date: Date.now() } } },
        { 'x-bot-api-secret-token': secret },
      ),
    received: (chat) => fake.sent(chat).map((m) => m.text),
    attempts: (chat) => fake.calls.filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === chat).length,
    fail: (...failures) => fake.failNext('sendMessage', ...failures),
    fakeDown: () => fake.stop(),
    fakeUp: () => fake.restart(),
    chat: () => `fz${(user++).toString(16).padStart(18, '0')}`,
    async close() {
      await server.close();
      await fake.stop();
    },
  };
}

/** Waits until the outbox is empty and nothing is being sent (the worker sweeps every 100 ms). */
async function drained(server: RunningServer): Promise<void> {
  for (;;) {
    await server.deliveries.idle();
    if ((await server.outbox.pending()).length === 0) {
      await server.deliveries.idle();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function metric(server: RunningServer, name: string, channel: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes(`channel="${channel}"`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** The conversation, one message after another, each acknowledged before the next (as a platform delivers one chat). */
async function converse(platform: Platform, chat: string): Promise<number> {
  let acknowledged = 0;
  for (const text of SCRIPT) if ((await platform.post(chat, text)) === 200) acknowledged += 1;
  return acknowledged;
}

type Case = { name: string; arrange(p: Platform): Promise<void> | void; release?(p: Platform): Promise<void>; duplicates: number };

const CASES: Case[] = [
  { name: '500 once', arrange: (p) => p.fail({ status: 500 }), duplicates: 0 },
  { name: '500 three times', arrange: (p) => p.fail({ status: 500 }, { status: 502, body: '<html>Bad Gateway</html>' }, { status: 503 }), duplicates: 0 },
  { name: '429 (retry_after 1 s on Telegram)', arrange: (p) => p.fail({ status: 429, retryAfter: 1 }), duplicates: 0 },
  { name: 'hang 60 s', arrange: (p) => p.fail({ hangMs: 60_000 }), duplicates: 1 },
  { name: 'connection refused', arrange: (p) => p.fakeDown(), release: (p) => p.fakeUp(), duplicates: 0 },
];

const table: string[] = [];

for (const open of [telegramPlatform, zaloPlatform]) {
  describe(`outbox under faults: ${open.name.replace('Platform', '')}`, () => {
    let platform: Platform;
    let reference: string[] = [];
    afterAll(async () => {
      await platform?.close();
    });

    it('a conversation with no fault gives the reference replies', async () => {
      platform = await open();
      const chat = platform.chat();
      expect(await converse(platform, chat)).toBe(SCRIPT.length);
      await drained(platform.server);
      reference = platform.received(chat);
      expect(reference.length).toBeGreaterThanOrEqual(SCRIPT.length);
    });

    for (const fault of CASES) {
      it(`${fault.name}: every acknowledged update's replies arrive, in order, once`, async () => {
        const chat = platform.chat();
        const duplicatesBefore = await metric(platform.server, 'dvc_outbox_possible_duplicates_total', platform.name);
        await fault.arrange(platform);
        const acknowledged = await converse(platform, chat);
        expect(acknowledged).toBe(SCRIPT.length);
        await fault.release?.(platform);
        await drained(platform.server);
        const received = platform.received(chat);
        const duplicates = (await metric(platform.server, 'dvc_outbox_possible_duplicates_total', platform.name)) - duplicatesBefore;
        table.push(`${platform.name.padEnd(8)} | ${fault.name.padEnd(34)} | acknowledged ${acknowledged} | delivered ${received.length}/${reference.length} replies | possible duplicates ${duplicates} | send attempts ${platform.attempts(chat)}`);
        expect(received).toEqual(reference);
        expect(duplicates).toBe(fault.duplicates);
      });
    }

    it('/readyz stays 200 but says degraded while a reply waits past the threshold; /metrics shows depth and age', async () => {
      const chat = platform.chat();
      const readyz = async () => (await fetch(`${platform.server.url}/readyz`).then(async (r) => ({ status: r.status, body: (await r.json()) as { status: string; problems?: string[] } })));
      await platform.fakeDown();
      try {
        expect(await platform.post(chat, '/start')).toBe(200);
        // The assertions read the answer that said "degraded": a second request may fall on a sweep
        // where another conversation's older reply has just been settled (a CI run saw that).
        let degraded = await readyz();
        await waitUntil(async () => (degraded = await readyz()).body.status === 'degraded');
        expect(degraded.status).toBe(200);
        expect(degraded.body.problems?.[0]).toMatch(/^outbox: oldest pending reply waiting \d+ s$/);
        // The gauges read the last sweep (every 100 ms here), as /readyz does; a scrape may fall
        // on a sweep where another conversation's older reply has just been settled, so wait for
        // one that shows this reply waiting.
        const gauges = async () => {
          const text = await (await fetch(`${platform.server.url}/metrics`)).text();
          return { depth: Number(/^dvc_outbox_depth (\S+)$/m.exec(text)?.[1]), oldest: Number(/^dvc_outbox_oldest_pending_seconds (\S+)$/m.exec(text)?.[1]) };
        };
        // The assertions read that very scrape: a second one may fall on the next such sweep.
        let seen = { depth: 0, oldest: 0 };
        await waitUntil(async () => (seen = await gauges()).oldest > 1);
        expect(seen.depth).toBeGreaterThanOrEqual(1);
        expect(seen.oldest).toBeGreaterThan(1);
        expect(await metric(platform.server, 'dvc_outbox_retries_total', platform.name)).toBeGreaterThan(0);
      } finally {
        // Whatever failed above, the next tests get a platform that answers.
        await platform.fakeUp();
      }
      await drained(platform.server);
      await platform.server.deliveries.sweep();
      expect((await readyz()).body).toEqual({ status: 'ready' });
      expect(platform.received(chat).length).toBeGreaterThan(0);
    });

    it('a hung conversation does not hold another one', async () => {
      const slow = platform.chat();
      const other = platform.chat();
      platform.fail({ hangMs: 60_000 });
      expect(await platform.post(slow, '/start')).toBe(200);
      // The slow chat's first send is hanging; the other chat is answered meanwhile.
      await waitUntil(() => platform.attempts(slow) >= 1);
      expect(await platform.post(other, '/start')).toBe(200);
      await waitUntil(() => platform.received(other).length >= 1);
      expect(platform.received(slow)).toEqual([]);
      await drained(platform.server);
      expect(platform.received(slow)).toEqual(platform.received(other));
    });

    it('a reply refused for good is a dead letter; the next message apologises first, in Vietnamese', async () => {
      const chat = platform.chat();
      platform.fail({ status: 400, description: 'Bad Request: chat not found' });
      expect(await platform.post(chat, '/start')).toBe(200);
      await drained(platform.server);
      expect(platform.received(chat)).toEqual([]);
      const dead = await platform.server.outbox.deadLetters(50);
      expect(dead.find((d) => d.conversationId === chat)).toMatchObject({ channel: platform.name, reason: 'bad_request' });
      expect(await metric(platform.server, 'dvc_outbox_dead_letters_total', platform.name)).toBeGreaterThanOrEqual(1);
      expect(await platform.post(chat, 'menu')).toBe(200);
      await drained(platform.server);
      const [first] = platform.received(chat);
      expect(first).toContain('một câu trả lời trước đó chưa gửi được');
      expect(first).toMatch(/^Xin lỗi anh\/chị/);
      // Told once: the message after that has no apology.
      expect(await platform.post(chat, 'menu')).toBe(200);
      await drained(platform.server);
      expect(platform.received(chat).slice(1).join('\n')).not.toContain('chưa gửi được');
    });
  });
}

afterAll(() => {
  console.log(`\nfault table (case → acknowledged → delivered → duplicates):\n${table.join('\n')}\n`);
});

// Generous: on a loaded two-core machine a turn can take seconds; the test asserts order and
// counts, never a time.
async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
