/**
 * @module The Zalo Official Account channel (shared/zalo-bot-api.md, Part B): the ward's existing
 * OA, followed by its residents. On when ZALO_OA_APP_ID is set. Webhook only (Zalo has no
 * polling for OAs): POST /webhooks/zalo-oa, signed over the raw body (verify-signature.ts),
 * answered after the turn (answering before it is only safe with a durable outbox).
 *
 * Sending: customer-service texts (`/v3.0/oa/message/cs`), numbered choices and written-out
 * links, split at 2,000 characters. The access token is refreshed before expiry and on -216
 * (refresh once, retry once), one refresh at a time across instances (zalo-oa-tokens.ts). A
 * citizen who unfollowed, or last wrote more than 7 days ago, is not sent anything: `send`
 * refuses at once with a permanent DeliveryError ('unfollowed', 'window_closed').
 *
 * Files: verify-signature.ts (webhook), to-inbound.ts (events), render.ts, create-zalo-oa-client.ts
 * (HTTP), token-store.ts + zalo-oa-tokens.ts (tokens), reply-window.ts (what may be sent), and
 * authorize.ts (first authorisation: `npm run cli -- zalo-oa authorize`, GET /zalo-oa/callback).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '../../conversation/logger.js';
import { redactSecrets } from '../../conversation/redact.js';
import { defineChannel, type ChannelEnv, type ReplyWindow } from '../define-channel.js';
import { DeliveryError, networkFailure } from '../delivery-error.js';
import { callbackRoutes, createPendingAuthorizations, defaultTokenFile, runAuthorizeCommand } from './authorize.js';
import { createZaloOaClient, type ZaloOaClient } from './create-zalo-oa-client.js';
import { renderZaloOa, ZALO_OA_TEXT_LIMIT } from './render.js';
import { createReplyWindows, type ReplyWindows } from './reply-window.js';
import { toInbound } from './to-inbound.js';
import { createFileTokenStore, createRedisTokenStore } from './token-store.js';
import { SIGNATURE_HEADER, verifySignature } from './verify-signature.js';
import { ACCESS_TOKEN_INVALID, ZaloOaApiError, ZaloOaHttpError } from './zalo-oa-errors.js';
import { createOaTokens, NotAuthorizedError, type OaTokens } from './zalo-oa-tokens.js';

export const ZALO_OA_WEBHOOK_PATH = '/webhooks/zalo-oa';
/** Zalo's customer-service rules (official OA help centre and blog, 2023). */
export const ZALO_OA_REPLY_WINDOW: ReplyWindow = { freeReplies: 8, freeHours: 48, customerServiceDays: 7 };
/** How often the token's expiry is checked in the background. */
const REFRESH_CHECK_MS = 10 * 60_000;

export interface ZaloOaContext {
  oaId: string;
  oaSecretKey: string;
  client: ZaloOaClient;
  tokens: OaTokens;
  windows: ReplyWindows;
  callback: FastifyPluginAsync;
  log: Logger;
  now: () => number;
  /** The dedupe window: older events are refused as replays. */
  replayWindowMs: number;
  requestTimeoutMs: number;
  timer?: NodeJS.Timeout;
  /** The background expiry check in flight: close() waits for it, or a refreshed pair could be lost with its connection. */
  checking?: Promise<void>;
}

async function openZaloOa(env: ChannelEnv): Promise<ZaloOaContext | undefined> {
  const { config, log, now } = env;
  const appId = config.ZALO_OA_APP_ID;
  if (!appId) return undefined;
  // config.ts requires these with ZALO_OA_APP_ID.
  const oaId = config.ZALO_OA_ID as string;
  const client = createZaloOaClient({ apiRoot: config.ZALO_OA_API_ROOT ?? 'https://openapi.zalo.me', oauthRoot: config.ZALO_OA_OAUTH_ROOT ?? 'https://oauth.zaloapp.com', appId, appSecret: config.ZALO_OA_APP_SECRET as string });
  const tokenFile = defaultTokenFile(config);
  const store = env.redis ? createRedisTokenStore({ state: env.state, name: appId }) : createFileTokenStore({ path: tokenFile });
  const requestTimeoutMs = (env.tuning.sendTimeoutSeconds ?? 10) * 1000;
  const tokens = createOaTokens({
    store,
    client,
    log,
    now,
    environment: { ...(config.ZALO_OA_REFRESH_TOKEN ? { refreshToken: config.ZALO_OA_REFRESH_TOKEN } : {}), ...(config.ZALO_OA_ACCESS_TOKEN ? { accessToken: config.ZALO_OA_ACCESS_TOKEN } : {}) },
    timeoutMs: requestTimeoutMs,
  });
  await tokens.bootstrap();
  log.info({ channel: 'zalo-oa', tokens: store.where, authorized: tokens.problem() === undefined }, 'zalo-oa channel on');
  const ctx: ZaloOaContext = {
    oaId,
    oaSecretKey: config.ZALO_OA_SECRET_KEY as string,
    client,
    tokens,
    // Kept as long as the desk keeps tickets, so staff still read "closed" after a long wait.
    windows: createReplyWindows({ state: env.state, window: ZALO_OA_REPLY_WINDOW, now, name: appId, keepDays: config.HANDOFF_RETENTION_DAYS }),
    callback: callbackRoutes({ oaId, pending: createPendingAuthorizations({ ...(env.redis ? { state: env.state } : {}), file: tokenFile, appId }), client, tokens, log, timeoutMs: requestTimeoutMs }),
    log,
    now,
    replayWindowMs: config.DEDUPE_TTL_SECONDS * 1000,
    requestTimeoutMs,
  };
  const check = () => {
    ctx.checking ??= tokens
      .refreshIfDue()
      .catch((error: unknown) => {
        if (!(error instanceof NotAuthorizedError)) log.warn({ channel: 'zalo-oa', description: describe(error, tokens) }, 'zalo-oa token refresh failed; will try again');
      })
      .finally(() => {
        ctx.checking = undefined;
      });
  };
  check();
  ctx.timer = setInterval(check, REFRESH_CHECK_MS);
  ctx.timer.unref();
  return ctx;
}

