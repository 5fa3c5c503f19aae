/**
 * @module The Zalo Bot channel: the webhook route (POST /webhooks/zalo), the long-poll loop of
 * zalo-bot-api.md §A.7 for when there is no public URL, and `send` for staff replies. It only
 * translates updates into Inbound (to-inbound.ts) and replies into sendMessage calls (render.ts);
 * the conversation layer does everything else.
 *
 * Webhook answers: wrong or missing X-Bot-Api-Secret-Token → 401 before the body is read;
 * malformed JSON or no event → 400; too large → 413; an event that is not a message → 200
 * (ignored); a turn the store could not save ('degraded') → the apology is sent and 503, so Zalo
 * redelivers. Zalo redelivers on failure and may replay polled updates: the conversation layer
 * answers each message_id once. Replies are sent after the answer, in order per chat.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsync } from 'fastify';
import type { Conversation, TurnStatus } from '../../conversation/handle-inbound.js';
import type { Logger } from '../../conversation/logger.js';
import type { Outbound } from '../../engine/messages.js';
import type { ChannelAdapter } from '../channel.js';
import { redactToken } from '../redact-token.js';
import { createBackgroundWork, createPoller } from '../background-work.js';
import { bareWebhookErrors, requireSecret } from '../webhook-guards.js';
import { createZaloClient, type ZaloClient } from './create-zalo-client.js';
import { renderZalo } from './render.js';
import { toInbound, unwrapWebhookBody } from './to-inbound.js';
import { ZaloApiError, ZaloHttpError } from './zalo-errors.js';
import type { ZaloUpdate } from './zalo-types.js';

export const ZALO_WEBHOOK_PATH = '/webhooks/zalo';
const WEBHOOK_BODY_LIMIT = 256 * 1024;

export interface ZaloChannelOptions {
  token: string;
  /** ZALO_API_ROOT; defaults to https://bot-api.zaloplatforms.com. */
  apiRoot?: string;
  /** 8–256 characters. Required for the webhook: without it every webhook request is refused (401). */
  webhookSecret?: string;
  conversation: Conversation;
  log: Logger;
  /** A client built elsewhere (tests, a shared instance); by default one is made from token and apiRoot. */
  client?: ZaloClient;
  /** Called after `send` delivered messages outside a turn (staff replies), for metrics. Must not throw. */
  onSent?: (channel: string, messages: number) => void;
  /** getUpdates long-poll window in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Least time between two polls (default 1000 ms): Zalo may answer at once, replaying an update. */
  minPollIntervalMs?: number;
  /** First wait after a failed poll or a rate-limited send; doubles up to 60 s (default 1000 ms). */
  retryDelayMs?: number;
}

/** Thrown by setWebhook when it cannot be registered; the message holds no token. */
export class ZaloSetupError extends Error {
  readonly code = 'zalo_setup_failed';
}

/** `send` could not deliver: 'failed' (Zalo refused or was unreachable). */
export class ZaloDeliveryError extends Error {
  readonly code = 'failed';
  constructor() {
    super('Zalo could not be reached or refused the message.');
  }
}

type TurnResult = TurnStatus | 'ignored';

