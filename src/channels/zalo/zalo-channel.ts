/**
 * @module The Zalo Bot Platform channel (shared/zalo-bot-api.md, Part A), through the project's own
 * client (create-zalo-client.ts): webhook at POST /webhooks/zalo (X-Bot-Api-Secret-Token,
 * constant time), the long-poll loop of §A.7 without PUBLIC_URL, plain text with numbered
 * choices. On when ZALO_BOT_TOKEN is set.
 *
 * Zalo redelivers on failure and may replay polled updates: the conversation answers each
 * message_id once. Setup: setWebhook with the secret (webhook mode), or removes a webhook left
 * from before (polling, which Zalo refuses while one is set).
 */
import type { Logger } from '../../conversation/logger.js';
import { ChannelSetupError, defineChannel, type ChannelEnv } from '../define-channel.js';
import { DeliveryError, networkFailure } from '../delivery-error.js';
import { redactSecrets } from '../../conversation/redact.js';
import { secretMatches } from '../secret-matches.js';
import { createZaloClient, type ZaloClient } from './create-zalo-client.js';
import { renderZalo, ZALO_TEXT_LIMIT } from './render.js';
import { toInbound } from './to-inbound.js';
import { ZaloApiError, ZaloHttpError } from './zalo-errors.js';

export const ZALO_WEBHOOK_PATH = '/webhooks/zalo';
const SECRET_HEADER = 'x-bot-api-secret-token';
const TOKEN_HINT = 'Zalo rejected the bot token: check ZALO_BOT_TOKEN';

export interface ZaloContext {
  client: ZaloClient;
  token: string;
  webhookSecret?: string;
  pollTimeoutSeconds: number;
  log: Logger;
}

function openZalo(env: ChannelEnv): ZaloContext | undefined {
  const token = env.config.ZALO_BOT_TOKEN;
  if (!token) return undefined;
  return {
    client: createZaloClient({ token, apiRoot: env.config.ZALO_API_ROOT ?? 'https://bot-api.zaloplatforms.com', timeoutMs: (env.tuning.sendTimeoutSeconds ?? 10) * 1000 }),
    token,
    ...(env.config.ZALO_WEBHOOK_SECRET ? { webhookSecret: env.config.ZALO_WEBHOOK_SECRET } : {}),
    pollTimeoutSeconds: env.tuning.pollTimeoutSeconds ?? 30,
    log: env.log,
  };
}

function describe(error: unknown, token: string): { code?: number; description: string } {
  if (error instanceof ZaloApiError) return { code: error.errorCode, description: error.description };
  if (error instanceof ZaloHttpError) return { ...(error.httpStatus ? { code: error.httpStatus } : {}), description: `${error.message}${error.snippet ? `: ${error.snippet}` : ''}` };
  return { description: redactSecrets(error instanceof Error ? error.message : String(error), [token]).slice(0, 300) };
}

function toDeliveryError(error: unknown, token: string): DeliveryError {
  const { code, description } = describe(error, token);
  const details = { description, ...(code !== undefined ? { status: code } : {}) };
  if (error instanceof ZaloApiError) {
    if (code === 429) return new DeliveryError('zalo', 'transient', 'rate_limited', details);
    if (code !== undefined && code >= 500) return new DeliveryError('zalo', 'transient', 'server_error', details);
    if (code === 401 || code === 403 || code === 404) return new DeliveryError('zalo', 'transient', 'unauthorized', details);
    return new DeliveryError('zalo', 'permanent', 'bad_request', details);
  }
  // An answer that was not a Zalo response (a proxy's page): nothing was delivered.
  if (error instanceof ZaloHttpError && error.httpStatus !== undefined) return new DeliveryError('zalo', 'transient', 'server_error', details);
  const network = networkFailure(error instanceof ZaloHttpError ? error.cause : error);
  return new DeliveryError('zalo', network.maybeSent ? 'maybe_delivered' : 'transient', network.reason, details);
}

