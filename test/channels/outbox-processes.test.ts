/**
 * @module The outbox across real server processes (`node --import tsx src/main.ts`), one Redis and
 * the fake Bot API: SIGTERM while a send hangs exits 0 within the drain period and the next
 * instance delivers every acknowledged reply, in order, once (the hung one counted as a possible
 * duplicate); kill -9 of the instance that saved the turns, in the middle of a send, and the
 * other instance delivers them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, waitForRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { createRedisOutbox } from '../../src/store/redis-outbox.js';
import type { Outbox } from '../../src/store/outbox.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';

const SCRIPT = ['/start', 'đăng ký kết hôn', 'menu', 'xin giay doc than', 'menu'];
const secret = 'proc-tg-secret_1';

interface Instance {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  log: () => string;
}

let tg: FakeTelegram;
let redis: RedisClient;
let outbox: Outbox;
const prefix = uniquePrefix('proc');
const children: ChildProcess[] = [];
let reference: string[] = [];
let updateId = 1;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function launch(extra: Record<string, string> = {}): Promise<Instance> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
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
    OUTBOX_DRAIN_SECONDS: '1',
    ...extra,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; ; i++) {
    if (gone || i > 900) throw new Error(`server did not start:\n${output.slice(-2000)}`);
    const up = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, exited, log: () => output };
}

function post(instance: Instance, chat: number, text: string): Promise<number> {
  const id = updateId++;
  return fetch(`${instance.url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify({ update_id: id, message: { message_id: id, date: 1_700_000_000, chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'Lan' }, text } }),
  }).then((r) => r.status);
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const drained = () => until(async () => (await outbox.pending()).length === 0, 'the outbox to drain');
const attempts = (chat: number) => tg.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === chat).length;

async function metric(instance: Instance, name: string): Promise<number> {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

beforeAll(async () => {
  tg = await startFakeTelegram();
  redis = createRedisClient({ REDIS_URL: redisUrlForTests() });
  await waitForRedis(redis);
  outbox = createRedisOutbox({ redis, prefix, undeliveredTtlSeconds: 3600 });
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  redis?.disconnect();
  await tg?.stop();
});

describe('outbox across server processes', () => {
  it('SIGTERM while a send hangs: exit 0, and the next instance delivers every acknowledged reply in order, once', async () => {
    const first = await launch();
    const referenceChat = 700_001;
    for (const text of SCRIPT) expect(await post(first, referenceChat, text)).toBe(200);
    await drained();
    reference = tg.sent(referenceChat).map((m) => m.text);
    expect(reference.length).toBeGreaterThanOrEqual(SCRIPT.length);

    const chat = 700_002;
    tg.failNext('sendMessage', { hangMs: 60_000 });
    for (const text of SCRIPT) expect(await post(first, chat, text)).toBe(200);
    await until(() => attempts(chat) >= 1, 'the hanging send');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(tg.sent(chat)).toEqual([]);
    expect((await outbox.pending()).find((p) => p.key === `tg:${chat}`)?.depth).toBe(SCRIPT.length);

    const second = await launch();
    await drained();
    expect(tg.sent(chat).map((m) => m.text)).toEqual(reference);
    // The hung attempt may have reached Telegram: its one retry is counted.
    expect(await metric(second, 'dvc_outbox_possible_duplicates_total')).toBe(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000);

  it('kill -9 of the instance mid-send: the other instance delivers every acknowledged reply in order, once', async () => {
    const [a, b] = await Promise.all([launch(), launch()]);
    const chat = 700_003;
    tg.failNext('sendMessage', { hangMs: 60_000 });
    for (const text of SCRIPT) expect(await post(a, chat, text)).toBe(200);
    await until(() => attempts(chat) >= 1, 'the hanging send');
    a.child.kill('SIGKILL');
    await a.exited;
    await drained();
    expect(tg.sent(chat).map((m) => m.text)).toEqual(reference);
    expect(await metric(b, 'dvc_outbox_delivered_total')).toBeGreaterThanOrEqual(reference.length);
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 180_000);
});
