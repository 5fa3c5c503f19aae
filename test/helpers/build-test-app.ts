/**
 * @module Builds the real HTTP app for tests, as main.ts does but in-process: the real assistant
 * (flows/ + content/), a conversation on the store given (memory by default), the web channel,
 * metrics on a fresh registry, and a pino logger whose lines are kept in `logs` so a test can
 * check what was (not) logged. `listen()` gives a real port for SSE and browser tests.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { createMemoryChannelState, createRedisChannelState } from '../../src/channels/channel-state.js';
import { conversationKey } from '../../src/channels/index.js';
import { openChannel, type RunningChannel } from '../../src/channels/open-channel.js';
import { webChannel } from '../../src/channels/web/web-channel.js';
import { loadConfig } from '../../src/config.js';
import { createConversation } from '../../src/conversation/handle-inbound.js';
import { hotlineOnlyHandoff } from '../../src/conversation/handoff-port.js';
import { buildApp } from '../../src/http/build-app.js';
import { createLogger } from '../../src/http/create-logger.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createMemorySessionStore } from '../../src/store/memory-session-store.js';
import type { RedisClient } from '../../src/store/redis-connection.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { realAssistant } from './assistant.js';

export interface TestAppOptions {
  store?: SessionStore;
  /** Web transcripts and the hub in this Redis (under `prefix`), as with REDIS_URL; memory otherwise. */
  redis?: { client: RedisClient; prefix: string };
  webRateLimitPerMinute?: number;
  bodyLimit?: number;
  /** More environment variables for loadConfig (the web chat's limits). */
  env?: Record<string, string>;
  /** As TRUST_PROXY: tests send X-Forwarded-For to play clients at other addresses. */
  trustProxy?: boolean;
}

export interface TestApp {
  app: FastifyInstance;
  store: SessionStore;
  web: RunningChannel;
  registry: Registry;
  /** Every log line written so far (JSON text). */
  logs: string[];
  /** Listens on 127.0.0.1:<free port> and returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const assistant = realAssistant();
  const store = options.store ?? createMemorySessionStore({ sessionTtlSeconds: 3600, dedupeTtlSeconds: 3600 });
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  });
  const registry = new Registry();
  const metrics = createMetrics(registry);
  const conversation = metrics.instrumentConversation(
    createConversation({ engine: assistant.engine, store, handoff: hotlineOnlyHandoff, log: logger, onEvents: metrics.onEvents, conversationKey }),
  );
  const config = loadConfig({ SESSION_TTL_SECONDS: '3600', ...(options.redis ? { REDIS_KEY_PREFIX: options.redis.prefix } : {}), ...options.env });
  const web = (await openChannel(webChannel, {
    env: {
      config,
      log: logger,
      assistant,
      ...(options.redis ? { redis: options.redis.client } : {}),
      state: options.redis ? createRedisChannelState({ redis: options.redis.client, prefix: options.redis.prefix }) : createMemoryChannelState(),
      tuning: options.webRateLimitPerMinute !== undefined ? { webRateLimitPerMinute: options.webRateLimitPerMinute } : {},
      now: Date.now,
    },
    conversation,
    onSent: metrics.countSent,
  })) as RunningChannel;
  const app = await buildApp({
    store,
    channels: [web],
    logger,
    metrics,
    options: { ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}), ...(options.trustProxy ? { trustProxy: true } : {}) },
  });
  return {
    app,
    store,
    web,
    registry,
    logs,
    async listen() {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error('not listening');
      return `http://127.0.0.1:${address.port}`;
    },
    async close() {
      await app.close();
      await web.stop();
    },
  };
}
