/**
 * @module What a channel is: one `defineChannel({...})` per channel folder, listed in
 * channels/index.ts. A definition says what the engine's output becomes on the platform
 * (`capabilities`, `render`), how a webhook request is authenticated (`verify`, over the raw
 * body bytes), how a native update becomes an Inbound (`parse`, with a schema), how messages are
 * delivered (`send`), and optionally how updates are fetched without a public URL (`poll`), what
 * is called at start (`setup`), extra routes, and what the channel says about one conversation
 * (`status`). open-channel.ts runs every definition the same way: webhook route, text cleaning,
 * the turn, delivery after the turn, setup retried with backoff, polling, readiness.
 *
 *   export const fooChannel = defineChannel({
 *     name: 'foo', keyPrefix: 'foo', label: 'Foo', capabilities: { … },
 *     open: (env) => (env.config.FOO_TOKEN ? { client: createFooClient(env.config.FOO_TOKEN) } : undefined),
 *     webhook: { path: '/webhooks/foo' },
 *     verify: (ctx, request) => (secretMatches(request.headers['x-foo-secret'], ctx.secret) ? 'ok' : 'unauthorized'),
 *     parse: (ctx, update) => …,          // { inbound } | { ignore } | { reject }
 *     render: (message) => …,             // Outbound → native messages (pure)
 *     send: (ctx, id, messages, { timeoutSeconds }) => …,   // deliver now; throw DeliveryError
 *     describeError: (ctx, error) => …,   // one safe line for logs
 *   });
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.js';
import type { ConversationStatus } from '../conversation/conversation-status.js';
import type { Conversation, HandledTurn } from '../conversation/handle-inbound.js';
import type { Logger } from '../conversation/logger.js';
import type { Inbound, Outbound } from '../engine/messages.js';
import type { Assistant } from '../load-assistant.js';
import type { RedisClient } from '../store/redis-connection.js';
import type { ChannelState } from './channel-state.js';

/** Zalo OA's rule: free replies for a while after the citizen writes, customer-service ones for longer. */
export interface ReplyWindow {
  /** Replies that are free within `freeHours` of the citizen's last message. */
  freeReplies: number;
  freeHours: number;
  /** Customer-service replies are allowed until this many days after the citizen's last message. */
  customerServiceDays: number;
}

/** What the engine's output becomes on the platform. */
export interface ChannelCapabilities {
  /** Choices as platform buttons, or as numbered lines the citizen answers with the number or the words. */
  buttons: 'inline' | 'numbered';
  /** Longest text of one platform message (UTF-16 code units); longer texts are split on lines. */
  textLimit: number;
  /** How the tiny markup (engine/messages.ts) is shown. */
  markup: 'telegram-html' | 'html' | 'plain';
  /** Whether a link can be a button; otherwise it is written out as "label: url". */
  linkButtons: boolean;
  /** 'none': the bot may write at any time after the citizen wrote once. */
  replyWindow: 'none' | ReplyWindow;
}

/** What `parse` makes of a native update. */
export type ParseResult =
  /** A message for the conversation. `answer`: the webhook's 200 body instead of the channel's default. */
  | { inbound: Inbound; answer?: Record<string, unknown> }
  /** Valid, but nothing for the conversation (another update type, a status event): 200, nothing done. */
  | { ignore: string }
  /** Malformed (wrong shape or types): 400, nothing done. The reason is logged, never the body. */
  | { reject: string };

/** Knobs tests and the benchmark turn; production uses the defaults. */
export interface ChannelTuning {
  /** Timeout of each platform request of a send, in seconds (default 10). */
  sendTimeoutSeconds?: number;
  /** Long-poll window in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Least time between two polls (default: the channel's). */
  minPollIntervalMs?: number;
  /** First wait after a failed poll, setup or rate-limited send without retry-after; doubles (default 1000 ms). */
  retryDelayMs?: number;
  /** Longest retry-after a send waits out before giving up (default 30 s). */
  maxRetryWaitSeconds?: number;
  /** Web chat messages per minute per client address (default 60). */
  webRateLimitPerMinute?: number;
}

/** What a channel gets when it is opened: configuration and the shared services it may use. */
export interface ChannelEnv {
  config: Config;
  log: Logger;
  assistant: Pick<Assistant, 'engine' | 'catalog' | 'texts' | 'flowSet' | 'citizenUnit'>;
  /** Set when Redis is configured (shared by every instance). */
  redis?: RedisClient;
  /** Small values shared across instances (Redis) or kept in memory. */
  state: ChannelState;
  tuning: ChannelTuning;
  now: () => number;
}

export interface VerifyRequest {
  /** The body exactly as received: signatures are computed over these bytes. */
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
}

/** 'unauthorized': wrong or missing secret or signature; 'replay': a valid signature on an event too old. */
export type Verdict = 'ok' | 'unauthorized' | 'replay';

export interface SendOptions {
  /** Timeout of each platform request, in seconds. */
  timeoutSeconds: number;
}

export type { ConversationStatus };

/** The outcome of one native update through parse → clean → turn. */
export type HandleOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'handled'; inbound: Inbound; handled: HandledTurn; answer?: Record<string, unknown> };

/** What the kit offers a channel's own routes (the web chat's API, an OAuth callback). */
export interface ChannelKit {
  conversation: Conversation;
  /**
   * Runs one native update as a webhook would: parse, clean, the turn. `deliver: false` leaves
   * the replies to the caller (the web chat returns them in its HTTP response).
   */
  handle(native: unknown, options?: { deliver?: boolean }): Promise<HandleOutcome>;
  log: Logger;
}

