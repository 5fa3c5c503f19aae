/**
 * @module The Telegram channel (Bot API through grammY's `Api` client): webhook at
 * POST /webhooks/telegram (X-Telegram-Bot-Api-Secret-Token, constant time), long polling without
 * PUBLIC_URL, HTML rendering with inline keyboards. On when TELEGRAM_BOT_TOKEN is set.
 *
 * At start (`setup`, retried by the kit until it succeeds): setWebhook with the secret (webhook
 * mode) or deleteWebhook + getMe (polling), then the bot's command menu (setMyCommands, from
 * flows/commands.yaml: each command's first slash form, described by its first words) and its
 * description (the greeting's first line) and short description (the unit's name). The menu and
 * description are best effort: a failure there is logged, not retried.
 *
 * Every Bot API call but getUpdates has a timeout (a grammY transformer adds one when the caller
 * gave no signal), so a hung call never holds a chat for grammY's default 500 s. A button press
 * is answered in the webhook response (Telegram runs a method given there), or with
 * answerCallbackQuery when polling.
 */
import { Api, GrammyError } from 'grammy';
import type { BotCommand, Update } from 'grammy/types';
import type { Logger } from '../../conversation/logger.js';
import { ChannelSetupError, defineChannel, type ChannelEnv } from '../define-channel.js';
import { secretMatches } from '../secret-matches.js';
import { describeTelegramError, toDeliveryError } from './describe-telegram-error.js';
import { renderTelegram, TELEGRAM_TEXT_LIMIT, type TelegramMessage } from './render.js';
import { ALLOWED_UPDATES, toInbound } from './to-inbound.js';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface TelegramContext {
  api: Api;
  token: string;
  webhookSecret?: string;
  log: Logger;
  pollTimeoutSeconds: number;
  /** Next getUpdates offset (polling): confirms every update before it. */
  offset: number;
  commands: BotCommand[];
  description: string;
  shortDescription: string;
}

/** grammY types its signals with the abort-controller polyfill; node-fetch accepts the native one. */
type ApiSignal = Parameters<Api['getMe']>[0];
const apiSignal = (signal: AbortSignal) => signal as unknown as ApiSignal;

function openTelegram(env: ChannelEnv): TelegramContext | undefined {
  const { config, assistant, tuning } = env;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) return undefined;
  const pollTimeoutSeconds = tuning.pollTimeoutSeconds ?? 30;
  const api = new Api(token, { apiRoot: (config.TELEGRAM_API_ROOT ?? 'https://api.telegram.org').replace(/\/+$/, ''), timeoutSeconds: pollTimeoutSeconds + 30 });
  const callTimeoutMs = (tuning.sendTimeoutSeconds ?? 10) * 1000;
  api.config.use((prev, method, payload, signal) =>
    method === 'getUpdates' || signal ? prev(method, payload, signal) : prev(method, payload, apiSignal(AbortSignal.timeout(callTimeoutMs))),
  );
  const unit = assistant.catalog.unit;
  return {
    api,
    token,
    ...(config.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: config.TELEGRAM_WEBHOOK_SECRET } : {}),
    log: env.log,
    pollTimeoutSeconds,
    offset: 0,
    commands: menuCommands(assistant.flowSet.commands.commands),
    description: (assistant.engine.text('greeting.hello').split('\n')[0] ?? unit.name).slice(0, 512),
    shortDescription: unit.name.slice(0, 120),
  };
}

/** The command menu: one entry per global command, its first slash form, described by its first words. */
export function menuCommands(commands: ReadonlyArray<{ words: string[]; slash: string[] }>): BotCommand[] {
  const seen = new Set<string>();
  const menu: BotCommand[] = [];
  for (const command of commands) {
    const name = command.slash.map((s) => s.slice(1).toLowerCase()).find((s) => /^[a-z0-9_]{1,32}$/.test(s) && !seen.has(s));
    const words = command.words[0];
    if (!name || !words) continue;
    seen.add(name);
    menu.push({ command: name, description: (words.charAt(0).toUpperCase() + words.slice(1)).slice(0, 256) });
  }
  return menu;
}

async function sendPart(ctx: TelegramContext, chatId: string, part: TelegramMessage, timeoutSeconds: number): Promise<void> {
  let html = true;
  for (;;) {
    try {
      await ctx.api.sendMessage(
        chatId,
        html ? part.html : part.plain,
        {
          ...(html ? { parse_mode: 'HTML' as const } : {}),
          link_preview_options: { is_disabled: true },
          ...(part.keyboard ? { reply_markup: { inline_keyboard: part.keyboard } } : {}),
        },
        apiSignal(AbortSignal.timeout(timeoutSeconds * 1000)),
      );
      return;
    } catch (error) {
      // Never expected (render escapes everything), but a refused HTML must not cost the message.
      if (html && error instanceof GrammyError && error.error_code === 400 && /parse entities/i.test(error.description)) {
        ctx.log.warn({ channel: 'telegram', code: 400, description: describeTelegramError(error, ctx.token).description }, 'telegram refused the HTML; sending plain text');
        html = false;
        continue;
      }
      throw error;
    }
  }
}

