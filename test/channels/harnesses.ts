/**
 * @module One harness per registered channel for the contract suite (channel.case.ts): how its
 * platform delivers a citizen's text, authenticates (or fails to), what its malformed updates
 * look like, and what the citizen received — each through the real server (startServer with
 * Redis under a fresh prefix) and the channel's local fake platform. The CLI has no server: it
 * runs through the kit as `npm run cli -- chat` does.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { conversationKey } from '../../src/channels/index.js';
import { cliChannel } from '../../src/channels/cli/cli-channel.js';
import { runChannel } from '../../src/channels/open-channel.js';
import { loadConfig } from '../../src/config.js';
import { createConversation } from '../../src/conversation/handle-inbound.js';
import { hotlineOnlyHandoff } from '../../src/conversation/handoff-port.js';
import { silentLogger } from '../../src/conversation/logger.js';
import { createLogger } from '../../src/http/create-logger.js';
import { startServer, type RunningServer } from '../../src/start-server.js';
import { createRedisClient, waitForRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { createRedisSessionStore } from '../../src/store/redis-session-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { realAssistant } from '../helpers/assistant.js';
import { startFakeTelegram } from '../helpers/fake-telegram.js';
import { startFakeZalo } from '../helpers/fake-zalo.js';
import { startFakeZaloOa } from '../helpers/fake-zalo-oa.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';
import type { ChannelHarness, HarnessRun } from './channel.case.js';

/** HTML (Telegram's, the web chat's) as the text a citizen reads. */
function visible(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

async function redisFor(prefix: string): Promise<{ redis: RedisClient; keys: () => Promise<string[]> }> {
  const redis = createRedisClient({ REDIS_URL: redisUrlForTests() });
  await waitForRedis(redis);
  return {
    redis,
    async keys() {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await (redis as Redis).scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        found.push(...batch);
      } while (cursor !== '0');
      return found;
    },
  };
}

/** startServer with `env` on top of Redis under a fresh prefix and webhook mode; warnings and errors kept in `logs`, its clock movable. */
async function server(env: Record<string, string>): Promise<{ server: RunningServer; keys: () => Promise<string[]>; logs: string[]; clock: { offset: number }; close: () => Promise<void> }> {
  const prefix = uniquePrefix('contract');
  const { redis, keys } = await redisFor(prefix);
  const config = loadConfig({ HOST: '127.0.0.1', REDIS_URL: redisUrlForTests(), REDIS_KEY_PREFIX: prefix, PUBLIC_URL: 'https://chatbot.phuong9.example', ...env });
  const logs: string[] = [];
  const clock = { offset: 0 };
  const logger = createLogger({ level: 'warn', destination: new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) }) });
  const running = await startServer(config, { logger, port: 0, processMetrics: false, channels: { retryDelayMs: 50 }, now: () => Date.now() + clock.offset });
  return {
    server: running,
    keys,
    logs,
    clock,
    async close() {
      await running.close();
      redis.disconnect();
    },
  };
}

const json = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then((r) => r.status);

/** Platform message ids the harness was given as strings, as the numbers some platforms use. */
function numbering(start: number): (id?: string) => number {
  const ids = new Map<string, number>();
  let next = start;
  return (id) => {
    if (id === undefined) return next++;
    if (!ids.has(id)) ids.set(id, next++);
    return ids.get(id)!;
  };
}