/** Thrown by `setup` (and `poll.next`, to stop polling): names the platform call that failed. */
export class ChannelSetupError extends Error {
  readonly code = 'channel_setup_failed';
  constructor(
    readonly method: string,
    /** Safe to log: no token. */
    readonly description: string,
    /**
     * Retrying cannot help until an operator acts (the token was refused, a secret is missing):
     * `hint` says what to check.
     */
    readonly fatal?: { hint: string },
  ) {
    super(`${method} failed: ${description}`);
    this.name = 'ChannelSetupError';
  }
}

export interface ChannelPoll<Ctx> {
  /** The platform call, for logs ("telegram getUpdates failed"). */
  method: string;
  /** One long poll: the updates received, possibly none. Throws to back off; a fatal ChannelSetupError stops polling. */
  next(ctx: Ctx, signal: AbortSignal): Promise<unknown[]>;
  /** Least time between two polls, in ms (default 0). */
  minIntervalMs?: number;
  /** Called once when polling stops (confirm what was handled). */
  stop?(ctx: Ctx): Promise<void>;
}

/** A command line of the channel's own: `npm run cli -- <channel name> <command>`. */
export interface ChannelCommand {
  /** One line for the CLI's usage text. */
  usage: string;
  /** Exit code. `env` is the process environment (tests pass their own). */
  run(args: string[], io: { output: NodeJS.WritableStream; errors: NodeJS.WritableStream }, env: Record<string, string | undefined>): Promise<number>;
}

export interface ChannelDefinition<Ctx = unknown, Native = unknown> {
  /** Kebab-case, unique: the Inbound's `channel`, metrics label, logs. */
  name: string;
  /** Unique: the conversation key is `<keyPrefix>:<conversationId>` (`tg:123`). Never change it: stored sessions use it. */
  keyPrefix: string;
  /** What staff see in the console. */
  label: string;
  capabilities: ChannelCapabilities;
  /** Request headers that carry secrets: never logged. */
  secretHeaders?: readonly string[];
  /** Turns the channel on from the configuration, or gives undefined (off). Absent: the server never runs it (the CLI). */
  open?(env: ChannelEnv): Ctx | undefined | Promise<Ctx | undefined>;
  /** A webhook route the kit serves: verify → parse → turn → answer (after the turn). */
  webhook?: { path: string; bodyLimit?: number; ok?: Record<string, unknown> };
  verify?(ctx: Ctx, request: VerifyRequest): Verdict | Promise<Verdict>;
  parse(ctx: Ctx, native: unknown): ParseResult | Promise<ParseResult>;
  /** Outbound → what the platform is sent, following `capabilities`. Pure. */
  render(message: Outbound): Native[];
  /**
   * Delivers `messages` now, in order, each platform request with its own timeout. No queue and
   * no retry here: failures are thrown as DeliveryError (with `delivered`) for the caller to act on.
   */
  send(ctx: Ctx, conversationId: string, messages: Outbound[], options: SendOptions): Promise<void>;
  /** Long polling, used when PUBLIC_URL is unset. */
  poll?: ChannelPoll<Ctx>;
  /**
   * Calls made at start (register the webhook, the command menu…), `publicUrl` set in webhook
   * mode. Retried with backoff until it succeeds; until then /readyz names the channel.
   */
  setup?(ctx: Ctx, mode: { publicUrl?: string }): Promise<void>;
  /** A problem /readyz reports once setup is done (e.g. "zalo-oa not authorized"). */
  problem?(ctx: Ctx): string | undefined;
  /** Routes besides the webhook (the web chat, an OAuth callback). */
  routes?(ctx: Ctx, kit: ChannelKit): FastifyPluginAsync;
  status?(ctx: Ctx, conversationId: string): Promise<ConversationStatus>;
  /**
   * Deletes what the channel itself keeps about one conversation (Zalo OA's reply-window record).
   * The kit calls it when a turn erased the conversation ("xóa dữ liệu"), before that turn's
   * replies are delivered: delivering them must not write the record again.
   */
  erase?(ctx: Ctx, conversationId: string): Promise<void>;
  /** Commands of the channel for its operators (`zalo-oa authorize`). */
  commands?: Record<string, ChannelCommand>;
  /** One line for logs about an error from this channel's client: no token, no citizen text. */
  describeError(ctx: Ctx, error: unknown): string;
  /** Releases what `open` made (connections, timers). */
  close?(ctx: Ctx): Promise<void>;
}

// The registry holds definitions of different context types; each is type-checked where it is written.
export type AnyChannelDefinition = ChannelDefinition<any, any>;

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
const KEY_PREFIX = /^[a-z][a-z0-9]{0,15}$/;

/** Checks a definition's shape once, at import, so a mistake fails every test rather than one request. */
export function defineChannel<Ctx, Native>(definition: ChannelDefinition<Ctx, Native>): ChannelDefinition<Ctx, Native> {
  const { name, keyPrefix, webhook } = definition;
  if (!NAME.test(name)) throw new Error(`channel name "${name}" must be kebab-case (a-z, 0-9, -)`);
  if (!KEY_PREFIX.test(keyPrefix)) throw new Error(`channel ${name}: keyPrefix "${keyPrefix}" must be short lowercase letters and digits`);
  if (definition.capabilities.textLimit < 2) throw new Error(`channel ${name}: textLimit must be at least 2`);
  if (webhook && !definition.verify) throw new Error(`channel ${name}: a webhook must verify its requests`);
  if (webhook && !webhook.path.startsWith('/')) throw new Error(`channel ${name}: webhook path must start with /`);
  return Object.freeze(definition);
}
