/**
 * @module The composition root: starts the whole server from a Config. Loads and checks flows and
 * content (refusing to start on any problem), opens the store (memory, or Redis when configured),
 * the handoff, the conversation, then every registered channel the configuration turns on
 * (channels/index.ts), builds the app, listens, and starts the channels (webhook registration or
 * long polling, retried in the background). `close()` shuts it all down in order. main.ts calls
 * this; the benchmark and the tests call it too, so they run exactly what production runs.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createMemoryAnalyticsStore } from './analytics/analytics-store.js';
import { createAnalytics, createNoAnalytics, type Analytics } from './analytics/create-analytics.js';
import { createRedisAnalyticsStore } from './analytics/redis-analytics-store.js';
import { impactRoutes } from './analytics/report-routes.js';
import { linkRoutes, portalLinkPath } from './analytics/link-routes.js';
import type { Inbound } from './engine/messages.js';
import { kitRoutes } from './kit/kit-routes.js';
import { createMemoryChannelState, createRedisChannelState } from './channels/channel-state.js';
import type { ChannelTuning } from './channels/define-channel.js';
import { channelDefinitions, channelLabels, conversationKey } from './channels/index.js';
import { openChannel, type RunningChannel } from './channels/open-channel.js';
import { createDeliveryWorker, type DeliveryWorker } from './channels/delivery-worker.js';
import { DeliveryError } from './channels/delivery-error.js';
import { maskPersonalNumbers } from './conversation/redact.js';
import { createMemoryOutbox } from './store/memory-outbox.js';
import type { Outbox } from './store/outbox.js';
import { createRedisOutbox } from './store/redis-outbox.js';
import { createDesk, deskRuns } from './handoff/create-desk.js';
import type { Handoff } from './handoff/create-handoff.js';
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
  /** Replies waiting for delivery, and the worker of this instance that sends them. */
  outbox: Outbox;
  deliveries: DeliveryWorker;
  /** The channels the configuration turned on, in registry order. */
  channels: RunningChannel[];
  /** The staff desk, when one runs (Redis + STAFF_SESSION_SECRET, or the demo). */
  desk?: Handoff;
  /** What the dashboard counts (nothing in the demo). */
  analytics: Analytics;
  /** Stops accepting, ends SSE streams, stops polling, finishes turns in flight, closes Redis. Idempotent. */
  close(): Promise<void>;
}

export interface StartServerOptions {
  logger: PinoLogger;
  /** Port override (0 = any free port), for tests and the benchmark. */
  port?: number;
  app?: BuildAppOptions;
  /** Channel timings (poll window, retry delays, send timeout, web rate limit) for tests and the benchmark. */
  channels?: ChannelTuning;
  /** Node process metrics (CPU, memory, event loop) on /metrics. Default true. */
  processMetrics?: boolean;
  /** `npm run demo`: the staff desk on memory stores, its tickets and reports marked demo. */
  demo?: boolean;
  /** The clock of the conversation, the channels and the desk (tests move it; default Date.now). */
  now?: () => number;
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
  const now = options.now ?? Date.now;
  // ── staff desk (1/2): whether one runs decides what the flows offer (see handoff/create-desk.ts) ──
  const deskOn = deskRuns(config, redisConfigured(config), options.demo === true);
  // ── end staff desk (1/2) ──
  const publicBase = config.PUBLIC_URL?.replace(/\/+$/, '');
  const { assistant, problems } = loadAssistant({
    flowsDir: config.FLOWS_DIR,
    contentDir: config.CONTENT_DIR,
    sessionTtlSeconds: config.SESSION_TTL_SECONDS,
    desk: deskOn,
    // With a public address the online guide links through /go/… (link-routes.ts), so opening the
    // portal is counted; without one it links the portal directly and the dashboard says so.
    ...(publicBase ? { portalLink: (entryId: string, caseId?: string) => `${publicBase}${portalLinkPath(entryId, caseId)}` } : {}),
  });
  if (!assistant) throw new AssistantInvalidError(problems);

