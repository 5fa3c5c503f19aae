/**
 * @module `npm run bench`: throughput and latency of the whole server against a minimal baseline.
 *
 * Runs, on loopback only, with bounded counts and time:
 *   - a private redis-server (test/helpers/redis.ts), or REDIS_URL when set (keys under a fresh prefix);
 *   - a minimal fake Telegram Bot API, in this process (see startMiniTelegram);
 *   - the real server (`src/main.ts`, child process) with the Redis store, in webhook mode;
 *   - the baseline (this file with `--baseline`, child process): a minimal grammY bot on fastify
 *     doing one Redis GET, one SET and one sendMessage per update, against the same fake API.
 * Then drives N simulated citizens (in parallel, each one message after another, as Telegram
 * delivers one chat) through whole conversations with webhook POSTs, first to the server, then
 * to the baseline, and prints updates/s, p50/p99 webhook latency and the ratio.
 *
 * Throughput counts until the last reply reached the fake API (the server answers the webhook
 * before it delivers; the baseline delivers before it answers), so both are measured end to end.
 *
 *   npm run bench -- [--citizens 40] [--rounds 10] [--max-seconds 60] [--profile /tmp/prof]
 *
 * Before and after a change (`--compare DIR`, DIR another checkout of the project, e.g. a `git
 * worktree` of the commit before): both servers run at once and are driven in turns, A B B A A B…,
 * `--phases` phases each of `--citizens` × `--phase-rounds` conversations, so load from elsewhere on
 * the machine falls on both alike; prints each phase and the medians of CPU per update and
 * updates/s, this checkout against DIR, then the baseline as usual.
 *
 *   npm run bench -- --compare /work/wt/before [--phases 8] [--phase-rounds 2]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { startRedisServer } from '../test/helpers/redis.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
};


/** The baseline bot: what a hand-written grammY bot with Redis sessions costs per update. */
async function runBaseline(): Promise<void> {
  const [{ Bot, webhookCallback }, { fastify }, { Redis }] = await Promise.all([import('grammy'), import('fastify'), import('ioredis')]);
  const env = process.env;
  const redis = new Redis(env.REDIS_URL!);
  const prefix = env.BENCH_PREFIX!;
  const bot = new Bot(env.TELEGRAM_BOT_TOKEN!, {
    botInfo: { id: 1, is_bot: true, first_name: 'Baseline', username: 'baseline_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false } as never,
    client: { apiRoot: env.TELEGRAM_API_ROOT! },
  });
  bot.on(['message', 'callback_query'], async (ctx) => {
    const key = `${prefix}{${ctx.chat?.id}}:session`;
    const before = await redis.get(key);
    const turns = Number(before ?? 0) + 1;
    await redis.set(key, String(turns), 'EX', 3600);
    await ctx.api.sendMessage(ctx.chat!.id, `Đã nhận tin nhắn thứ ${turns} ạ.`);
  });
  const app = fastify({ logger: false, bodyLimit: 256 * 1024 });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.post('/webhooks/telegram', webhookCallback(bot, 'fastify', { secretToken: env.TELEGRAM_WEBHOOK_SECRET! }));
  await app.listen({ host: '127.0.0.1', port: Number(env.PORT) });
  const stop = async (): Promise<void> => {
    await app.close();
    redis.disconnect();
  };
  process.on('SIGTERM', () => void stop());
}

interface Phase {
  name: string;
  updates: number;
  replies: number;
  seconds: number;
  latencies: number[];
  failures: number;
  /** CPU time of the bot process (server or baseline) and of this process (driver + fake API) during the phase. */
  botCpuMs: number;
  driverCpuMs: number;
  /** How long after the last webhook answer the last reply reached the fake API (ms). */
  tailMs: number;
}

async function runBench(): Promise<void> {
  const citizens = option('citizens', 40);
  // Enough updates that both sides are measured with their code compiled (V8's optimising
  // compiler keeps working through the first few thousand updates of the larger pipeline).
  const rounds = option('rounds', 10);
  const maxSeconds = option('max-seconds', 60);
  const secret = randomBytes(16).toString('hex');

  const ownRedis = process.env.REDIS_URL ? undefined : await startRedisServer();
  const redisUrl = process.env.REDIS_URL ?? ownRedis!.url;
  const fake = await startMiniTelegram();
  const children: ChildProcess[] = [];
  const cleanup = async (): Promise<void> => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    await fake.stop();
    await ownRedis?.stop();
  };

  try {
    const common = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: secret,
      LOG_LEVEL: 'warn',
    };
    console.log(`bench: ${citizens} citizens × ${rounds} rounds × ${SCRIPT.length} messages, Redis ${ownRedis ? 'private' : 'REDIS_URL'}, loopback only`);

    const serverPort = await freePort();
    children.push(
      startChild('server', [...profileFlags('server'), '--import', 'tsx', 'src/main.ts'], {
        ...common,
        PORT: String(serverPort),
        PUBLIC_URL: 'https://bench.invalid',
        REDIS_KEY_PREFIX: `bench:${randomBytes(4).toString('hex')}:`,
        // BENCH_STAFF_DESK=1: with the staff desk on Redis, to measure what it costs per turn.
        ...(process.env.BENCH_STAFF_DESK ? { STAFF_SESSION_SECRET: `bench-${randomBytes(16).toString('hex')}` } : {}),
      }),
    );
    await waitHealthy(serverPort);
    for (let i = 0; i < 100 && !fake.webhook(); i++) await sleep(100);
    if (!fake.webhook()) throw new Error('the server did not register its webhook');
    const server = await drive('full pipeline', children[0]!, serverPort, secret, fake, { citizens, rounds, maxSeconds, firstChat: 1_000_000 });
    const compareDir = args.includes('--compare') ? args[args.indexOf('--compare') + 1] : undefined;
    if (compareDir) {
      const otherPort = await freePort();
      const other = startChild('compared', ['--import', 'tsx', 'src/main.ts'], { ...common, PORT: String(otherPort), PUBLIC_URL: 'https://bench.invalid', REDIS_KEY_PREFIX: `bench:${randomBytes(4).toString('hex')}:` }, compareDir);
      children.push(other);
      await waitHealthy(otherPort);
      await compare(
        { name: 'this checkout', child: children[0]!, port: serverPort },
        { name: compareDir, child: other, port: otherPort },
        (target, firstChat, warmUp) => drive(target.name, target.child, target.port, secret, fake, { citizens, rounds: option('phase-rounds', 2), maxSeconds, firstChat, warmUp }),
        option('phases', 8),
      );
      other.kill('SIGTERM');
      await new Promise((resolve) => (other.exitCode === null ? other.once('exit', resolve) : resolve(undefined)));
    }

    const baselinePort = await freePort();
    children.push(
      startChild('baseline', [...profileFlags('baseline'), '--import', 'tsx', 'scripts/bench-server.ts', '--baseline'], {
        ...common,
        PORT: String(baselinePort),
        BENCH_PREFIX: `bench:${randomBytes(4).toString('hex')}:`,
      }),
    );
    await waitHealthy(baselinePort);
    const baseline = await drive('baseline', children.at(-1)!, baselinePort, secret, fake, { citizens, rounds, maxSeconds, firstChat: 2_000_000 });

    console.log('');
    for (const phase of [server, baseline]) print(phase);
    const ratio = server.updates / server.seconds / (baseline.updates / baseline.seconds);
    console.log(`\nratio (full pipeline / baseline, updates/s): ${ratio.toFixed(2)} — ${ratio >= 1 ? 'meets' : 'below'} the target (≥ 1.00)`);
  } finally {
    await cleanup();
  }
}