function setupError(method: string, error: unknown, token: string): ChannelSetupError {
  const failure = describeTelegramError(error, token);
  const refused = error instanceof GrammyError && (failure.code === 401 || failure.code === 404);
  return new ChannelSetupError(method, `${failure.code ?? failure.kind}: ${failure.description}`, refused ? { hint: 'Telegram rejected the bot token: check TELEGRAM_BOT_TOKEN' } : undefined);
}

/** Best effort: the menu and description only decorate the bot; a failure is logged. */
async function decorate(ctx: TelegramContext): Promise<void> {
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['setMyCommands', () => ctx.api.setMyCommands(ctx.commands)],
    ['setMyDescription', () => ctx.api.setMyDescription(ctx.description)],
    ['setMyShortDescription', () => ctx.api.setMyShortDescription(ctx.shortDescription)],
  ];
  for (const [method, call] of calls) {
    try {
      await call();
    } catch (error) {
      const failure = describeTelegramError(error, ctx.token);
      ctx.log.warn({ channel: 'telegram', method, code: failure.code, description: failure.description }, `telegram ${method} failed; the bot works without it`);
    }
  }
}

export const telegramChannel = defineChannel<TelegramContext, TelegramMessage>({
  name: 'telegram',
  keyPrefix: 'tg',
  label: 'Telegram',
  capabilities: { buttons: 'inline', textLimit: TELEGRAM_TEXT_LIMIT, markup: 'telegram-html', linkButtons: true, replyWindow: 'none' },
  secretHeaders: [SECRET_HEADER],
  open: openTelegram,
  webhook: { path: TELEGRAM_WEBHOOK_PATH, ok: { ok: true } },
  verify: (ctx, request) => (secretMatches(request.headers[SECRET_HEADER], ctx.webhookSecret) ? 'ok' : 'unauthorized'),
  parse: (_ctx, native) => toInbound(native),
  render: renderTelegram,
  async send(ctx, chatId, messages, { timeoutSeconds }) {
    for (const [i, message] of messages.entries()) {
      try {
        // Later parts without the earlier ones would read as nonsense: the first failure ends the send.
        for (const part of renderTelegram(message)) await sendPart(ctx, chatId, part, timeoutSeconds);
      } catch (error) {
        throw toDeliveryError(error, ctx.token).after(i);
      }
    }
  },
  async setup(ctx, { publicUrl }) {
    if (publicUrl) {
      if (!ctx.webhookSecret) throw new ChannelSetupError('setWebhook', 'no webhook secret', { hint: 'set TELEGRAM_WEBHOOK_SECRET' });
      const url = `${publicUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
      try {
        await ctx.api.setWebhook(url, { secret_token: ctx.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
      } catch (error) {
        throw setupError('setWebhook', error, ctx.token);
      }
      ctx.log.info({ channel: 'telegram', url }, 'telegram webhook set');
    } else {
      try {
        // getUpdates fails while a webhook is registered (e.g. left over from a deployment).
        await ctx.api.deleteWebhook();
      } catch (error) {
        throw setupError('deleteWebhook', error, ctx.token);
      }
      try {
        const me = await ctx.api.getMe();
        ctx.log.info({ channel: 'telegram', bot: me.username }, 'telegram bot identified');
      } catch (error) {
        throw setupError('getMe', error, ctx.token);
      }
    }
    await decorate(ctx);
  },
  poll: {
    method: 'getUpdates',
    async next(ctx, signal) {
      let updates: Update[];
      try {
        updates = await ctx.api.getUpdates({ offset: ctx.offset, timeout: ctx.pollTimeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] }, apiSignal(signal));
      } catch (error) {
        const failure = describeTelegramError(error, ctx.token);
        if (error instanceof GrammyError && (failure.code === 401 || failure.code === 404)) throw setupError('getUpdates', error, ctx.token);
        throw error;
      }
      const last = updates.at(-1);
      if (last) ctx.offset = last.update_id + 1;
      for (const update of updates) {
        const id = update.callback_query?.id;
        // Stops the button's spinner; a failure only costs the spinner, never the turn.
        if (typeof id === 'string') {
          void ctx.api.answerCallbackQuery(id).catch((error: unknown) => {
            const failure = describeTelegramError(error, ctx.token);
            ctx.log.warn({ channel: 'telegram', method: 'answerCallbackQuery', code: failure.code, description: failure.description }, 'telegram answerCallbackQuery failed');
          });
        }
      }
      return updates;
    },
    async stop(ctx) {
      // Confirm what was handled, so a restart does not fetch it again.
      if (ctx.offset > 0) await ctx.api.getUpdates({ offset: ctx.offset, limit: 1, timeout: 0 }).catch(() => undefined);
    },
  },
  describeError: (ctx, error) => {
    const failure = describeTelegramError(error, ctx.token);
    return failure.code !== undefined ? `${failure.code}: ${failure.description}` : failure.description;
  },
});