function describe(error: unknown, tokens: OaTokens): string {
  const redact = (text: string) => redactSecrets(text, tokens.known());
  if (error instanceof ZaloOaApiError) return redact(`${error.method} ${error.errorCode}: ${error.description}`);
  if (error instanceof ZaloOaHttpError) return redact(error.message);
  return redact(error instanceof Error ? error.message : String(error)).slice(0, 300);
}

function toDeliveryError(error: unknown, tokens: OaTokens): DeliveryError {
  const description = describe(error, tokens);
  if (error instanceof DeliveryError) return error;
  if (error instanceof NotAuthorizedError) return new DeliveryError('zalo-oa', 'transient', 'unauthorized', { description });
  if (error instanceof ZaloOaApiError) {
    const details = { description, status: error.errorCode };
    const code = error.errorCode;
    if (code === 429 || error.httpStatus === 429) return new DeliveryError('zalo-oa', 'transient', 'rate_limited', details);
    if (code >= 500 || error.httpStatus >= 500) return new DeliveryError('zalo-oa', 'transient', 'server_error', details);
    if (code === ACCESS_TOKEN_INVALID) return new DeliveryError('zalo-oa', 'transient', 'unauthorized', details);
    // Reported by integrators: -201 the citizen does not follow the OA, -218 no quota or permission for this message.
    if (code === -201) return new DeliveryError('zalo-oa', 'permanent', 'unfollowed', details);
    if (code === -218) return new DeliveryError('zalo-oa', 'permanent', 'window_closed', details);
    return new DeliveryError('zalo-oa', 'permanent', 'bad_request', details);
  }
  if (error instanceof ZaloOaHttpError && error.httpStatus !== undefined) return new DeliveryError('zalo-oa', 'transient', 'server_error', { description, status: error.httpStatus });
  const network = networkFailure(error instanceof ZaloOaHttpError ? error.cause : error);
  return new DeliveryError('zalo-oa', network.maybeSent ? 'maybe_delivered' : 'transient', network.reason, { description });
}

/** One CS text; a -216 gets one refresh and one retry. */
async function sendText(ctx: ZaloOaContext, userId: string, text: string, timeoutMs: number): Promise<void> {
  const token = await ctx.tokens.access();
  try {
    await ctx.client.sendText({ accessToken: token, userId, text, timeoutMs });
  } catch (error) {
    if (!(error instanceof ZaloOaApiError && error.errorCode === ACCESS_TOKEN_INVALID)) throw error;
    const fresh = await ctx.tokens.replace(token);
    await ctx.client.sendText({ accessToken: fresh, userId, text, timeoutMs });
  }
}

export const zaloOaChannel = defineChannel<ZaloOaContext, string>({
  name: 'zalo-oa',
  keyPrefix: 'zoa',
  label: 'Zalo OA',
  capabilities: { buttons: 'numbered', textLimit: ZALO_OA_TEXT_LIMIT, markup: 'plain', linkButtons: false, replyWindow: ZALO_OA_REPLY_WINDOW },
  secretHeaders: [SIGNATURE_HEADER],
  open: openZaloOa,
  webhook: { path: ZALO_OA_WEBHOOK_PATH, ok: { message: 'Success' } },
  verify: (ctx, request) => verifySignature(request, { oaSecretKey: ctx.oaSecretKey, windowMs: ctx.replayWindowMs, now: ctx.now() }),
  parse: (ctx, native) =>
    toInbound(native, {
      oaId: ctx.oaId,
      windows: ctx.windows,
      now: ctx.now,
      onStateError: (error) => ctx.log.warn({ channel: 'zalo-oa', description: describe(error, ctx.tokens) }, 'zalo-oa reply window not updated'),
    }),
  render: renderZaloOa,
  async send(ctx, userId, messages, { timeoutSeconds }) {
    const status = await ctx.windows.status(userId).catch(() => ({}) as Awaited<ReturnType<ReplyWindows['status']>>);
    if (status.unfollowed) throw new DeliveryError('zalo-oa', 'permanent', 'unfollowed', { description: 'the citizen unfollowed the OA' });
    if (status.replyWindow && !status.replyWindow.open) {
      throw new DeliveryError('zalo-oa', 'permanent', 'window_closed', { description: 'more than 7 days since the citizen last wrote: they must write first' });
    }
    for (const [i, message] of messages.entries()) {
      let parts = 0;
      try {
        for (const text of renderZaloOa(message)) {
          await sendText(ctx, userId, text, timeoutSeconds * 1000);
          parts += 1;
        }
      } catch (error) {
        throw toDeliveryError(error, ctx.tokens).after(i);
      } finally {
        if (parts > 0) await ctx.windows.noteSent(userId, parts).catch(() => undefined);
      }
    }
  },
  problem: (ctx) => ctx.tokens.problem(),
  routes: (ctx) => ctx.callback,
  status: (ctx, userId) => ctx.windows.status(userId),
  erase: (ctx, userId) => ctx.windows.forget(userId),
  commands: { authorize: { usage: 'print the link an OA admin opens to connect the OA (see README)', run: runAuthorizeCommand } },
  describeError: (ctx, error) => describe(error, ctx.tokens),
  async close(ctx) {
    if (ctx.timer) clearInterval(ctx.timer);
    await ctx.checking;
  },
});