/**
 * The Bot API as cheap as it can be: answers every method `{ ok: true }` (a Message for
 * sendMessage), counts calls, remembers the webhook. The test fake (test/helpers/fake-telegram.ts)
 * also checks every message's HTML and limits; here that work would land on the driver's CPU,
 * which shares the machine with the server, and blur the figures.
 */
interface MiniTelegram {
  token: string;
  apiRoot: string;
  /** Every call, in order (method names). */
  calls: string[];
  sentCount(): number;
  webhook(): string | undefined;
  stop(): Promise<void>;
}

async function startMiniTelegram(): Promise<MiniTelegram> {
  const token = `123456789:${randomBytes(27).toString('base64url')}`;
  const calls: string[] = [];
  let sent = 0;
  let webhook: string | undefined;
  let messageId = 1;
  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => resolve(body));
    });
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = /\/bot[^/]+\/(\w+)$/.exec(req.url ?? '')?.[1] ?? '?';
    const body = await readBody(req);
    calls.push(method);
    let result: unknown = true;
    if (method === 'sendMessage') {
      sent += 1;
      const chatId = /"chat_id":\s*"?(-?\d+)/.exec(body)?.[1] ?? '0';
      result = { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: 'private' }, text: '' };
    } else if (method === 'setWebhook') {
      webhook = /"url":\s*"([^"]+)"/.exec(body)?.[1] ?? 'set';
    } else if (method === 'getMe') {
      result = { id: 123456789, is_bot: true, first_name: 'Bench', username: 'bench_bot' };
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
  };
  // `answer` cannot reject: readBody only resolves, and the rest is synchronous.
  const server = createHttpServer((req, res) => void answer(req, res));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    token,
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    sentCount: () => sent,
    webhook: () => webhook,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** One citizen's conversation: text, button presses (callback queries) and commands. */
