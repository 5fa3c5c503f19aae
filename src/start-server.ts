/**
 * @module Starts the whole server from a Config: loads and checks flows and content (refusing to
 * start on any problem), opens the store (memory, or Redis when configured), builds the
 * conversation, the channels and the app, listens, then registers webhooks (PUBLIC_URL set) or
 * starts long polling. `close()` shuts it all down in order. main.ts calls this; the benchmark and
 * the tests call it too, so they run exactly what production runs.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ChannelAdapter } from './channels/channel.js';
import type { ChannelName } from './engine/messages.js';
import { createDesk, deskRuns } from './handoff/create-desk.js';
import type { Handoff } from './handoff/create-handoff.js';
import { createTelegramChannel } from './channels/telegram/create-telegram-channel.js';
import { createWebChannel } from './channels/web/create-web-channel.js';
import { createZaloChannel } from './channels/zalo/create-zalo-channel.js';
import { createRedisTranscriptStore } from './channels/web/redis-transcript-store.js';
import { createRedisWebHub } from './channels/web/redis-web-hub.js';
import { createMemoryTranscriptStore, type TranscriptStore } from './channels/web/transcript-store.js';
import { createMemoryWebHub, type WebHub } from './channels/web/web-hub.js';
import type { Config } from './config.js';
import { createConversation } from './conversation/handle-inbound.js';
import type { Problem } from './flow/yaml-source.js';
import { loadAssistant } from './load-assistant.js';
import { createMemorySessionStore } from './store/memory-session-store.js';
import { createRedisClient, waitForRedis, type RedisClient } from './store/redis-connection.js';
import { createRedisSessionStore } from './store/redis-session-store.js';
import type { SessionStore } from './store/session-store.js';
import { buildApp, type BuildAppOptions } from './http/build-app.js';
import { createMetrics } from './http/metrics.js';

/** Flows or content are broken: the server must not start. `problems` name file:line each. */
export class AssistantInvalidError extends Error {
  readonly code = 'assistant_invalid';
  constructor(readonly problems: Problem[]) {
    super(`Refusing to start: ${problems.length} problem(s) in flows or content.`);
    this.name = 'AssistantInvalidError';
  }
}

export interface RunningServer {
  app: FastifyInstance;
  /** http://<host>:<port> actually bound (port 0 → the chosen port). */
  url: string;
  store: SessionStore;
  channels: ChannelAdapter[];
  /** The staff desk, when one runs (Redis + STAFF_SESSION_SECRET, or the demo). */
  desk?: Handoff;
  /** Stops accepting, ends SSE streams, stops polling, finishes turns in flight, closes Redis. Idempotent. */
  close(): Promise<void>;
}

export interface StartServerOptions {
  logger: PinoLogger;
  /** Port override (0 = any free port), for tests and the benchmark. */
  port?: number;
  app?: BuildAppOptions;
  /** Requests per minute per IP on the web chat API. */
  webRateLimitPerMinute?: number;
  /** Node process metrics (CPU, memory, event loop) on /metrics. Default true. */
  processMetrics?: boolean;
  /** `npm run demo`: the staff desk on memory stores, its tickets and reports marked demo. */
  demo?: boolean;
}

