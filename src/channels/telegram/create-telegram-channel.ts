/**
 * @module The Telegram channel: the webhook route (POST /webhooks/telegram), a long-poll loop for
 * when there is no public URL, and `send` for staff replies. It only translates updates into
 * Inbound (to-inbound.ts) and replies into Bot API calls (render.ts, create-telegram-delivery.ts);
 * the conversation layer does everything else.
 *
 * Webhook answers: wrong or missing X-Telegram-Bot-Api-Secret-Token → 401 before the body is read;
 * malformed JSON → 400; too large → 413; an update we do not handle → 200 (ignored); a turn the
 * store could not save ('degraded') → the apology is sent and 503, so Telegram redelivers it later.
 * Replies are sent after the answer, in order per chat; `stop()` waits for them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Api, GrammyError } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { FastifyPluginAsync } from 'fastify';
import type { Conversation, TurnStatus } from '../../conversation/handle-inbound.js';
import type { Logger } from '../../conversation/logger.js';
import type { Outbound } from '../../engine/messages.js';
import type { ChannelAdapter } from '../channel.js';
import { createTelegramDelivery } from './create-telegram-delivery.js';
import { describeTelegramError } from './describe-telegram-error.js';
import { createBackgroundWork, createPoller } from '../background-work.js';
import { bareWebhookErrors, requireSecret } from '../webhook-guards.js';
import { ALLOWED_UPDATES, chatIdOf, toInbound } from './to-inbound.js';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
/** Telegram updates are a few KB; anything near this is not from Telegram. */
const WEBHOOK_BODY_LIMIT = 256 * 1024;

export interface TelegramChannelOptions {
  token: string;
  /** TELEGRAM_API_ROOT, without a trailing slash; defaults to https://api.telegram.org. */
  apiRoot?: string;
  /** Required for the webhook: without it every webhook request is refused (401). */
  webhookSecret?: string;
  conversation: Conversation;
  log: Logger;
  /** Known bot info (tests): skips the getMe call made when the channel starts. */
  botInfo?: UserFromGetMe;
  /** Called after `send` delivered messages outside a turn (staff replies), for metrics. Must not throw. */
  onSent?: (channel: string, messages: number) => void;
  /** getUpdates long-poll window in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Longest 429 `retry_after` honoured before a message is given up (default 30 s). */
  maxRetryWaitSeconds?: number;
}

/** Thrown by setWebhook when Telegram refuses or cannot be reached; the message holds no token. */
export class TelegramSetupError extends Error {
  readonly code = 'telegram_setup_failed';
}

type TurnResult = TurnStatus | 'ignored';