const telegram: ChannelHarness = {
  name: 'telegram',
  malformed: [
    { kind: 'not-an-object', body: '[]' },
    { kind: 'not-an-object', body: '"update"' },
    { kind: 'not-an-object', body: 'null' },
    { kind: 'missing-object', body: '{"update_id":9001,"message":{"message_id":1,"date":1,"text":"xin chào"}}' },
    { kind: 'missing-object', body: '{"update_id":9002,"callback_query":{"id":"q","data":"find"}}' },
    { kind: 'string-for-object', body: '{"update_id":9003,"message":"xin chào"}' },
    { kind: 'string-for-object', body: '{"update_id":9004,"message":{"message_id":1,"date":1,"chat":"42","text":"xin chào"}}' },
    { kind: 'object-for-id', body: '{"update_id":9005,"message":{"message_id":1,"date":1,"chat":{"id":{"a":1}},"text":"xin chào"}}' },
    { kind: 'object-for-id', body: '{"update_id":{"n":1},"message":{"chat":{"id":42},"text":"xin chào"}}' },
    { kind: 'object-for-text', body: '{"update_id":9006,"message":{"message_id":1,"date":1,"chat":{"id":42},"text":{"a":1}}}' },
    { kind: 'object-for-text', body: '{"update_id":9007,"callback_query":{"id":"q","from":{"id":42},"data":{"a":1}}}' },
  ],
  async start(): Promise<HarnessRun> {
    const tg = await startFakeTelegram();
    const secret = 'contract-tg-secret_1';
    const s = await server({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, TELEGRAM_WEBHOOK_SECRET: secret });
    const updateId = numbering(100);
    let nextUser = 700_000;
    const url = `${s.server.url}/webhooks/telegram`;
    const update = (user: string, text: string, id: number) => JSON.stringify({ update_id: id, message: { message_id: id, date: 1_700_000_000, chat: { id: Number(user), type: 'private' }, from: { id: Number(user), is_bot: false, first_name: 'Lan' }, text } });
    return {
      user: () => String(nextUser++),
      text: (user, text, id) => json(url, update(user, text, updateId(id)), { 'x-telegram-bot-api-secret-token': secret }),
      async unauthenticated(user, text) {
        const body = update(user, text, updateId());
        return [await json(url, body, { 'x-telegram-bot-api-secret-token': 'wrong-secret' }), await json(url, body)];
      },
      raw: (body) => json(url, body, { 'x-telegram-bot-api-secret-token': secret }),
      received: (user) => tg.sent(user).map((m) => visible(m.text)),
      idle: async () => Promise.all(s.server.channels.map((c) => c.idle())).then(() => undefined),
      key: (user) => `tg:${user}`,
      logs: () => s.logs,
      clock: s.clock,
      store: s.server.store,
      keys: s.keys,
      async stop() {
        await s.close();
        await tg.stop();
      },
    };
  },
};

const zalo: ChannelHarness = {
  name: 'zalo',
  malformed: [
    { kind: 'not-an-object', body: '[]' },
    { kind: 'not-an-object', body: '"message.text.received"' },
    { kind: 'not-an-object', body: '{"ok":true,"result":"x"}' },
    { kind: 'missing-object', body: '{"event_name":"message.text.received","message":{"text":"xin chào","message_id":"m1"}}' },
    { kind: 'missing-object', body: '{"event_name":"message.text.received"}' },
    { kind: 'string-for-object', body: '{"event_name":"message.text.received","message":"xin chào"}' },
    { kind: 'string-for-object', body: '{"ok":true,"result":{"event_name":"message.text.received","message":{"chat":"u1","text":"xin chào"}}}' },
    { kind: 'object-for-id', body: '{"event_name":"message.text.received","message":{"chat":{"id":{"a":1}},"from":{"id":{"b":2}},"text":"xin chào","message_id":"m2"}}' },
    { kind: 'object-for-id', body: '{"event_name":"message.text.received","message":{"chat":{"id":"u2"},"text":"xin chào","message_id":{"x":1}}}' },
    { kind: 'object-for-text', body: '{"event_name":"message.text.received","message":{"chat":{"id":"u3"},"text":{"a":1},"message_id":"m3"}}' },
  ],
  async start(): Promise<HarnessRun> {
    const fake = await startFakeZalo();
    const secret = 'contract-zalo-secret';
    const s = await server({ ZALO_BOT_TOKEN: fake.token, ZALO_API_ROOT: fake.apiRoot, ZALO_WEBHOOK_SECRET: secret });
    let nextUser = 1;
    let nextId = 1;
    const url = `${s.server.url}/webhooks/zalo`;
    const update = (user: string, text: string, id: string) =>
      JSON.stringify({ ok: true, result: { event_name: 'message.text.received', message: { from: { id: user, display_name: 'Lan', is_bot: false }, chat: { id: user, chat_type: 'PRIVATE' }, text, message_id: id, date: Date.now() } } });
    return {
      user: () => `zc${(nextUser++).toString(16).padStart(18, '0')}`,
      text: (user, text, id) => json(url, update(user, text, id ?? `zm${nextId++}`), { 'x-bot-api-secret-token': secret }),
      async unauthenticated(user, text) {
        const body = update(user, text, `zm${nextId++}`);
        return [await json(url, body, { 'x-bot-api-secret-token': 'wrong-secret-123' }), await json(url, body)];
      },
      raw: (body) => json(url, body, { 'x-bot-api-secret-token': secret }),
      received: (user) => fake.sent(user).map((m) => m.text),
      idle: async () => Promise.all(s.server.channels.map((c) => c.idle())).then(() => undefined),
      key: (user) => `zalo:${user}`,
      logs: () => s.logs,
      clock: s.clock,
      store: s.server.store,
      keys: s.keys,
      async stop() {
        await s.close();
        await fake.stop();
      },
    };
  },
};

