/**
 * @module Delivers Outbound messages to a Telegram chat: rendered (HTML, split, keyboards), one
 * chat's messages strictly in order (a queue per chat, so a staff reply never overtakes a bot
 * reply), with the Bot API's failures handled as Telegram expects: 429 → wait `retry_after` and
 * retry (bounded); 403 (the citizen blocked the bot) → dropped; HTML refused → sent as plain
 * text; 5xx or network → logged, the rest of that batch dropped. It never throws for a turn's
 * replies; `send` (staff) learns the outcome.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Api } from 'grammy';
import type { Logger } from '../../conversation/logger.js';
import type { Outbound } from '../../engine/messages.js';
import { describeTelegramError, type TelegramFailure } from './describe-telegram-error.js';
import { renderTelegram, type TelegramMessage } from './render.js';

export type DeliveryOutcome = 'sent' | 'blocked' | 'failed';

export interface TelegramDeliveryOptions {
  api: Api;
  token: string;
  log: Logger;
  /** Longest wait we accept from a 429 `retry_after` before giving up on the message (seconds). */
  maxRetryWaitSeconds?: number;
  /** How many times one message is retried after a 429. */
  maxRetries?: number;
}

export interface TelegramDelivery {
  deliver(chatId: string, messages: Outbound[]): Promise<DeliveryOutcome>;
  /** Resolves when every queued delivery has finished. */
  idle(): Promise<void>;
}

export function createTelegramDelivery(options: TelegramDeliveryOptions): TelegramDelivery {
  const { api, token, log } = options;
  const maxWait = options.maxRetryWaitSeconds ?? 30;
  const maxRetries = options.maxRetries ?? 3;
  const queues = new Map<string, Promise<DeliveryOutcome>>();

  async function sendOne(chatId: string, part: TelegramMessage): Promise<DeliveryOutcome> {
    let html = true;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await api.sendMessage(chatId, html ? part.html : part.plain, {
          ...(html ? { parse_mode: 'HTML' as const } : {}),
          link_preview_options: { is_disabled: true },
          ...(part.keyboard ? { reply_markup: { inline_keyboard: part.keyboard } } : {}),
        });
        return 'sent';
      } catch (error) {
        const failure = describeTelegramError(error, token);
        if (failure.code === 429 && attempt < maxRetries && (failure.retryAfter ?? 1) <= maxWait) {
          log.warn({ channel: 'telegram', code: 429, retryAfter: failure.retryAfter ?? 1 }, 'telegram rate limit; waiting before retrying');
          await sleep((failure.retryAfter ?? 1) * 1000);
          continue;
        }
        if (failure.code === 400 && html && /parse entities/i.test(failure.description)) {
          log.warn({ channel: 'telegram', code: 400, description: failure.description }, 'telegram refused the HTML; sending plain text');
          html = false;
          continue;
        }
        return report(chatId, failure);
      }
    }
  }

  function report(chatId: string, failure: TelegramFailure): DeliveryOutcome {
    if (failure.code === 403) {
      log.info({ channel: 'telegram', chat: chatId, code: 403, description: failure.description }, 'telegram chat unreachable (bot blocked or chat gone); message dropped');
      return 'blocked';
    }
    log.error({ channel: 'telegram', chat: chatId, kind: failure.kind, code: failure.code, description: failure.description }, 'telegram send failed; message dropped');
    return 'failed';
  }

  async function deliverNow(chatId: string, messages: Outbound[]): Promise<DeliveryOutcome> {
    for (const message of messages) {
      for (const part of renderTelegram(message)) {
        const outcome = await sendOne(chatId, part);
        // Later parts without the earlier ones would read as nonsense: stop this batch.
        if (outcome !== 'sent') return outcome;
      }
    }
    return 'sent';
  }

  return {
    deliver(chatId, messages) {
      const previous = queues.get(chatId) ?? Promise.resolve<DeliveryOutcome>('sent');
      const run = previous.then(
        () => deliverNow(chatId, messages),
        () => deliverNow(chatId, messages),
      ).catch((error: unknown) => report(chatId, describeTelegramError(error, token)));
      queues.set(chatId, run);
      void run.then(() => {
        if (queues.get(chatId) === run) queues.delete(chatId);
      });
      return run;
    },
    async idle() {
      while (queues.size > 0) await Promise.allSettled([...queues.values()]);
    },
  };
}
