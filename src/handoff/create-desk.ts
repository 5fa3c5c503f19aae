/**
 * @module Which staff desk a server runs, built from the configuration, for the composition root
 * (start-server.ts): on Redis with STAFF_SESSION_SECRET (production, any number of instances), on
 * memory for `npm run demo` (one process, marked demo), or none (`npm start` without them). With
 * no desk, the port answers every request `no_desk` (the flows then give the hotline and office
 * hours) and /staff says how to turn the console on.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { DeskActivity } from '../analytics/create-analytics.js';
import type { Config } from '../config.js';
import type { HandoffPort } from '../conversation/handoff-port.js';
import type { Logger } from '../conversation/logger.js';
import type { Assistant } from '../load-assistant.js';
import { createMemoryStaffStore } from '../store/memory-staff-store.js';
import { createMemoryTicketStore } from '../store/memory-ticket-store.js';
import type { DeadLetter } from '../store/outbox.js';
import type { RedisClient } from '../store/redis-connection.js';
import type { SessionStore } from '../store/session-store.js';
import { createRedisStaffStore } from '../store/redis-staff-store.js';
import { createRedisTicketStore } from '../store/redis-ticket-store.js';
import { createHandoff, type Deliver, type Handoff, type StatusOf } from './create-handoff.js';
import { createHandoffBus, createMemoryHandoffBus } from './handoff-bus.js';
import { createNoDesk } from './no-desk.js';
import { staffRoutes, type StaffAuth } from './staff-routes.js';

export interface Desk {
  /** What the conversation calls. */
  port: HandoffPort;
  /** The console and its API, or the page saying how to turn it on. */
  routes: FastifyPluginAsync;
  /** The desk itself, when one runs (the demo adds its account through it). */
  handoff?: Handoff;
  close(): Promise<void>;
}

export type DeskConfig = Pick<Config, 'STAFF_SESSION_SECRET' | 'REDIS_KEY_PREFIX' | 'HANDOFF_RETENTION_DAYS'>;

/** Whether a desk runs: always in the demo; else only with Redis and a cookie secret. */
export function deskRuns(config: DeskConfig, redisConfigured: boolean, demo: boolean): boolean {
  return demo || (redisConfigured && Boolean(config.STAFF_SESSION_SECRET));
}

/** Says plainly why /staff is not there, for the ward's IT person. */
export const staffConsoleOff: FastifyPluginAsync = async (app) => {
  app.get('/staff', async (_request, reply) =>
    reply
      .status(503)
      .type('text/plain; charset=utf-8')
      .send('Bàn làm việc cán bộ chưa bật: cần cấu hình REDIS_URL và STAFF_SESSION_SECRET (xem README), hoặc chạy thử bằng `npm run demo`.\nThe staff desk is off: set REDIS_URL and STAFF_SESSION_SECRET (see README), or try `npm run demo`.\n'),
  );
};

export function createDesk(options: {
  config: DeskConfig;
  /** The server's Redis client, when one is configured. */
  redis?: RedisClient;
  assistant: Assistant;
  deliver: Deliver;
  /** The server's sessions: the desk reads a conversation's language from them (create-handoff.ts). */
  sessions?: Pick<SessionStore, 'peek'>;
  /** Asks the citizen's channel about the conversation (reply window): see channel-status.ts. */
  statusOf?: StatusOf;
  log: Logger;
  demo?: boolean;
  /** Channel name → what staff see, from the channel definitions. */
  channelLabels?: Record<string, string>;
  /** Replies the delivery outbox gave up on (the console lists them). */
  undelivered?: (limit: number) => Promise<DeadLetter[]>;
  /** Told what the desk did, for the dashboard. */
  onActivity?: (activity: DeskActivity) => void;
  /** More pages behind the staff login (dashboard, kit). */
  pages?: Array<(auth: StaffAuth) => FastifyPluginAsync>;
  now?: () => number;
}): Desk {
  const { config, redis, assistant, log, deliver } = options;
  const demo = options.demo === true;
  if (!deskRuns(config, Boolean(redis), demo)) {
    log.info({ staffConsole: false }, 'staff desk off (needs Redis and STAFF_SESSION_SECRET): asking for a person gives the hotline');
    return { port: createNoDesk({ assistant, ...(options.now ? { now: options.now } : {}) }), routes: staffConsoleOff, close: async () => {} };
  }
  const retention = { retentionDays: config.HANDOFF_RETENTION_DAYS, ...(options.now ? { now: options.now } : {}) };
  // The demo keeps everything in this process, even when a Redis is configured.
  const onRedis = !demo && redis ? redis : undefined;
  const handoff = createHandoff({
    tickets: onRedis ? createRedisTicketStore({ redis: onRedis, prefix: config.REDIS_KEY_PREFIX, ...retention }) : createMemoryTicketStore(retention),
    staff: onRedis ? createRedisStaffStore({ redis: onRedis, prefix: config.REDIS_KEY_PREFIX }) : createMemoryStaffStore(options.now ? { now: options.now } : {}),
    bus: onRedis ? createHandoffBus({ redis: onRedis, channel: `${config.REDIS_KEY_PREFIX}handoff:events`, log }) : createMemoryHandoffBus(),
    assistant,
    deliver,
    ...(options.sessions ? { sessions: options.sessions } : {}),
    ...(options.statusOf ? { statusOf: options.statusOf } : {}),
    log,
    demo,
    ...(options.onActivity ? { onActivity: options.onActivity } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  // The demo signs its cookies with a secret of its own; it never outlives the process.
  const sessionSecret = config.STAFF_SESSION_SECRET ?? randomBytes(32).toString('hex');
  log.info({ staffConsole: true, stores: onRedis ? 'redis' : 'memory', demo }, 'staff desk at /staff');
  return { port: handoff.port, routes: staffRoutes({ handoff, sessionSecret, log, ...(options.channelLabels ? { channelLabels: options.channelLabels } : {}), ...(options.pages ? { pages: options.pages } : {}), ...(options.undelivered ? { undelivered: options.undelivered } : {}) }), handoff, close: () => handoff.close() };
}
