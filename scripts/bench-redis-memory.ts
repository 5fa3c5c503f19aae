/**
 * @module `npm run bench:redis-memory`: how much Redis memory one typical conversation costs.
 * Drives a real conversation (the flows and content on disk, the real engine, the Redis store) to
 * a typical mid-point: a citizen who found a procedure and is halfway through the document
 * checklist; then prints `MEMORY USAGE` of every key kept for it. Target: under 2 KB a session.
 *
 * Uses REDIS_URL when set (keys under a throw-away prefix, deleted afterwards), else starts a
 * private redis-server on a free port. Exit code 1 when over the target.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Redis } from 'ioredis';
import { loadConfig } from '../src/config.js';
import { createConversation } from '../src/conversation/handle-inbound.js';
import { hotlineOnlyHandoff } from '../src/conversation/handoff-port.js';
import { silentLogger } from '../src/conversation/logger.js';
import type { Inbound } from '../src/engine/messages.js';
import { formatProblem } from '../src/flow/yaml-source.js';
import { loadAssistant } from '../src/load-assistant.js';
import { createRedisClient, waitForRedis } from '../src/store/redis-connection.js';
import { createRedisSessionStore } from '../src/store/redis-session-store.js';

const TARGET_BYTES = 2048;

/** What the citizen types, in order: ask, confirm, open the checklist, have the first document, lack the second. */
// The first choice is the procedure whether the finder confirms or asks which one.
const SCRIPT = ['khai sinh cho con', '1', 'kiểm tra giấy tờ', 'có', 'chưa có'];

const config = loadConfig();
const { assistant, problems } = loadAssistant({
  flowsDir: config.FLOWS_DIR,
  contentDir: config.CONTENT_DIR,
  sessionTtlSeconds: config.SESSION_TTL_SECONDS,
});
if (!assistant) {
  for (const problem of problems) console.error(formatProblem(problem));
  console.error('Flows or content have problems; cannot drive a conversation.');
  process.exit(1);
}

const privateServer = process.env.REDIS_URL ? undefined : await startPrivateRedis();
const redis = createRedisClient({ REDIS_URL: process.env.REDIS_URL ?? privateServer!.url });
await waitForRedis(redis);
const prefix = `bench:${randomBytes(4).toString('hex')}:`;
const store = createRedisSessionStore({
  redis,
  prefix,
  sessionTtlSeconds: config.SESSION_TTL_SECONDS,
  dedupeTtlSeconds: config.DEDUPE_TTL_SECONDS,
});
const conversation = createConversation({ engine: assistant.engine, store, handoff: hotlineOnlyHandoff, log: silentLogger });

const conversationId = '5012345678';
let lastReply = '';
for (const [i, text] of SCRIPT.entries()) {
  const inbound: Inbound = {
    channel: 'telegram',
    conversationId,
    userId: conversationId,
    kind: 'text',
    text,
    platformMessageId: String(700_000 + i),
  };
  const turn = await conversation.handleInbound(inbound);
  lastReply = turn.replies.at(-1)?.text ?? '';
}

const key = `tg:${conversationId}`;
const session = await store.peek(key);
const json = JSON.stringify(session);
if (process.env.BENCH_SHOW_SESSION) console.log(JSON.stringify(session, null, 1));
const keys: string[] = [];
let cursor = '0';
do {
  const [next, found] = await (redis as Redis).scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
  keys.push(...found);
  cursor = next;
} while (cursor !== '0');

let total = 0;
console.log(`Conversation after ${SCRIPT.length} messages: ${SCRIPT.map((t) => JSON.stringify(t)).join(' → ')}`);
console.log(`  current step: ${session?.frames.map((f) => `${f.flow}.${f.step}`).join(' > ') ?? '(none)'}`);
console.log(`  vars: ${Object.keys(session?.vars ?? {}).join(', ')}`);
console.log(`  last reply: ${lastReply.split('\n')[0]?.slice(0, 100)}`);
console.log(`  session JSON: ${Buffer.byteLength(json)} bytes`);
for (const k of keys.sort()) {
  const bytes = Number(await redis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0'));
  total += bytes;
  console.log(`  MEMORY USAGE ${k.slice(prefix.length)}: ${bytes} bytes`);
}
console.log(`Redis memory per session: ${total} bytes (target < ${TARGET_BYTES})`);

await store.erase(key);
await store.close();
redis.disconnect();
if (privateServer) await privateServer.stop();
if (total >= TARGET_BYTES) process.exitCode = 1;

async function startPrivateRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error('redis-server not found: `apt-get install redis-server` or set REDIS_URL') : error),
    );
    child.once('spawn', () => resolve());
  });
  // Give it a moment to listen; waitForRedis retries until it answers.
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