const SCRIPT: Array<{ text: string } | { data: string }> = [
  { text: '/start' },
  { text: 'đăng ký kết hôn' },
  { data: 'yes' },
  { text: 'menu' },
  { text: 'xin giay xac nhan doc than' },
  { text: 'làm giấy khai sinh cho con' },
  { data: 'yes' },
  { text: 'gặp cán bộ' },
  { text: 'menu' },
  { text: 'sửa xe máy ở đâu' },
];

async function drive(
  name: string,
  child: ChildProcess,
  port: number,
  secret: string,
  fake: MiniTelegram,
  options: { citizens: number; rounds: number; maxSeconds: number; firstChat: number; warmUp?: boolean },
): Promise<Phase> {
  const url = `http://127.0.0.1:${port}/webhooks/telegram`;
  let updateId = options.firstChat * 10;
  const latencies: number[] = [];
  let failures = 0;
  let updates = 0;

  const post = async (chatId: number, step: (typeof SCRIPT)[number], record: boolean): Promise<void> => {
    updateId += 1;
    const from = { id: chatId, is_bot: false, first_name: 'Dân' };
    const chat = { id: chatId, type: 'private', first_name: 'Dân' };
    const update =
      'text' in step
        ? { update_id: updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat, from, text: step.text } }
        : { update_id: updateId, callback_query: { id: String(updateId), from, chat_instance: '1', data: step.data, message: { message_id: 1, date: 0, chat, text: '…' } } };
    const began = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    }).catch(() => undefined);
    await response?.arrayBuffer();
    if (!record) return;
    updates += 1;
    if (!response || response.status !== 200) failures += 1;
    latencies.push(performance.now() - began);
  };

  // Warm-up: conversations outside the figures (JIT, Lua scripts loaded, connections open).
  if (options.warmUp !== false) {
    await Promise.all(Array.from({ length: 40 }, (_, i) => (async () => {
      for (const step of SCRIPT) await post(options.firstChat - 1 - i, step, false);
    })()));
  }
  await quiet(fake);

  const sentBefore = fake.sentCount();
  const botCpuBefore = cpuMsOf(child.pid);
  const driverCpuBefore = process.cpuUsage();
  const deadline = performance.now() + options.maxSeconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.citizens }, (_, c) =>
      (async () => {
        for (let round = 0; round < options.rounds; round++) {
          const chatId = options.firstChat + round * options.citizens + c;
          for (const step of SCRIPT) {
            if (performance.now() > deadline) return;
            await post(chatId, step, true);
          }
        }
      })(),
    ),
  );
  const lastAnswerAt = performance.now();
  const lastReplyAt = await quiet(fake);
  const seconds = (Math.max(lastReplyAt, lastAnswerAt) - started) / 1000;
  const driverCpu = process.cpuUsage(driverCpuBefore);
  return {
    name,
    updates,
    replies: fake.sentCount() - sentBefore,
    seconds,
    latencies,
    failures,
    botCpuMs: cpuMsOf(child.pid) - botCpuBefore,
    driverCpuMs: (driverCpu.user + driverCpu.system) / 1000,
    tailMs: Math.max(0, lastReplyAt - lastAnswerAt),
  };
}

