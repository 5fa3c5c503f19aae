/**
 * Benchmark of the impact dashboard's store (issue 14): a month of a province's traffic, one
 * million simulated events (30 days, 4 channels, 40 procedures, 60,000 citizens per channel, 400
 * distinct not-found questions, about 1 % of events about a person: see MIX), recorded in batches of 5,000 as the recorder writes them, then the
 * dashboard's own queries (30 days by day, by week, by month, one channel; 12 months by month).
 * Memory is measured beside Redis in the same run as the baseline. Prints figures; targets: the
 * million aggregates in seconds, each dashboard query under 200 ms (median of 5). Exit 1 over target.
 *
 * Uses REDIS_URL when set (keys under a throw-away prefix, deleted afterwards), else starts a
 * private redis-server on a free port.   npx tsx scripts/bench-analytics.ts [events]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { citizenHash, type AnalyticsEvent, type AnalyticsName } from '../src/analytics/analytics-event.js';
import { createMemoryAnalyticsStore, type AnalyticsStore } from '../src/analytics/analytics-store.js';
import { buildReport, type ReportQuery } from '../src/analytics/build-report.js';
import { createRedisAnalyticsStore } from '../src/analytics/redis-analytics-store.js';
import { createRedisClient, waitForRedis, type RedisClient } from '../src/store/redis-connection.js';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const BATCH = 5_000;
const START = Date.parse('2026-11-01T01:00:00Z');
const DAY = 86_400_000;
const CHANNELS = ['web', 'telegram', 'zalo', 'zalo-oa', 'web'];
const PROCEDURES = Array.from({ length: 40 }, (_, i) => `thu-tuc-${i}`);
/**
 * A month's mix, per 1,000 events: most are steps of the path to online filing; about 1 % ask for
 * a person (a ward's desk answers dozens a day, a province's a few hundred).
 */
const MIX: Array<[AnalyticsName, number]> = [
  ['conversation_started', 150], ['procedure_found', 130], ['card_viewed', 200], ['checklist_finished', 60], ['online_guide_opened', 110],
  ['filed_confirmed', 40], ['procedure_not_found', 90], ['in_person_opened', 60], ['erased', 5], ['person_asked', 12], ['person_answered', 9],
  ['person_closed', 8], ['person_rated', 4], ['report_filed', 3], ['report_resolved', 2], ['online_link_opened', 117],
];
const NAMES: AnalyticsName[] = MIX.flatMap(([name, n]) => Array.from({ length: n }, () => name));

/** A deterministic generator (xorshift), so every run records the same events. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) % 1_000_000) / 1_000_000;
  };
}

/** The citizens' hashes, made once (an HMAC each): the timed loop only picks them. */
const CITIZENS = new Map(CHANNELS.map((channel) => [channel, Array.from({ length: 60_000 }, (_, i) => citizenHash('bench', channel, String(i)))]));

function* events(total: number): Generator<AnalyticsEvent[]> {
  const next = random(42);
  let batch: AnalyticsEvent[] = [];
  for (let i = 0; i < total; i += 1) {
    const name = NAMES[Math.floor(next() * NAMES.length)]!;
    const channel = CHANNELS[Math.floor(next() * CHANNELS.length)]!;
    const event: AnalyticsEvent = { name, at: START + Math.floor((i / total) * 30 * DAY), channel, citizen: CITIZENS.get(channel)![Math.floor(next() * 60_000)]! };
    if (name !== 'conversation_started' && name !== 'procedure_not_found' && name !== 'procedure_found') event.procedure = PROCEDURES[Math.floor(next() * PROCEDURES.length)]!;
    if (name === 'conversation_started' && next() < 0.2) event.source = `poster-kp${Math.floor(next() * 10)}`;
    if (name === 'procedure_not_found') event.query = `cau hoi chua co so ${Math.floor(next() * 400)}`;
    if (name === 'person_answered') event.waitMs = Math.floor(next() * 3_600_000);
    if (name === 'person_rated') event.rating = 1 + Math.floor(next() * 5);
    batch.push(event);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

const QUERIES: Array<[string, ReportQuery]> = [
  ['30 days by day', { from: '2026-11-01', to: '2026-11-30', granularity: 'day' }],
  ['30 days by week', { from: '2026-11-01', to: '2026-11-30', granularity: 'week' }],
  ['30 days, telegram', { from: '2026-11-01', to: '2026-11-30', granularity: 'day', channels: ['telegram'] }],
  ['12 months by month', { from: '2025-12-01', to: '2026-11-30', granularity: 'month' }],
];

async function measure(label: string, store: AnalyticsStore): Promise<boolean> {
  const started = performance.now();
  for (const batch of events(TOTAL)) await store.record(batch);
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${TOTAL.toLocaleString('en')} events recorded in ${seconds.toFixed(1)} s (${Math.round(TOTAL / seconds).toLocaleString('en')}/s)`);
  let ok = true;
  for (const [name, query] of QUERIES) {
    const times: number[] = [];
    let conversations = 0;
    for (let i = 0; i < 5; i += 1) {
      const t = performance.now();
      conversations = (await buildReport(store, query)).totals.conversations;
      times.push(performance.now() - t);
    }
    const median = times.sort((a, b) => a - b)[2]!;
    if (median >= 200) ok = false;
    console.log(`  ${name.padEnd(20)} median ${median.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[4]!.toFixed(1)}); ${conversations.toLocaleString('en')} conversations`);
  }
  return ok;
}

async function startPrivateRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolve());
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const memoryOk = await measure('memory (baseline)', createMemoryAnalyticsStore({ now: () => START + 30 * DAY, maxEvents: 100_000 }));
const own = process.env.REDIS_URL ? undefined : await startPrivateRedis();
// A longer command timeout than the server's 1 s: a loaded benchmark machine must not fail the run.
const redis: RedisClient = createRedisClient({ REDIS_URL: process.env.REDIS_URL ?? own!.url }, { commandTimeoutMs: 30_000 });
await waitForRedis(redis, 5000);
const prefix = `bench-${randomBytes(4).toString('hex')}:`;
let redisOk = false;
try {
  redisOk = await measure('redis', createRedisAnalyticsStore({ redis, prefix, now: () => START + 30 * DAY }));
  const info = await redis.info('memory');
  console.log(`  redis used_memory after: ${/used_memory_human:(\S+)/.exec(info)?.[1] ?? '?'} (stream trimmed to ${await redis.xlen(`${prefix}{analytics}:events`)} entries by age)`);
} finally {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  await own?.stop();
}
process.exitCode = memoryOk && redisOk ? 0 : 1;