/** TRUST_PROXY: `true`/`false`, or the proxies' addresses/CIDRs, comma-separated. */
function trustProxyOf(config: Config): boolean | string | string[] {
  const raw = config.TRUST_PROXY;
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Whether the configuration names a Redis (one server, a Cluster or Sentinels). */
export function redisConfigured(config: Config): boolean {
  return Boolean(config.REDIS_URL || config.REDIS_CLUSTER_NODES || config.REDIS_SENTINELS);
}

export async function startServer(config: Config, options: StartServerOptions): Promise<RunningServer> {
  const log = options.logger;
  // ── staff desk (1/2): whether one runs decides what the flows offer (see handoff/create-desk.ts) ──
  const deskOn = deskRuns(config, redisConfigured(config), options.demo === true);
  // ── end staff desk (1/2) ──
  const { assistant, problems } = loadAssistant({
    flowsDir: config.FLOWS_DIR,
    contentDir: config.CONTENT_DIR,
    sessionTtlSeconds: config.SESSION_TTL_SECONDS,
    desk: deskOn,
  });
  if (!assistant) throw new AssistantInvalidError(problems);

  const ttl = { sessionTtlSeconds: config.SESSION_TTL_SECONDS, dedupeTtlSeconds: config.DEDUPE_TTL_SECONDS };
  let redis: RedisClient | undefined;
  let store: SessionStore;
  let transcripts: TranscriptStore;
  let hub: WebHub;
  if (redisConfigured(config)) {
    redis = createRedisClient(config, { log });
    try {
      await waitForRedis(redis, 5000);
    } catch {
      // Serve anyway: the web chat and webhooks answer with the apology and /readyz says 503
      // until Redis is back; ioredis keeps reconnecting.
      log.warn({}, 'redis not reachable at start; serving degraded until it is');
    }
    store = createRedisSessionStore({ redis, prefix: config.REDIS_KEY_PREFIX, ...ttl, log });
    transcripts = createRedisTranscriptStore({ redis, prefix: config.REDIS_KEY_PREFIX, ttlSeconds: config.SESSION_TTL_SECONDS });
    hub = await createRedisWebHub({ redis, prefix: config.REDIS_KEY_PREFIX, log });
    log.info({ mode: config.REDIS_CLUSTER_NODES ? 'cluster' : config.REDIS_SENTINELS ? 'sentinel' : 'single' }, 'sessions in redis');
  } else {
    store = createMemorySessionStore(ttl);
    transcripts = createMemoryTranscriptStore({ ttlSeconds: config.SESSION_TTL_SECONDS });
    hub = createMemoryWebHub();
    log.info({}, 'sessions in memory (REDIS_URL unset): one process only, lost on restart');
  }

  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const metrics = createMetrics(registry);

  // ── staff desk (2/2): its stores (Redis, or memory in the demo), the port the conversation calls,
  // the console routes. Staff replies go out through the citizen's channel (`running`, filled below).
  const running = new Map<ChannelName, ChannelAdapter>();
  const desk = createDesk({
    config,
    ...(redis ? { redis } : {}),
    assistant,
    log,
    demo: options.demo === true,
    deliver: async (channel, conversationId, messages) => {
      const adapter = running.get(channel);
      if (!adapter) throw new Error(`channel ${channel} is not running`);
      await adapter.send(conversationId, messages);
    },
  });
  // ── end staff desk (2/2) ──
  const conversation = metrics.instrumentConversation(
    createConversation({ engine: assistant.engine, store, handoff: desk.port, log, onEvents: metrics.onEvents }),
  );

  const channels: ChannelAdapter[] = [
    createWebChannel({
      conversation,
      transcripts,
      hub,
      log,
      unit: { name: assistant.catalog.unit.name, shortName: assistant.catalog.unit.short_name },
      onSent: metrics.countSent,
      ...(options.webRateLimitPerMinute !== undefined ? { rateLimitPerMinute: options.webRateLimitPerMinute } : {}),
    }),
  ];
  if (config.TELEGRAM_BOT_TOKEN) {
    channels.push(
      createTelegramChannel({
        token: config.TELEGRAM_BOT_TOKEN,
        apiRoot: config.TELEGRAM_API_ROOT,
        ...(config.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: config.TELEGRAM_WEBHOOK_SECRET } : {}),
        conversation,
        log,
      }),
    );
  }
  if (config.ZALO_BOT_TOKEN) {
    channels.push(
      createZaloChannel({
        token: config.ZALO_BOT_TOKEN,
        apiRoot: config.ZALO_API_ROOT,
        ...(config.ZALO_WEBHOOK_SECRET ? { webhookSecret: config.ZALO_WEBHOOK_SECRET } : {}),
        conversation,
        log,
        onSent: metrics.countSent,
      }),
    );
  }

  for (const channel of channels) running.set(channel.name, channel);
  const plugins = [desk.routes];
  const app = await buildApp({ store, channels, plugins, logger: log, metrics, options: { trustProxy: trustProxyOf(config), ...options.app } });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Stop taking work (HTTP and polling) at once; both wait for the turns they started.
      await Promise.allSettled([app.close(), ...channels.map((c) => c.stop())]);
      await desk.close().catch(() => undefined);
      await hub.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    })());

  try {
    await app.listen({ host: config.HOST, port: options.port ?? config.PORT });
  } catch (error) {
    await close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;

  for (const channel of channels) {
    try {
      if (config.PUBLIC_URL && channel.setWebhook) {
        await channel.setWebhook(config.PUBLIC_URL);
        log.info({ channel: channel.name }, 'webhook registered');
      } else if (!config.PUBLIC_URL && channel.startPolling) {
        await channel.startPolling();
        log.info({ channel: channel.name }, 'long polling started');
      }
    } catch (error) {
      // The web chat and the other channels keep serving; this one waits for an operator.
      log.error({ channel: channel.name, err: (error as Error).message }, 'channel could not start');
    }
  }
  return { app, url, store, channels, ...(desk.handoff ? { desk: desk.handoff } : {}), close };
}