function refusedToken(error: unknown): boolean {
  return error instanceof ZaloApiError && (error.errorCode === 401 || error.errorCode === 403 || error.errorCode === 404);
}

export const zaloChannel = defineChannel<ZaloContext, string>({
  name: 'zalo',
  keyPrefix: 'zalo',
  label: 'Zalo Bot',
  capabilities: { buttons: 'numbered', textLimit: ZALO_TEXT_LIMIT, markup: 'plain', linkButtons: false, replyWindow: 'none' },
  secretHeaders: [SECRET_HEADER],
  open: openZalo,
  webhook: { path: ZALO_WEBHOOK_PATH, ok: { message: 'Success' } },
  verify: (ctx, request) => (secretMatches(request.headers[SECRET_HEADER], ctx.webhookSecret) ? 'ok' : 'unauthorized'),
  parse: (_ctx, native) => toInbound(native),
  render: renderZalo,
  async send(ctx, chatId, messages, { timeoutSeconds }) {
    for (const [i, message] of messages.entries()) {
      try {
        // Later parts without the earlier ones would read as nonsense: the first failure ends the send.
        for (const text of renderZalo(message)) await ctx.client.sendMessage({ chat_id: chatId, text }, { timeoutMs: timeoutSeconds * 1000 });
      } catch (error) {
        throw toDeliveryError(error, ctx.token).after(i);
      }
    }
  },
  async setup(ctx, { publicUrl }) {
    if (publicUrl) {
      const secret = ctx.webhookSecret;
      if (!secret || secret.length < 8 || secret.length > 256) throw new ChannelSetupError('setWebhook', 'no usable webhook secret', { hint: 'set ZALO_WEBHOOK_SECRET to 8–256 characters' });
      const url = `${publicUrl.replace(/\/+$/, '')}${ZALO_WEBHOOK_PATH}`;
      try {
        await ctx.client.setWebhook({ url, secret_token: secret });
      } catch (error) {
        const { code, description } = describe(error, ctx.token);
        throw new ChannelSetupError('setWebhook', `${code ?? 'unreachable'}: ${description}`, refusedToken(error) ? { hint: TOKEN_HINT } : undefined);
      }
      ctx.log.info({ channel: 'zalo', url }, 'zalo webhook set');
      return;
    }
    let method = 'getWebhookInfo';
    try {
      // getUpdates is refused while a webhook is set (e.g. left over from a deployment).
      const info = await ctx.client.getWebhookInfo();
      if (info.url) {
        ctx.log.warn({ channel: 'zalo' }, 'zalo webhook was set; removing it to poll (no PUBLIC_URL)');
        method = 'deleteWebhook';
        await ctx.client.deleteWebhook();
      }
    } catch (error) {
      const { code, description } = describe(error, ctx.token);
      throw new ChannelSetupError(method, `${code ?? 'unreachable'}: ${description}`, refusedToken(error) ? { hint: TOKEN_HINT } : undefined);
    }
  },
  poll: {
    method: 'getUpdates',
    // Zalo may answer at once, replaying an update: never poll in a tight loop.
    minIntervalMs: 1000,
    async next(ctx, signal) {
      try {
        return await ctx.client.getUpdates({ timeout: ctx.pollTimeoutSeconds }, { signal });
      } catch (error) {
        const { code, description } = describe(error, ctx.token);
        if (refusedToken(error)) throw new ChannelSetupError('getUpdates', `${code}: ${description}`, { hint: TOKEN_HINT });
        if (error instanceof ZaloApiError && code === 400 && /webhook/i.test(description)) {
          throw new ChannelSetupError('getUpdates', `${code}: ${description}`, { hint: 'a webhook was set for this bot elsewhere: run one deployment per token' });
        }
        throw error;
      }
    },
  },
  describeError: (ctx, error) => {
    const { code, description } = describe(error, ctx.token);
    return code !== undefined ? `${code}: ${description}` : description;
  },
});
