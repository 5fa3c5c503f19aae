/**
 * @module The channel kit's runtime: runs any channel definition (define-channel.ts) the same way.
 *
 * Webhook (`definition.webhook`): the body is read as raw bytes (so signatures are checked over
 * what was sent), `verify` refuses a wrong secret or signature with 401 before anything is parsed;
 * malformed JSON → 400; `parse` → 400 (malformed), 200 (ignored) or a turn; the answer is sent
 * after the turn: 200, or 503 when the store could not save it (the apology is sent and the
 * platform redelivers later). Parser and size errors get a bare code (413 payload_too_large).
 *
 * Every Inbound, whatever its channel, has its text, button label and display name cleaned
 * (clean-text.ts) and its ids checked, so no platform's oddity reaches the conversation (a
 * conversation named "[object Object]" is refused here even if a parser let it through).
 *
 * A turn's replies go to the delivery outbox with the turn's save (channels/delivery-worker.ts
 * sends them, retries and keeps order). What is not queued — the apology while the store is down,
 * staff replies (`send`, whose caller learns at once whether it arrived) — is delivered from here,
 * one conversation's messages in order, different conversations side by side; a send
 * rate-limited with a short enough retry-after is retried (3 times at most); any other failure
 * is logged and that batch dropped.
 *
 * Start: `setup` (register the webhook…) runs in the background, retried with backoff (doubling
 * up to 5 minutes); /readyz names the channel ("telegram not registered") until it succeeds, and
 * the log names the failed call, adding "check the token or outbound access" after three failures.
 * A refused token stops the retries, saying what to check. Then, without a public URL, the long-poll loop runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Conversation } from '../conversation/handle-inbound.js';
import type { Inbound, Outbound } from '../engine/messages.js';
import { createBackgroundWork } from './background-work.js';
import { cleanText } from './clean-text.js';
import { ChannelSetupError, type AnyChannelDefinition, type ChannelEnv, type ChannelKit, type ConversationStatus, type HandleOutcome } from './define-channel.js';
import { DeliveryError } from './delivery-error.js';
import { createKeyedQueue } from '../store/keyed-queue.js';
import { createRefusalLog } from './refusal-log.js';
import { addressGroup } from './client-address.js';

export interface RunningChannel {
  name: string;
  label: string;
  definition: AnyChannelDefinition;
  /** The webhook route and the channel's own routes. */
  routes: FastifyPluginAsync;
  /**
   * Runs setup (webhook mode when `publicUrl` is set), then polling when there is no public URL.
   * Resolves after the first setup attempt; retries continue in the background.
   */
  start(publicUrl?: string): Promise<void>;
  /** Resolves once setup succeeded (tests). */
  ready(): Promise<void>;
  /** What /readyz should say about this channel, or undefined when it is fine. */
  problem(): string | undefined;
  /** Sends outside a turn (staff replies, notices), after the conversation's earlier messages. Throws DeliveryError. */
  send(conversationId: string, messages: Outbound[]): Promise<void>;
  /**
   * One delivery attempt, as the delivery worker makes it: the definition's `send`, no queue, no
   * retry; throws DeliveryError (another error is classified transient).
   */
  sendNow(conversationId: string, messages: Outbound[], timeoutSeconds: number): Promise<void>;
  /** One safe log line for an error of this channel. */
  describe(error: unknown): string;
  /** Resolves once the turns and deliveries in flight (and any started meanwhile) are done. */
  idle(): Promise<void>;
  /** What the channel knows about one conversation (reply window, delivery status). */
  status(conversationId: string): Promise<ConversationStatus>;
  /** Stops polling and setup, waits for turns and deliveries in flight, closes the channel. */
  stop(): Promise<void>;
}