export function createTelegramChannel(options: TelegramChannelOptions): ChannelAdapter {
  const { token, conversation, log } = options;
  const pollTimeout = options.pollTimeoutSeconds ?? 30;
  const api = new Api(token, {
    ...(options.apiRoot ? { apiRoot: options.apiRoot.replace(/\/+$/, '') } : {}),
    // A send must not hang a chat's queue for grammY's default 500 s.
    timeoutSeconds: pollTimeout + 30,
  });
  const delivery = createTelegramDelivery({
    api,
    token,
    log,
    ...(options.maxRetryWaitSeconds !== undefined ? { maxRetryWaitSeconds: options.maxRetryWaitSeconds } : {}),
  });
  const work = createBackgroundWork();
  const track = work.track;
  const poller = createPoller((signal) => pollLoop(signal));
  let stopping = false;


  /**
   * Runs one update's turn; replies are queued for delivery (the returned promise does not wait
   * for them). `answerInResponse`: the webhook answers the button press in its HTTP response
   * (Telegram runs a method given there), saving a Bot API request; polling calls the API.
   */
  async function runTurn(update: Update, answerInResponse = false): Promise<TurnResult> {
    const parsed = toInbound(update);
    if (!parsed) return 'ignored';
    if (parsed.callbackQueryId && !answerInResponse) {
      // Stops the button's spinner; failure only costs the spinner, never the turn.
      track(api.answerCallbackQuery(parsed.callbackQueryId).catch((error: unknown) => {
        const failure = describeTelegramError(error, token);
        log.warn({ channel: 'telegram', method: 'answerCallbackQuery', code: failure.code, description: failure.description }, 'telegram answerCallbackQuery failed');
      }));
    }
    const handled = await conversation.handleInbound(parsed.inbound);
    if (handled.replies.length > 0) track(delivery.deliver(parsed.inbound.conversationId, handled.replies));
    return handled.status;
  }

  const checkSecret = requireSecret('telegram', 'x-telegram-bot-api-secret-token', options.webhookSecret, log);

  const routes: FastifyPluginAsync = async (app) => {
    // Parser and size errors carry the offending input in their messages: answer a bare code.
    app.setErrorHandler(bareWebhookErrors('telegram', log, (error) => describeTelegramError(error, token)));
    app.post(
      TELEGRAM_WEBHOOK_PATH,
      {
        bodyLimit: WEBHOOK_BODY_LIMIT,
        onRequest: checkSecret,
        schema: {
          body: { type: 'object', required: ['update_id'], properties: { update_id: { type: 'integer' } } },
        },
      },
      async (request, reply) => {
        // Shutting down: Telegram keeps the update and delivers it to the next instance.
        if (stopping) return reply.code(503).send({ error: 'shutting_down' });
        const update = request.body as Update;
        const status = await track(runTurn(update, true));
        if (status === 'degraded') return reply.code(503).send({ error: 'store_unavailable' });
        // Stops the pressed button's spinner without a request of our own; a failure there only
        // costs the spinner, never the turn.
        const callbackQueryId = update.callback_query?.id;
        if (callbackQueryId) return reply.code(200).send({ method: 'answerCallbackQuery', callback_query_id: callbackQueryId });
        return reply.code(200).send({ ok: true });
      },
    );
  };

  async function pollLoop(signal: AbortSignal): Promise<void> {
    // grammY types its signals with the abort-controller polyfill; node-fetch accepts the native one.
    const apiSignal = signal as unknown as Parameters<Api['getMe']>[0];
    let offset = 0;
    let backoffMs = 1000;
    let ready = false;
    while (!signal.aborted) {
      try {
        if (!ready) {
          // getUpdates fails while a webhook is registered (e.g. left over from a deployment).
          await api.deleteWebhook({}, apiSignal);
          const me = options.botInfo ?? (await api.getMe(apiSignal));
          log.info({ channel: 'telegram', bot: me.username }, 'telegram long polling started');
          ready = true;
        }
        const updates = await api.getUpdates({ offset, timeout: pollTimeout, allowed_updates: [...ALLOWED_UPDATES] }, apiSignal);
        backoffMs = 1000;
        await handleBatch(updates);
        const last = updates[updates.length - 1];
        if (last) offset = last.update_id + 1;
      } catch (error) {
        if (signal.aborted) break;
        const failure = describeTelegramError(error, token);
        if (error instanceof GrammyError && (failure.code === 401 || failure.code === 404)) {
          log.error({ channel: 'telegram', code: failure.code, description: failure.description }, 'telegram rejected the bot token; long polling stopped (check TELEGRAM_BOT_TOKEN)');
          return;
        }
        const waitMs = failure.retryAfter ? failure.retryAfter * 1000 : backoffMs;
        log.warn({ channel: 'telegram', kind: failure.kind, code: failure.code, description: failure.description, retryInMs: waitMs }, 'telegram getUpdates failed; retrying');
        backoffMs = Math.min(backoffMs * 2, 60_000);
        await sleep(waitMs, undefined, { signal }).catch(() => undefined);
      }
    }
    // Confirm what was handled, so a restart does not fetch it again.
    if (offset > 0) await api.getUpdates({ offset, limit: 1, timeout: 0 }).catch(() => undefined);
  }

  /** One chat's updates in order; different chats side by side. */
  async function handleBatch(updates: Update[]): Promise<void> {
    const byChat = new Map<string, Update[]>();
    for (const update of updates) {
      const chat = chatIdOf(update) ?? `update:${update.update_id}`;
      byChat.set(chat, [...(byChat.get(chat) ?? []), update]);
    }
    await Promise.all(
      [...byChat.values()].map(async (chatUpdates) => {
        for (const update of chatUpdates) {
          try {
            const status = await track(runTurn(update));
            if (status === 'degraded') log.warn({ channel: 'telegram' }, 'telegram update answered with the apology (store unavailable)');
          } catch (error) {
            // Polling cannot ask Telegram to redeliver: log, and keep the other chats going.
            log.error({ channel: 'telegram', description: describeTelegramError(error, token).description }, 'telegram update failed');
          }
        }
      }),
    );
  }

  return {
    name: 'telegram',
    routes,
    async setWebhook(publicUrl) {
      if (!options.webhookSecret) throw new TelegramSetupError('TELEGRAM_WEBHOOK_SECRET is required to register the webhook.');
      const url = `${publicUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
      try {
        await api.setWebhook(url, { secret_token: options.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
      } catch (error) {
        const failure = describeTelegramError(error, token);
        throw new TelegramSetupError(`Telegram setWebhook failed (${failure.code ?? failure.kind}): ${failure.description}`);
      }
      log.info({ channel: 'telegram', url }, 'telegram webhook registered');
    },
    async startPolling() {
      stopping = false;
      poller.start();
    },
    async stop() {
      stopping = true;
      await poller.stop();
      await work.idle();
      await delivery.idle();
    },
    async send(conversationId: string, messages: Outbound[]) {
      const outcome = await delivery.deliver(conversationId, messages);
      if (outcome !== 'sent') throw new TelegramDeliveryError(outcome);
      options.onSent?.('telegram', messages.length);
    },
  };
}

/** `send` could not deliver: 'blocked' (the citizen blocked the bot) or 'failed' (Telegram refused or was unreachable). */
export class TelegramDeliveryError extends Error {
  constructor(readonly code: 'blocked' | 'failed') {
    super(code === 'blocked' ? 'The citizen has blocked the bot or the chat is gone.' : 'Telegram could not be reached or refused the message.');
  }
}