  const ttl = { sessionTtlSeconds: config.SESSION_TTL_SECONDS, dedupeTtlSeconds: config.DEDUPE_TTL_SECONDS };
  let redis: RedisClient | undefined;
  let store: SessionStore;
  let outbox: Outbox;
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
    outbox = createRedisOutbox({ redis, prefix: config.REDIS_KEY_PREFIX, undeliveredTtlSeconds: config.SESSION_TTL_SECONDS, now });
    log.info({ mode: config.REDIS_CLUSTER_NODES ? 'cluster' : config.REDIS_SENTINELS ? 'sentinel' : 'single' }, 'sessions in redis');
  } else {
    const memoryOutbox = createMemoryOutbox({ now });
    outbox = memoryOutbox;
    store = createMemorySessionStore({ ...ttl, outbox: memoryOutbox });
    log.info({}, 'sessions in memory (REDIS_URL unset): one process only, lost on restart');
  }

  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const metrics = createMetrics(registry);
  // What the dashboard counts, on the same store as the sessions; the demo counts nothing.
  const analytics: Analytics =
    options.demo === true
      ? createNoAnalytics()
      : createAnalytics({ store: redis ? createRedisAnalyticsStore({ redis, prefix: config.REDIS_KEY_PREFIX, now }) : createMemoryAnalyticsStore({ now }), log, now });
  const onEvents: typeof metrics.onEvents = (key, events, inbound) => {
    metrics.onEvents(key, events, inbound);
    analytics.onEvents(key, events, inbound);
  };

  /** The tracked portal link gets the conversation's token (no token yet: the link still works, uncounted). */
  const tracked = publicBase ? `${publicBase}/go/` : undefined;
  const tagLink = (url: string, inbound: Inbound): string => {
    if (!tracked || !url.startsWith(tracked)) return url;
    const token = analytics.linkToken(inbound);
    return token ? `${url}?c=${encodeURIComponent(token)}` : url;
  };

  // ── staff desk (2/2): its stores (Redis, or memory in the demo), the port the conversation calls,
  // the console routes. Staff replies go out through the citizen's channel (`running`, filled below).
  const running = new Map<string, RunningChannel>();
  const desk = createDesk({
    config,
    ...(redis ? { redis } : {}),
    assistant,
    sessions: store,
    log,
    demo: options.demo === true,
    channelLabels: channelLabels(),
    undelivered: (limit) => outbox.deadLetters(limit),
    onActivity: (activity) => analytics.onDeskActivity(activity),
    pages: [
      impactRoutes({
        // The demo counts nothing: its dashboard shows an empty store, and says why.
        store: analytics.store ?? createMemoryAnalyticsStore({ now }),
        channelLabels: channelLabels(),
        procedureName: (id) => assistant.catalog.byId.get(id)?.name,
        unitName: assistant.catalog.unit.name,
        demo: options.demo === true,
        linksCounted: publicBase !== undefined && options.demo !== true,
        now,
      }),
      kitRoutes({ assistant, ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}), ...(analytics.store ? { store: analytics.store } : {}), now }),
    ],
    deliver: async (channel, conversationId, messages) => {
      const open = running.get(channel);
      if (!open) throw new Error(`channel ${channel} is not running`);
      await open.send(conversationId, messages);
    },
    // What the citizen's channel knows of the conversation (Zalo OA's reply window): the console
    // shows it and the desk refuses a reply the platform would reject. Other channels say nothing.
    statusOf: async (channel, conversationId) => (await running.get(channel)?.status(conversationId)) ?? {},
    now,
  });
  // ── end staff desk (2/2) ──
  // ── delivery outbox: turns queue their replies with the save; this worker sends them ──
  const deliveries = createDeliveryWorker({
    outbox,
    log,
    now,
    mask: maskPersonalNumbers,
    send: async (channel, conversationId, messages, timeoutSeconds) => {
      const open = running.get(channel);
      if (!open) throw new DeliveryError(channel, 'transient', 'network', { description: `channel ${channel} is not running on this instance` });
      await open.sendNow(conversationId, messages, timeoutSeconds);
    },
    describe: (channel, error) => running.get(channel)?.describe(error) ?? 'send failed',
    sendTimeoutSeconds: options.channels?.sendTimeoutSeconds ?? config.OUTBOX_SEND_TIMEOUT_SECONDS,
    horizonMs: config.OUTBOX_HORIZON_SECONDS * 1000,
    retryBaseMs: config.OUTBOX_RETRY_BASE_MS,
    retryCapMs: config.OUTBOX_RETRY_CAP_SECONDS * 1000,
    sweepMs: config.OUTBOX_SWEEP_MS,
    ...metrics.outbox,
  });
  metrics.outbox.watch(() => deliveries.stats(), now);
  const conversation = metrics.instrumentConversation(
    createConversation({ engine: assistant.engine, store, handoff: desk.port, log, onEvents, tagLink, conversationKey, now, deliveries: { queued: (key) => deliveries.kick(key), leaseFor: (key) => deliveries.leaseFor(key) } }),
  );

  const env = {
    config,
    log,
    assistant,
    ...(redis ? { redis } : {}),
    state: redis ? createRedisChannelState({ redis, prefix: config.REDIS_KEY_PREFIX }) : createMemoryChannelState(now),
    tuning: options.channels ?? {},
    now,
  };
  const channels: RunningChannel[] = [];
  try {
    for (const definition of channelDefinitions) {
      const channel = await openChannel(definition, { env, conversation, onSent: metrics.countSent, deliveriesIdle: () => deliveries.idle() });
      if (channel) channels.push(channel);
    }
  } catch (error) {
    await Promise.allSettled(channels.map((c) => c.stop()));
    await desk.close().catch(() => undefined);
    await analytics.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    if (redis) await redis.quit().catch(() => redis?.disconnect());
    throw error;
  }
  for (const channel of channels) running.set(channel.name, channel);
  const plugins = [desk.routes, linkRoutes({ catalog: assistant.catalog, linkOpened: (token, procedure) => analytics.linkOpened(token, procedure) })];
  const degradedAfterMs = config.OUTBOX_DEGRADED_AFTER_SECONDS * 1000;
  const outboxHealth = {
    problem(): string | undefined {
      const { oldestAt } = deliveries.stats();
      if (oldestAt === undefined || now() - oldestAt <= degradedAfterMs) return undefined;
      return `outbox: oldest pending reply waiting ${Math.round((now() - oldestAt) / 1000)} s`;
    },
  };
  const app = await buildApp({ store, channels, plugins, logger: log, metrics, degraded: [outboxHealth], options: { trustProxy: trustProxyOf(config), ...options.app } });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Stop taking work (HTTP and polling) at once; both wait for the turns they started. The
      // worker keeps delivering for the drain period, then leaves the rest in the outbox.
      await Promise.allSettled([app.close(), ...channels.map((c) => c.stop()), deliveries.stop(config.OUTBOX_DRAIN_SECONDS * 1000)]);
      await desk.close().catch(() => undefined);
      await analytics.close().catch(() => undefined);
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

  // Webhook registration (PUBLIC_URL set) or long polling: the first attempt is awaited, retries
  // go on in the background and /readyz names a channel that is not registered yet.
  await Promise.all(channels.map((channel) => channel.start(config.PUBLIC_URL)));
  deliveries.start();
  return { app, url, store, outbox, deliveries, channels, ...(desk.handoff ? { desk: desk.handoff } : {}), analytics, close };
}