/** Signed bodies need an app_id and a timestamp inside; `$TS` is replaced by the current time. */
const oaMalformed = (body: string) => body;
const zaloOa: ChannelHarness = {
  name: 'zalo-oa',
  malformed: [
    // No app_id or timestamp to check a signature against: refused before anything is read.
    { kind: 'not-an-object', body: '[]', alsoAllowed: [401] },
    { kind: 'not-an-object', body: '"user_send_text"', alsoAllowed: [401] },
    { kind: 'missing-object', body: oaMalformed('{"app_id":"$APP","timestamp":"$TS","event_name":"user_send_text","recipient":{"id":"$OA"},"message":{"text":"xin chào","msg_id":"x1"}}') },
    { kind: 'missing-object', body: oaMalformed('{"app_id":"$APP","timestamp":"$TS","event_name":"follow","oa_id":"$OA"}') },
    { kind: 'string-for-object', body: oaMalformed('{"app_id":"$APP","timestamp":"$TS","event_name":"user_send_text","sender":"5510185758261927916","recipient":{"id":"$OA"},"message":{"text":"xin chào","msg_id":"x2"}}') },
    { kind: 'string-for-object', body: oaMalformed('{"app_id":"$APP","timestamp":"$TS","event_name":"user_send_text","sender":{"id":"5510185758261927916"},"recipient":{"id":"$OA"},"message":"xin chào"}') },
    { kind: 'object-for-id', body: oaMalformed('{"app_id":"$APP","timestamp":"$TS","event_name":"user_send_text","sender":{"id":{"a":1}},"recipient":{"id":"$OA"},"message":{"text":"xin chào","msg_id":"x3"}}') },
    { kind: 'object-for-id', body: oaMalformed('{"app_id":"$APP","timestamp":"$TS","event_name":"user_send_text","sender":{"id":"5510185758261927916"},"recipient":{"id":"$OA"},"message":{"text":"xin chào","msg_id":{"x":1}}}') },
    { kind: 'object-for-text', body: oaMalformed('{"app_id":"$APP","timestamp":"$TS","event_name":"user_send_text","sender":{"id":"5510185758261927916"},"recipient":{"id":"$OA"},"message":{"text":{"a":1},"msg_id":"x4"}}') },
    { kind: 'object-for-text', body: oaMalformed('{"app_id":"$APP","timestamp":"$TS","event_name":{"a":1},"sender":{"id":"5510185758261927916"}}') },
  ],
  async start(): Promise<HarnessRun> {
    const oa = await startFakeZaloOa();
    const tokens = oa.issueTokens();
    const s = await server({
      ...oa.env(tokens),
    });
    let nextUser = 1;
    const url = `${s.server.url}/webhooks/zalo-oa`;
    return {
      user: () => `66101857582619${String(nextUser++).padStart(5, '0')}`,
      text: (user, text, id) => oa.postEvent(url, oa.textEvent(user, text, id ? { msgId: id } : {})).then((r) => r.status),
      async unauthenticated(user, text) {
        const event = oa.textEvent(user, text);
        return [(await oa.postEvent(url, event, { signature: 'wrong' })).status, (await oa.postEvent(url, event, { signature: 'none' })).status];
      },
      async raw(body) {
        const filled = body.replace(/\$APP/g, oa.appId).replace(/\$OA/g, oa.oaId).replace(/\$TS/g, String(Date.now()));
        let parsed: Record<string, unknown> | string = filled;
        try {
          const value = JSON.parse(filled) as unknown;
          if (typeof value === 'object' && value !== null && !Array.isArray(value)) parsed = value as Record<string, unknown>;
        } catch {
          // sent as is
        }
        return (await oa.postEvent(url, parsed, { body: filled })).status;
      },
      received: (user) => oa.sent(user).map((m) => m.text),
      idle: async () => Promise.all(s.server.channels.map((c) => c.idle())).then(() => undefined),
      key: (user) => `zoa:${user}`,
      logs: () => s.logs,
      clock: s.clock,
      store: s.server.store,
      keys: s.keys,
      async stop() {
        await s.close();
        await oa.stop();
      },
    };
  },
};