/** Waits until no sendMessage has arrived for 300 ms; returns when the last one arrived. */
async function quiet(fake: MiniTelegram): Promise<number> {
  let count = fake.calls.length;
  let lastChange = performance.now();
  for (;;) {
    await sleep(10);
    if (fake.calls.length !== count) {
      count = fake.calls.length;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > 300) {
      return lastChange;
    }
  }
}

/** User + system CPU time of a process so far, from /proc (Linux); NaN elsewhere. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line; clock ticks are 100 Hz on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

interface Target {
  name: string;
  child: ChildProcess;
  port: number;
}

/** Drives two servers in turns (A B B A A B…, each warmed up first) and prints the phases and the medians. */
async function compare(a: Target, b: Target, phase: (target: Target, firstChat: number, warmUp: boolean) => Promise<Phase>, phases: number): Promise<void> {
  const runs = new Map<Target, Phase[]>([[a, []], [b, []]]);
  await phase(a, 3_000_000, true);
  await phase(b, 5_000_000, true);
  console.log(`\ncompare: ${phases} phases each, in turns (A = ${a.name}, B = ${b.name})`);
  for (let i = 0; i < phases; i++) {
    const order = i % 2 === 0 ? [a, b] : [b, a];
    for (const target of order) {
      const result = await phase(target, (target === a ? 3_100_000 : 5_100_000) + i * 10_000, false);
      runs.get(target)!.push(result);
      console.log(`  phase ${i + 1} ${target === a ? 'A' : 'B'}: ${(result.updates / result.seconds).toFixed(0)} updates/s, CPU per update ${(result.botCpuMs / result.updates).toFixed(3)} ms, last reply ${result.tailMs.toFixed(0)} ms after the last answer${result.failures ? `, ${result.failures} non-200` : ''}`);
    }
  }
  const median = (xs: number[]): number => {
    const sorted = [...xs].sort((x, y) => x - y);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const cpu = (t: Target) => median(runs.get(t)!.map((r) => r.botCpuMs / r.updates));
  const rate = (t: Target) => median(runs.get(t)!.map((r) => r.updates / r.seconds));
  const paired = runs.get(a)!.map((r, i) => r.botCpuMs / r.updates / (runs.get(b)![i]!.botCpuMs / runs.get(b)![i]!.updates));
  console.log(`compare: median CPU per update A ${cpu(a).toFixed(3)} ms, B ${cpu(b).toFixed(3)} ms → A/B ${(cpu(a) / cpu(b)).toFixed(3)}; median updates/s A ${rate(a).toFixed(0)}, B ${rate(b).toFixed(0)} → A/B ${(rate(a) / rate(b)).toFixed(3)}`);
  console.log(`compare: CPU A/B phase by phase ${paired.map((x) => x.toFixed(2)).join(' ')} (median ${median(paired).toFixed(3)})`);
}

function print(phase: Phase): void {
  const sorted = [...phase.latencies].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  console.log(
    `${phase.name.padEnd(14)} ${phase.updates} updates, ${phase.replies} replies sent in ${phase.seconds.toFixed(2)} s → ` +
      `${(phase.updates / phase.seconds).toFixed(0)} updates/s; webhook latency p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms` +
      (phase.failures ? `; ${phase.failures} non-200 answers` : ''),
  );
  console.log(
    `${''.padEnd(14)} CPU per update: bot ${(phase.botCpuMs / phase.updates).toFixed(2)} ms, driver + fake API ${(phase.driverCpuMs / phase.updates).toFixed(2)} ms`,
  );
}

/** `--profile DIR` writes a V8 CPU profile of each child there (open in Chrome DevTools). */
function profileFlags(name: string): string[] {
  const i = args.indexOf('--profile');
  const dir = i >= 0 ? args[i + 1] : undefined;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

function startChild(name: string, argv: string[], env: Record<string, string | undefined>, cwd?: string): ChildProcess {
  const child = spawn(process.execPath, argv, { env, ...(cwd ? { cwd } : {}), stdio: ['ignore', process.env.BENCH_CHILD_LOG ? 'inherit' : 'ignore', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
    if (errors.length > 20_000) errors = errors.slice(-10_000);
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') console.error(`bench: ${name} exited (${code ?? signal}):\n${errors.slice(-2000)}`);
  });
  return child;
}

async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing healthy on port ${port} after 30 s`);
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

// Last, so every constant above is initialised.
if (args.includes('--baseline')) await runBaseline();
else await runBench();