export interface RunChannelOptions {
  log: ChannelEnv['log'];
  tuning: ChannelEnv['tuning'];
  conversation: Conversation;
  /** Resolves once the delivery worker sends nothing (idle() waits for it too: queued replies are deliveries in flight). */
  deliveriesIdle?: () => Promise<void>;
  /** Messages delivered by `send` (outside a turn), for metrics. Must not throw. */
  onSent?: (channel: string, messages: number) => void;
  /** The clock of the refusal log's windows (tests move it). Default Date.now. */
  now?: () => number;
}

export interface OpenChannelOptions extends Omit<RunChannelOptions, 'log' | 'tuning' | 'now'> {
  env: ChannelEnv;
}

const DEFAULT_BODY_LIMIT = 256 * 1024;
const SETUP_RETRY_CAP_MS = 5 * 60_000;
const POLL_RETRY_CAP_MS = 60_000;
/** Failures in a row after which the log adds the hint for the ward's IT person. */
const HINT_AFTER = 3;
const MAX_RATE_LIMIT_RETRIES = 3;
const ID = /^[A-Za-z0-9_.:@=+/-]{1,200}$/;

/** Opens a definition: undefined when the configuration leaves it off (or it never runs in the server). */
export async function openChannel(definition: AnyChannelDefinition, options: OpenChannelOptions): Promise<RunningChannel | undefined> {
  if (!definition.open) return undefined;
  const ctx = await definition.open(options.env);
  if (ctx === undefined) return undefined;
  return runChannel(definition, ctx, { ...options, log: options.env.log, tuning: options.env.tuning, now: options.env.now });
}