const web: ChannelHarness = {
  name: 'web',
  malformed: [
    { kind: 'not-an-object', body: '[]' },
    { kind: 'not-an-object', body: '"xin chào"' },
    { kind: 'missing-object', body: '{"kind":"text","text":"xin chào"}' },
    // The message JSON-encoded twice: a string where the object belongs.
    { kind: 'string-for-object', body: JSON.stringify(JSON.stringify({ messageId: '11111111-2222-4333-8444-555555555555', kind: 'text', text: 'xin chào' })) },
    { kind: 'object-for-text', body: '{"messageId":"11111111-2222-4333-8444-555555555558","kind":"choice","choiceId":"find","label":{"a":1}}' },
    { kind: 'object-for-id', body: '{"messageId":{"a":1},"kind":"text","text":"xin chào"}' },
    { kind: 'object-for-id', body: '{"messageId":"11111111-2222-4333-8444-555555555556","kind":"choice","choiceId":{"a":1}}' },
    { kind: 'object-for-text', body: '{"messageId":"11111111-2222-4333-8444-555555555557","kind":"text","text":{"a":1}}' },
  ],
  async start(): Promise<HarnessRun> {
    const s = await server({});
    const received = new Map<string, string[]>();
    const messageIds = new Map<string, string>();
    const post = async (user: string, body: Record<string, unknown> | string) => {
      const res = await fetch(`${s.server.url}/webchat/conversations/${user}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      if (res.status === 200) {
        const { replies } = (await res.json()) as { replies: Array<{ html: string }> };
        received.set(user, [...(received.get(user) ?? []), ...replies.map((r) => visible(r.html))]);
      }
      return res.status;
    };
    const idOf = (id?: string) => {
      if (id === undefined) return randomUUID();
      if (!messageIds.has(id)) messageIds.set(id, randomUUID());
      return messageIds.get(id)!;
    };
    return {
      user: () => randomUUID(),
      text: (user, text, id) => post(user, text === '/start' ? { messageId: idOf(id), kind: 'start' } : { messageId: idOf(id), kind: 'text', text }),
      raw: (body) => post(randomUUID(), body),
      received: (user) => (user ? (received.get(user) ?? []) : [...received.values()].flat()),
      idle: async () => undefined,
      key: (user) => `web:${user}`,
      logs: () => s.logs,
      clock: s.clock,
      store: s.server.store,
      keys: s.keys,
      stop: s.close,
    };
  },
};

const cli: ChannelHarness = {
  name: 'cli',
  // The terminal gives lines, not JSON; these are what the kit is handed instead of a line.
  malformed: [
    { kind: 'not-an-object', body: '"xin chào"' },
    { kind: 'missing-object', body: '{"turn":1}' },
    { kind: 'string-for-object', body: '{"line":"xin chào","turn":"1","conversationId":"c"}' },
    { kind: 'object-for-id', body: '{"line":"xin chào","turn":1,"conversationId":{"a":1}}' },
    { kind: 'object-for-text', body: '{"line":{"a":1},"turn":1,"conversationId":"c"}' },
  ],
  async start(): Promise<HarnessRun> {
    const prefix = uniquePrefix('contract-cli');
    const { redis, keys } = await redisFor(prefix);
    const store: SessionStore = createRedisSessionStore({ redis, prefix, sessionTtlSeconds: 600, dedupeTtlSeconds: 600 });
    const conversation = createConversation({ engine: realAssistant().engine, store, handoff: hotlineOnlyHandoff, log: silentLogger, conversationKey });
    const received = new Map<string, string[]>();
    let current = '';
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const text = chunk.toString().trim();
        if (text) received.set(current, [...(received.get(current) ?? []), text]);
        done();
      },
    });
    const channel = runChannel(cliChannel, { output }, { conversation, log: silentLogger, tuning: {} });
    const turn = numbering(1);
    const handle = async (native: unknown) => {
      const outcome = await channel.kit.handle(native, { deliver: false });
      if (outcome.kind === 'rejected') return 400;
      if (outcome.kind === 'handled') {
        current = outcome.inbound.conversationId;
        await channel.send(outcome.inbound.conversationId, outcome.handled.replies);
      }
      return 200;
    };
    return {
      user: () => randomUUID(),
      text: (user, line, id) => handle({ line, turn: turn(id), conversationId: user }),
      raw: (body) => handle(JSON.parse(body)),
      received: (user) => (user ? (received.get(user) ?? []) : [...received.values()].flat()),
      idle: async () => undefined,
      key: (user) => `cli:${user}`,
      store,
      keys,
      async stop() {
        await store.close();
        redis.disconnect();
      },
    };
  },
};

export const harnesses: Record<string, ChannelHarness> = { telegram, zalo, 'zalo-oa': zaloOa, web, cli };
