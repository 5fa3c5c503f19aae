/**
 * @module Builds the real HTTP app for tests, as main.ts does but in-process: the real assistant
 * (flows/ + content/), a conversation on the store given (memory by default), the web channel,
 * metrics on a fresh registry, and a pino logger whose lines are kept in `logs` so a test can
 * check what was (not) logged. `listen()` gives a real port for SSE and browser tests.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { ChannelAdapter } from '../../src/channels/channel.js';
import { createWebChannel } from '../../src/channels/web/create-web-channel.js';
import { createMemoryTranscriptStore, type TranscriptStore } from '../../src/channels/web/transcript-store.js';
import { createMemoryWebHub, type WebHub } from '../../src/channels/web/web-hub.js';
import { createConversation } from '../../src/conversation/handle-inbound.js';
import { hotlineOnlyHandoff } from '../../src/conversation/handoff-port.js';
import { buildApp } from '../../src/http/build-app.js';
import { createLogger } from '../../src/http/create-logger.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createMemorySessionStore } from '../../src/store/memory-session-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { realAssistant } from './assistant.js';

export interface TestAppOptions {
  store?: SessionStore;
  transcripts?: TranscriptStore;
  hub?: WebHub;
  webRateLimitPerMinute?: number;
  bodyLimit?: number;
}

export interface TestApp {
  app: FastifyInstance;
  store: SessionStore;
  transcripts: TranscriptStore;
  web: ChannelAdapter;
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
  const transcripts = options.transcripts ?? createMemoryTranscriptStore({ ttlSeconds: 3600 });
  const hub = options.hub ?? createMemoryWebHub();
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
    createConversation({ engine: assistant.engine, store, handoff: hotlineOnlyHandoff, log: logger, onEvents: metrics.onEvents }),
  );
  const web = createWebChannel({
    conversation,
    transcripts,
    hub,
    log: logger,
    unit: { name: assistant.catalog.unit.name, shortName: assistant.catalog.unit.short_name },
    onSent: metrics.countSent,
    ...(options.webRateLimitPerMinute !== undefined ? { rateLimitPerMinute: options.webRateLimitPerMinute } : {}),
  });
  const app = await buildApp({
    store,
    channels: [web],
    logger,
    metrics,
    ...(options.bodyLimit !== undefined ? { options: { bodyLimit: options.bodyLimit } } : {}),
  });
  return {
    app,
    store,
    transcripts,
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
      await hub.close();
    },
  };
}