/** Runs a definition with a context made elsewhere (the CLI makes its own). */
export function runChannel(def: AnyChannelDefinition, ctx: unknown, options: RunChannelOptions): RunningChannel & { kit: ChannelKit } {
  const { conversation, log, tuning } = options;
  const name = def.name;
  const sendTimeoutSeconds = tuning.sendTimeoutSeconds ?? 10;
  const retryDelay = tuning.retryDelayMs ?? 1000;
  const maxRetryWaitMs = (tuning.maxRetryWaitSeconds ?? 30) * 1000;
  const work = createBackgroundWork();
  const deliveries = createKeyedQueue();
  const stopController = new AbortController();
  let stopping = false;
  let setupProblem: string | undefined = def.setup ? `${name} not registered` : undefined;
  let markReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => (markReady = resolve));
  if (!def.setup) markReady();
  let pollDone: Promise<void> | undefined;
  const refusals = def.webhook ? createRefusalLog({ log, channel: name, ...(options.now ? { now: options.now } : {}) }) : undefined;

  const describe = (error: unknown): string => {
    if (error instanceof DeliveryError || error instanceof ChannelSetupError) return error.description;
    try {
      return def.describeError(ctx, error);
    } catch {
      return 'unknown error';
    }
  };

  // --- parse → clean → turn ---------------------------------------------------------------

  type Prepared = Exclude<HandleOutcome, { kind: 'handled' }> | { kind: 'ready'; inbound: Inbound; answer?: Record<string, unknown> };

  async function prepare(native: unknown): Promise<Prepared> {
    const parsed = await def.parse(ctx, native);
    if ('ignore' in parsed) return { kind: 'ignored', reason: parsed.ignore };
    if ('reject' in parsed) {
      log.debug({ channel: name, reason: parsed.reject }, `${name} update refused as malformed`);
      return { kind: 'rejected', reason: parsed.reject };
    }
    const inbound = cleanInbound(parsed.inbound);
    if (inbound.channel !== name) return { kind: 'rejected', reason: 'inbound of another channel' };
    for (const id of [inbound.conversationId, inbound.userId, inbound.platformMessageId]) {
      if (typeof id !== 'string' || !ID.test(id)) return { kind: 'rejected', reason: 'malformed id' };
    }
    if (inbound.kind === 'text' && !inbound.text) return { kind: 'ignored', reason: 'empty text' };
    if (inbound.kind === 'choice' && !inbound.choiceId) return { kind: 'rejected', reason: 'choice without id' };
    return { kind: 'ready', inbound, ...(parsed.answer ? { answer: parsed.answer } : {}) };
  }

  async function run(prepared: Prepared, deliver: boolean): Promise<HandleOutcome> {
    if (prepared.kind !== 'ready') return prepared;
    const handled = await conversation.handleInbound(prepared.inbound, { deliver });
    if (def.erase && handled.events.some((e) => e.type === 'erase_requested')) {
      // The conversation is gone; so must be what the channel keeps about it.
      await def.erase(ctx, prepared.inbound.conversationId).catch((error: unknown) => log.error({ channel: name, description: describe(error) }, `${name} channel state not erased`));
    }
    // Queued replies are the delivery worker's; the rest (the apology while the store is down, a
    // setup without an outbox) are sent from here.
    if (deliver && !handled.queued && handled.replies.length > 0) void deliverLater(prepared.inbound.conversationId, handled.replies);
    return { kind: 'handled', inbound: prepared.inbound, handled, ...(prepared.answer ? { answer: prepared.answer } : {}) };
  }

  const kit: ChannelKit = {
    conversation,
    log,
    handle: (native, handleOptions = {}) => work.track(prepare(native).then((p) => run(p, handleOptions.deliver !== false))),
  };

  // --- delivery --------------------------------------------------------------------------

  /** Sends, waiting out short rate limits; throws the DeliveryError of the last attempt. */
  async function sendWithRetry(conversationId: string, messages: Outbound[]): Promise<void> {
    let rest = messages;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await def.send(ctx, conversationId, rest, { timeoutSeconds: sendTimeoutSeconds });
        return;
      } catch (caught) {
        const error = caught instanceof DeliveryError ? caught : new DeliveryError(name, 'transient', 'network', { description: describe(caught) });
        rest = rest.slice(error.delivered);
        const waitMs = error.retryAfterMs ?? retryDelay * 2 ** attempt;
        if (error.reason === 'rate_limited' && attempt < MAX_RATE_LIMIT_RETRIES && waitMs <= maxRetryWaitMs) {
          log.warn({ channel: name, code: error.status, retryInMs: waitMs }, `${name} rate limit; waiting before retrying`);
          await sleep(waitMs);
          continue;
        }
        throw error.after(messages.length - rest.length - error.delivered);
      }
    }
  }

  /** Runs `task` after the conversation's earlier deliveries. */
  function inOrder<T>(conversationId: string, task: () => Promise<T>): Promise<T> {
    return work.track(deliveries.run(conversationId, task));
  }

  function logFailure(conversationId: string, error: unknown): void {
    if (error instanceof DeliveryError && error.failure === 'permanent' && ['blocked', 'unfollowed', 'window_closed'].includes(error.reason)) {
      log.info({ channel: name, chat: conversationId, reason: error.reason, code: error.status, description: error.description }, `${name} citizen unreachable (${error.reason}); message dropped`);
      return;
    }
    const failure = error instanceof DeliveryError ? { failure: error.failure, reason: error.reason, code: error.status } : {};
    log.error({ channel: name, chat: conversationId, ...failure, description: describe(error) }, `${name} send failed; message dropped`);
  }

  function deliverLater(conversationId: string, messages: Outbound[]): Promise<void> {
    return inOrder(conversationId, () => sendWithRetry(conversationId, messages)).catch((error: unknown) => logFailure(conversationId, error));
  }

  // --- webhook ---------------------------------------------------------------------------

  const webhookRoutes: FastifyPluginAsync = async (app) => {
    const hook = def.webhook;
    if (!hook) return;
    // Signatures are over the bytes as sent: keep the body raw, whatever its content type.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    app.setErrorHandler(bareErrors);
    app.post(hook.path, { bodyLimit: hook.bodyLimit ?? DEFAULT_BODY_LIMIT }, async (request, reply) => {
      // Shutting down: the platform keeps the update and delivers it again.
      if (stopping) return reply.code(503).send({ error: 'shutting_down' });
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verdict = await def.verify!(ctx, { rawBody, headers: request.headers });
      if (verdict !== 'ok') {
        refusals?.refused(addressGroup(request.ip), verdict);
        return reply.code(401).send({ error: 'unauthorized' });
      }
      let native: unknown;
      try {
        native = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return reply.code(400).send({ error: 'bad_request' });
      }
      const outcome = await kit.handle(native);
      if (outcome.kind === 'rejected') return reply.code(400).send({ error: 'bad_request' });
      if (outcome.kind === 'handled' && outcome.handled.status === 'degraded') return reply.code(503).send({ error: 'store_unavailable' });
      const answer = outcome.kind === 'handled' ? outcome.answer : undefined;
      return reply.code(200).send(answer ?? hook.ok ?? { ok: true });
    });
  };

  async function bareErrors(error: Pick<FastifyError, 'statusCode'>, _request: FastifyRequest, reply: FastifyReply) {
    // Parser and size errors carry the offending input in their messages: answer a bare code.
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) log.error({ channel: name, description: describe(error) }, `${name} webhook failed`);
    return reply.code(status).send({ error: status === 413 ? 'payload_too_large' : status === 500 ? 'internal_error' : 'bad_request' });
  }

  const routes: FastifyPluginAsync = async (app) => {
    await app.register(webhookRoutes);
    if (def.routes) await app.register(def.routes(ctx, kit));
  };

  // --- setup and polling -----------------------------------------------------------------

  async function setupLoop(publicUrl: string | undefined, firstAttempt: () => void): Promise<void> {
    let failures = 0;
    let waitMs = retryDelay;
    for (;;) {
      try {
        await def.setup!(ctx, publicUrl ? { publicUrl } : {});
        setupProblem = undefined;
        log.info({ channel: name, mode: publicUrl ? 'webhook' : 'polling' }, publicUrl ? `${name} webhook registered` : `${name} connected`);
        markReady();
        firstAttempt();
        return;
      } catch (error) {
        failures += 1;
        const method = error instanceof ChannelSetupError ? error.method : 'setup';
        const description = describe(error);
        if (error instanceof ChannelSetupError && error.fatal) {
          log.error({ channel: name, method, description }, `${name} ${method} failed; not retrying (${error.fatal.hint})`);
          firstAttempt();
          return;
        }
        const hint = failures >= HINT_AFTER ? ' (check the token or outbound access)' : '';
        (hint ? log.error : log.warn).call(log, { channel: name, method, attempt: failures, retryInMs: waitMs, description }, `${name} ${method} failed; retrying in ${(waitMs / 1000).toFixed(waitMs < 10_000 ? 1 : 0)} s${hint}`);
        firstAttempt();
        await sleep(waitMs, undefined, { signal: stopController.signal }).catch(() => undefined);
        if (stopController.signal.aborted) return;
        waitMs = Math.min(waitMs * 2, SETUP_RETRY_CAP_MS);
      }
    }
  }

  async function pollLoop(): Promise<void> {
    const poll = def.poll!;
    const signal = stopController.signal;
    let waitMs = retryDelay;
    let failures = 0;
    const minInterval = tuning.minPollIntervalMs ?? poll.minIntervalMs ?? 0;
    log.info({ channel: name }, `${name} long polling started`);
    while (!signal.aborted) {
      const startedAt = Date.now();
      try {
        const updates = await poll.next(ctx, signal);
        waitMs = retryDelay;
        failures = 0;
        await handleBatch(updates);
        const rest = minInterval - (Date.now() - startedAt);
        if (rest > 0) await sleep(rest, undefined, { signal }).catch(() => undefined);
      } catch (error) {
        if (signal.aborted) break;
        const description = describe(error);
        if (error instanceof ChannelSetupError && error.fatal) {
          setupProblem = `${name} not connected`;
          log.error({ channel: name, method: error.method, description }, `${name} ${error.method} failed; long polling stopped (${error.fatal.hint})`);
          return;
        }
        failures += 1;
        const hint = failures >= HINT_AFTER ? ' (check the token or outbound access)' : '';
        log.warn({ channel: name, method: poll.method, attempt: failures, retryInMs: waitMs, description }, `${name} ${poll.method} failed; retrying${hint}`);
        await sleep(waitMs, undefined, { signal }).catch(() => undefined);
        waitMs = Math.min(waitMs * 2, POLL_RETRY_CAP_MS);
      }
    }
    await poll.stop?.(ctx).catch(() => undefined);
  }

  /** One conversation's updates in order; different conversations side by side. */
  async function handleBatch(updates: unknown[]): Promise<void> {
    const prepared = await Promise.all(updates.map((u) => prepare(u).catch((error: unknown): Prepared => ({ kind: 'rejected', reason: describe(error) }))));
    const byConversation = new Map<string, Prepared[]>();
    prepared.forEach((p, i) => {
      const group = p.kind === 'ready' ? p.inbound.conversationId : `#${i}`;
      byConversation.set(group, [...(byConversation.get(group) ?? []), p]);
    });
    await Promise.all(
      [...byConversation.values()].map(async (group) => {
        for (const p of group) {
          try {
            const outcome = await work.track(run(p, true));
            if (outcome.kind === 'handled' && outcome.handled.status === 'degraded') log.warn({ channel: name }, `${name} update answered with the apology (store unavailable)`);
          } catch (error) {
            // Polling cannot ask the platform to redeliver: log, and keep the other chats going.
            log.error({ channel: name, description: describe(error) }, `${name} update failed`);
          }
        }
      }),
    );
  }

  return {
    name,
    label: def.label,
    definition: def,
    kit,
    routes,
    start(publicUrl) {
      stopping = false;
      const polling = !publicUrl && def.poll;
      if (!def.setup) {
        if (polling) pollDone = pollLoop();
        return Promise.resolve();
      }
      if (!publicUrl) setupProblem = `${name} not connected`;
      return new Promise<void>((resolve) => {
        const loop = setupLoop(publicUrl, resolve).then(() => {
          if (polling && setupProblem === undefined && !stopController.signal.aborted) pollDone = pollLoop();
        });
        void work.track(loop);
      });
    },
    ready: () => readyPromise,
    problem: () => setupProblem ?? def.problem?.(ctx),
    async send(conversationId, messages) {
      await inOrder(conversationId, () => sendWithRetry(conversationId, messages));
      options.onSent?.(name, messages.length);
    },
    async sendNow(conversationId, messages, timeoutSeconds) {
      try {
        await def.send(ctx, conversationId, messages, { timeoutSeconds });
      } catch (caught) {
        throw caught instanceof DeliveryError ? caught : new DeliveryError(name, 'transient', 'network', { description: describe(caught) });
      }
    },
    describe,
    async idle() {
      await work.idle();
      await options.deliveriesIdle?.();
    },
    async status(conversationId) {
      return def.status ? def.status(ctx, conversationId) : {};
    },
    async stop() {
      stopping = true;
      stopController.abort();
      await pollDone;
      await work.idle();
      refusals?.close();
      await def.close?.(ctx).catch(() => undefined);
    },
  };
}

function cleanInbound(inbound: Inbound): Inbound {
  const out: Inbound = { ...inbound };
  if (typeof out.text === 'string') out.text = cleanText(out.text);
  else delete out.text;
  if (typeof out.choiceLabel === 'string') {
    const label = cleanText(out.choiceLabel);
    if (label) out.choiceLabel = label;
    else delete out.choiceLabel;
  }
  if (typeof out.displayName === 'string') {
    const name = cleanText(out.displayName).replace(/\s+/g, ' ').slice(0, 100);
    if (name) out.displayName = name;
    else delete out.displayName;
  }
  if (typeof out.choiceId === 'string') out.choiceId = cleanText(out.choiceId);
  if (out.mediaUrl !== undefined && !(typeof out.mediaUrl === 'string' && /^https?:\/\/\S{1,2000}$/.test(out.mediaUrl))) delete out.mediaUrl;
  return out;
}