export function createZaloChannel(options: ZaloChannelOptions): ChannelAdapter {
  const { token, conversation, log } = options;
  const client = options.client ?? createZaloClient({ token, apiRoot: options.apiRoot ?? 'https://bot-api.zaloplatforms.com' });
  const pollTimeout = options.pollTimeoutSeconds ?? 30;
  const minPollInterval = options.minPollIntervalMs ?? 1000;
  const retryDelay = options.retryDelayMs ?? 1000;
  const work = createBackgroundWork();
  const track = work.track;
  const poller = createPoller((signal) => pollLoop(signal));
  const queues = new Map<string, Promise<boolean>>();
  let stopping = false;


  function describe(error: unknown): { code?: number; kind: 'api' | 'unreachable'; description: string } {
    if (error instanceof ZaloApiError) return { kind: 'api', code: error.errorCode, description: error.description };
    if (error instanceof ZaloHttpError) return { kind: 'unreachable', ...(error.httpStatus ? { code: error.httpStatus } : {}), description: `${error.message}${error.snippet ? `: ${error.snippet}` : ''}` };
    return { kind: 'unreachable', description: redactToken(error instanceof Error ? error.message : String(error), token).slice(0, 300) };
  }

  /** Sends one part; true when delivered. 429 is retried with a growing wait (bounded). */
  async function sendPart(chatId: string, text: string): Promise<boolean> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await client.sendMessage({ chat_id: chatId, text });
        return true;
      } catch (error) {
        const failure = describe(error);
        if (failure.code === 429 && attempt < 3) {
          const waitMs = retryDelay * 2 ** attempt;
          log.warn({ channel: 'zalo', code: 429, retryInMs: waitMs }, 'zalo rate limit; waiting before retrying');
          await sleep(waitMs);
          continue;
        }
        log.error({ channel: 'zalo', chat: chatId, kind: failure.kind, code: failure.code, description: failure.description }, 'zalo send failed; message dropped');
        return false;
      }
    }
  }

  async function deliverNow(chatId: string, messages: Outbound[]): Promise<boolean> {
    for (const message of messages) {
      for (const part of renderZalo(message)) {
        // Later parts without the earlier ones would read as nonsense: stop this batch.
        if (!(await sendPart(chatId, part))) return false;
      }
    }
    return true;
  }

  /** One chat's messages strictly in order, whoever sends them (a turn's replies, staff). */
  function deliver(chatId: string, messages: Outbound[]): Promise<boolean> {
    const previous = queues.get(chatId) ?? Promise.resolve(true);
    const run = previous
      .then(() => deliverNow(chatId, messages))
      .catch((error: unknown) => {
        log.error({ channel: 'zalo', description: describe(error).description }, 'zalo send failed; message dropped');
        return false;
      });
    queues.set(chatId, run);
    void run.then(() => {
      if (queues.get(chatId) === run) queues.delete(chatId);
    });
    return track(run);
  }

  async function runTurn(update: ZaloUpdate): Promise<TurnResult> {
    const inbound = toInbound(update);
    if (!inbound) return 'ignored';
    const handled = await conversation.handleInbound(inbound);
    if (handled.replies.length > 0) void deliver(inbound.conversationId, handled.replies);
    return handled.status;
  }

  const checkSecret = requireSecret('zalo', 'x-bot-api-secret-token', options.webhookSecret, log);

  const routes: FastifyPluginAsync = async (app) => {
    // Parser and size errors carry the offending input in their messages: answer a bare code.
    app.setErrorHandler(bareWebhookErrors('zalo', log, describe));
    app.post(
      ZALO_WEBHOOK_PATH,
      { bodyLimit: WEBHOOK_BODY_LIMIT, onRequest: checkSecret, schema: { body: { type: 'object' } } },
      async (request, reply) => {
        if (stopping) return reply.code(503).send({ error: 'shutting_down' });
        const update = unwrapWebhookBody(request.body);
        if (!update) return reply.code(400).send({ error: 'bad_request' });
        const status = await track(runTurn(update));
        if (status === 'degraded') return reply.code(503).send({ error: 'store_unavailable' });
        return reply.code(200).send({ message: 'Success' });
      },
    );
  };

  async function pollLoop(signal: AbortSignal): Promise<void> {
    let ready = false;
    let backoff = retryDelay;
    while (!signal.aborted) {
      const startedAt = Date.now();
      try {
        if (!ready) {
          // getUpdates is refused while a webhook is set (e.g. left over from a deployment).
          const info = await client.getWebhookInfo({ signal });
          if (info.url) {
            log.warn({ channel: 'zalo' }, 'zalo webhook was set; removing it to poll (no PUBLIC_URL)');
            await client.deleteWebhook({ signal });
          }
          ready = true;
          log.info({ channel: 'zalo' }, 'zalo long polling started');
        }
        const updates = await client.getUpdates({ timeout: pollTimeout }, { signal });
        backoff = retryDelay;
        for (const update of updates) {
          try {
            const status = await track(runTurn(update));
            if (status === 'degraded') log.warn({ channel: 'zalo' }, 'zalo update answered with the apology (store unavailable)');
          } catch (error) {
            log.error({ channel: 'zalo', description: describe(error).description }, 'zalo update failed');
          }
        }
        const rest = minPollInterval - (Date.now() - startedAt);
        if (rest > 0) await sleep(rest, undefined, { signal }).catch(() => undefined);
      } catch (error) {
        if (signal.aborted) break;
        const failure = describe(error);
        if (error instanceof ZaloApiError && (failure.code === 401 || failure.code === 403 || failure.code === 404)) {
          log.error({ channel: 'zalo', code: failure.code, description: failure.description }, 'zalo rejected the bot token; long polling stopped (check ZALO_BOT_TOKEN)');
          return;
        }
        if (error instanceof ZaloApiError && failure.code === 400 && /webhook/i.test(failure.description)) {
          log.error({ channel: 'zalo', code: 400, description: failure.description }, 'zalo refuses polling while a webhook is set; long polling stopped');
          return;
        }
        log.warn({ channel: 'zalo', kind: failure.kind, code: failure.code, description: failure.description, retryInMs: backoff }, 'zalo getUpdates failed; retrying');
        await sleep(backoff, undefined, { signal }).catch(() => undefined);
        backoff = Math.min(backoff * 2, 60_000);
      }
    }
  }

  return {
    name: 'zalo',
    routes,
    async setWebhook(publicUrl) {
      const secret = options.webhookSecret;
      if (!secret || secret.length < 8 || secret.length > 256) {
        throw new ZaloSetupError('ZALO_WEBHOOK_SECRET (8 to 256 characters) is required to register the webhook.');
      }
      const url = `${publicUrl.replace(/\/+$/, '')}${ZALO_WEBHOOK_PATH}`;
      try {
        await client.setWebhook({ url, secret_token: secret });
      } catch (error) {
        const failure = describe(error);
        throw new ZaloSetupError(`Zalo setWebhook failed (${failure.code ?? failure.kind}): ${failure.description}`);
      }
      log.info({ channel: 'zalo', url }, 'zalo webhook registered');
    },
    async startPolling() {
      stopping = false;
      poller.start();
    },
    async stop() {
      stopping = true;
      await poller.stop();
      await work.idle();
    },
    async send(conversationId, messages) {
      if (!(await deliver(conversationId, messages))) throw new ZaloDeliveryError();
      options.onSent?.('zalo', messages.length);
    },
  };
}
