/**
 * @module Opens one registered channel for a test exactly as the server does (the kit's
 * openChannel with a Config read from the given environment), on a real conversation, and serves
 * its routes on a fastify app for `inject()` or a real port.
 *
 *   const { channel, app } = await openTestChannel(telegramChannel, { env: { TELEGRAM_BOT_TOKEN: tg.token, … }, conversation });
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { createMemoryChannelState, createRedisChannelState } from '../../src/channels/channel-state.js';
import type { AnyChannelDefinition, ChannelTuning } from '../../src/channels/define-channel.js';
import { openChannel, type RunningChannel } from '../../src/channels/open-channel.js';
import { loadConfig } from '../../src/config.js';
import type { Conversation } from '../../src/conversation/handle-inbound.js';
import { silentLogger, type Logger } from '../../src/conversation/logger.js';
import type { RedisClient } from '../../src/store/redis-connection.js';
import { realAssistant } from './assistant.js';

export interface TestChannelOptions {
  /** Environment variables (as in .env) for loadConfig. */
  env: Record<string, string>;
  conversation: Conversation;
  log?: Logger;
  redis?: RedisClient;
  /** Short timings by default, so retries and polls do not slow the tests. */
  tuning?: ChannelTuning;
  now?: () => number;
}

export async function openTestChannel(definition: AnyChannelDefinition, options: TestChannelOptions): Promise<{ channel: RunningChannel; app: FastifyInstance }> {
  const config = loadConfig({ HOST: '127.0.0.1', ...options.env });
  const log = options.log ?? silentLogger;
  const channel = await openChannel(definition, {
    env: {
      config,
      log,
      assistant: realAssistant(),
      ...(options.redis ? { redis: options.redis } : {}),
      state: options.redis ? createRedisChannelState({ redis: options.redis, prefix: config.REDIS_KEY_PREFIX }) : createMemoryChannelState(),
      tuning: { retryDelayMs: 50, pollTimeoutSeconds: 1, minPollIntervalMs: 20, ...options.tuning },
      now: options.now ?? Date.now,
    },
    conversation: options.conversation,
  });
  if (!channel) throw new Error(`channel ${definition.name} stayed off: its variables are missing from env`);
  const app = Fastify({ logger: false });
  await app.register(channel.routes);
  await app.ready();
  return { channel, app };
}
