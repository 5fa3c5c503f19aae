/**
 * @module The delivery worker: one per server instance, it takes replies out of the Outbox
 * (store/outbox.ts) and sends them through the citizen's channel (`definition.send`), so a reply
 * the platform was told "200 OK" about is delivered even if a send fails or an instance dies.
 *
 * Rules, the same for every channel (no channel retries on its own; its DeliveryError says how a
 * send failed, see delivery-error.ts):
 *   - one conversation's items strictly in order, under the conversation's lease (any instance);
 *     different conversations side by side, so a hung or failing chat never delays another;
 *   - every send has its own timeout (`sendTimeoutSeconds` per platform request, and a guard over
 *     the whole call);
 *   - `transient` (network, 5xx, 429): retried with capped exponential backoff (base × 2^n, at most
 *     `retryCapMs`, ±20 % jitter), or after the platform's `retry_after`, until `horizonMs` after
 *     the reply was saved; then it becomes a dead letter;
 *   - `permanent` (blocked, bad request, unfollowed, reply window closed): not retried, a dead
 *     letter at once, with its reason;
 *   - `maybe_delivered` (a timeout after the request left): retried once only, and that retry
 *     counted as a possible duplicate when it succeeds; a second such failure is a dead letter;
 *   - a dead letter is listed for staff and counted for the conversation, whose next turn tells the
 *     citizen that an earlier answer could not be delivered.
 * The instance that saved a turn is kicked at once (`kick`); every `sweepMs` each instance also
 * sweeps the outbox for conversations another instance left behind (killed, or stopped).
 * `stop(graceMs)` keeps delivering for the grace period, then leaves the rest in the outbox (an
 * attempt still in flight is marked "may have been sent", so the next instance retries it once).
 */
import { randomBytes } from 'node:crypto';
import type { Outbound } from '../engine/messages.js';
import type { Logger } from '../conversation/logger.js';
import { deadLetterTexts, type Outbox, type OutboxClaim, type OutboxItem } from '../store/outbox.js';
import { DeliveryError } from './delivery-error.js';

export interface DeliveryWorkerOptions {
  outbox: Outbox;
  /** Sends through the channel named `channel`; throws (a DeliveryError, ideally) when not delivered. */
  send(channel: string, conversationId: string, messages: Outbound[], timeoutSeconds: number): Promise<void>;
  /** One safe log line for an error of a channel's send. */
  describe?(channel: string, error: unknown): string;
  log: Logger;
  /** Masks personal numbers in what dead letters keep. */
  mask(text: string): string;
  now?: () => number;
  /** Timeout of each platform request, in seconds (default 10). */
  sendTimeoutSeconds?: number;
  /** How long after it was saved a reply is still retried, in ms (default 1 hour). */
  horizonMs?: number;
  /** First retry delay in ms (default 1000), doubling, at most `retryCapMs` (default 60 000). */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** How often the outbox is swept for conversations left behind, in ms (default 2000). */
  sweepMs?: number;
  /** Conversations sent to at once by this instance (default 64); more wait their turn. */
  maxActive?: number;
  /** Counters (must not throw). */
  onDelivered?(channel: string, messages: number): void;
  onRetry?(channel: string, reason: string): void;
  onPossibleDuplicate?(channel: string): void;
  onDeadLetter?(channel: string, reason: string): void;
}

export interface OutboxStats {
  /** Items pending across all conversations at the last sweep. */
  depth: number;
  /** createdAt of the oldest pending item at the last sweep (epoch ms), if any. */
  oldestAt?: number;
}

export interface DeliveryWorker {
  /** A turn of `key` put replies in the outbox: deliver them now (unless `leaseFor` already started it). */
  kick(key: string): void;
  /**
   * What a turn passes its store (TurnOutcome.lease) so the save takes this worker's lease on the
   * conversation in the same step; the claim it hands back starts the delivery without a round trip.
   */
  leaseFor(key: string): { owner: string; leaseMs: number; claimed(claim: OutboxClaim): void };
  /** Starts the sweep. */
  start(): void;
  /** Keeps delivering for `graceMs`, then stops, leaving the rest in the outbox. */
  stop(graceMs: number): Promise<void>;
  stats(): OutboxStats;
  /** Sweeps once now (tests, metrics). */
  sweep(): Promise<void>;
  /** Resolves once nothing is being sent (tests). */
  idle(): Promise<void>;
}

export const DEFAULT_HORIZON_MS = 60 * 60_000;

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { outbox, log } = options;
  const now = options.now ?? Date.now;
  const timeoutSeconds = options.sendTimeoutSeconds ?? 10;
  const horizonMs = options.horizonMs ?? DEFAULT_HORIZON_MS;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const retryCapMs = options.retryCapMs ?? 60_000;
  const sweepMs = options.sweepMs ?? 2000;
  const maxActive = options.maxActive ?? 64;
  const owner = `w-${randomBytes(6).toString('hex')}`;
  const describe = (channel: string, error: unknown): string => {
    if (error instanceof DeliveryError) return error.description;
    try {
      return options.describe?.(channel, error) ?? 'send failed';
    } catch {
      return 'send failed';
    }
  };

  const active = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const waiting = new Set<string>();
  const timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  /** Attempts in flight, per conversation: what stop() marks as "may have been sent". */
  const inFlight = new Map<string, OutboxItem>();
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  let stopping = false;
  let stopAt = Infinity;
  let stats: OutboxStats = { depth: 0 };

  /**
   * Longer than the attempt's guard (every request timing out, plus 2 s), so a live worker never
   * loses its lease in the middle of a send; a dead one frees the conversation after this long.
   */
  function leaseMsFor(item: OutboxItem): number {
    return (item.messages.length - item.sent + 2) * timeoutSeconds * 1000 + 2000;
  }
  const claimLeaseMs = 3 * timeoutSeconds * 1000 + 2000;

  /** Keys whose turn's save already handed this worker a claim: their kick is done. */
  const handed = new Set<string>();

  function kick(key: string, initial?: OutboxClaim): void {
    if (stopping && Date.now() >= stopAt) return;
    if (active.has(key)) {
      again.add(key);
      return;
    }
    if (active.size >= maxActive) {
      // The lease (if the claim took it) runs out and any instance's sweep takes the key then.
      waiting.add(key);
      return;
    }
    const run = drain(key, initial)
      .catch((error: unknown) => {
        log.warn({ conversation: key, err: error instanceof Error ? error.message : String(error) }, 'outbox: delivery interrupted; retried by the next sweep');
      })
      .finally(() => {
        active.delete(key);
        if (again.delete(key)) kick(key);
        const next = waiting.values().next();
        if (!next.done) {
          waiting.delete(next.value);
          kick(next.value);
        }
      });
    active.set(key, run);
  }

  function later(key: string, at: number): void {
    if (stopping) return;
    const existing = timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      timers.delete(key);
      kick(key);
    }, Math.max(0, at - now()));
    timers.set(key, { at, timer });
  }

  async function drain(key: string, initial?: OutboxClaim): Promise<void> {
    let claim: OutboxClaim | { state: 'lost' } = initial ?? (await outbox.claim(key, owner, claimLeaseMs, now()));
    while (claim.state === 'ready') {
      const item = claim.item;
      if (stopping && Date.now() >= stopAt) {
        await outbox.release(key, owner);
        return;
      }
      const failure = await attempt(key, item);
      if (!failure) {
        if (item.maybeSent) options.onPossibleDuplicate?.(item.channel);
        claim = await outbox.complete(key, owner, item, claimLeaseMs);
        continue;
      }
      claim = await settle(key, item, failure);
    }
    if (claim.state === 'later') later(key, claim.at);
  }

  /** One send of the item's remaining messages; the DeliveryError when it failed, else undefined. */
  async function attempt(key: string, item: OutboxItem): Promise<DeliveryError | undefined> {
    const rest = item.messages.slice(item.sent);
    const leaseMs = leaseMsFor(item);
    // The claim's lease outlasts a one-message attempt; a longer one is extended first.
    if (leaseMs > claimLeaseMs) await outbox.renew(key, owner, leaseMs);
    // A guard over the whole call, in case a channel does not honour its per-request timeout.
    let guard: NodeJS.Timeout | undefined;
    const guardMs = rest.length * timeoutSeconds * 1000 + 2000;
    inFlight.set(key, item);
    try {
      await Promise.race([
        options.send(item.channel, item.conversationId, rest, timeoutSeconds),
        new Promise<never>((_, reject) => {
          guard = setTimeout(() => reject(new DeliveryError(item.channel, 'maybe_delivered', 'timeout', { description: `${item.channel} send took longer than ${guardMs} ms` })), guardMs);
        }),
      ]);
      options.onDelivered?.(item.channel, rest.length);
      return undefined;
    } catch (caught) {
      return caught instanceof DeliveryError ? caught : new DeliveryError(item.channel, 'transient', 'network', { description: describe(item.channel, caught) });
    } finally {
      inFlight.delete(key);
      clearTimeout(guard);
    }
  }

  /** What a failed attempt leads to: a retry later, or a dead letter; returns the next claim. */
  async function settle(key: string, item: OutboxItem, error: DeliveryError): Promise<OutboxClaim | { state: 'lost' }> {
    const at = now();
    const sent = Math.min(item.messages.length, item.sent + error.delivered);
    if (error.delivered > 0) options.onDelivered?.(item.channel, error.delivered);
    const context = { conversation: key, channel: item.channel, failure: error.failure, reason: error.reason, code: error.status, attempt: item.attempts + 1 };
    const bury = async (reason: string): Promise<OutboxClaim | { state: 'lost' }> => {
      const left = { ...item, sent };
      const texts = deadLetterTexts(left, options.mask);
      const buried = await outbox.bury(key, owner, item, {
        key,
        channel: item.channel,
        conversationId: item.conversationId,
        createdAt: item.createdAt,
        deadAt: at,
        reason,
        description: error.description,
        texts,
      });
      if (!buried) return { state: 'lost' };
      options.onDeadLetter?.(item.channel, reason);
      log.error({ ...context, description: error.description, messages: texts.length }, `outbox: reply not delivered (${reason}); kept for staff, the citizen is told on their next message`);
      return outbox.claim(key, owner, claimLeaseMs, now());
    };

    if (error.failure === 'permanent') return bury(error.reason);
    if (error.failure === 'maybe_delivered' && item.maybeSent) return bury('maybe_delivered');
    if (at - item.createdAt >= horizonMs) return bury('horizon');
    const backoff = Math.min(retryCapMs, retryBaseMs * 2 ** item.attempts) * (0.8 + Math.random() * 0.4);
    const waitMs = error.retryAfterMs ?? (error.failure === 'maybe_delivered' ? 0 : backoff);
    const nextAt = Math.min(at + waitMs, item.createdAt + horizonMs);
    const next: OutboxItem = {
      ...item,
      sent,
      attempts: item.attempts + 1,
      nextAt,
      lastError: error.description,
      ...(error.failure === 'maybe_delivered' ? { maybeSent: true } : {}),
    };
    options.onRetry?.(item.channel, error.reason);
    log.warn({ ...context, retryInMs: Math.round(nextAt - at), description: error.description }, `outbox: ${item.channel} send failed (${error.reason}); retrying`);
    if (!(await outbox.defer(key, owner, item, next))) return { state: 'lost' };
    return { state: 'later', at: nextAt };
  }

  async function sweep(): Promise<void> {
    const pending = await outbox.pending();
    let depth = 0;
    let oldestAt: number | undefined;
    for (const conversation of pending) {
      depth += conversation.depth;
      if (conversation.oldestAt !== undefined && (oldestAt === undefined || conversation.oldestAt < oldestAt)) oldestAt = conversation.oldestAt;
      if (!active.has(conversation.key) && !timers.has(conversation.key)) kick(conversation.key);
    }
    stats = { depth, ...(oldestAt !== undefined ? { oldestAt } : {}) };
  }

  function sweepSoon(): void {
    if (stopping) return;
    sweepTimer = setTimeout(() => {
      sweeping = sweep()
        .catch((error: unknown) => log.warn({ err: error instanceof Error ? error.message : String(error) }, 'outbox: sweep failed; trying again'))
        .finally(() => {
          sweeping = undefined;
          sweepSoon();
        });
    }, sweepMs);
    sweepTimer.unref();
  }

  async function idle(): Promise<void> {
    while (active.size > 0) await Promise.allSettled([...active.values()]);
  }

  return {
    kick(key) {
      if (!handed.delete(key)) kick(key);
    },
    leaseFor(key) {
      return {
        owner,
        leaseMs: claimLeaseMs,
        claimed(claim) {
          handed.add(key);
          if (claim.state === 'ready') kick(key, claim);
          else if (claim.state === 'later') later(key, claim.at);
        },
      };
    },
    start() {
      stopping = false;
      stopAt = Infinity;
      sweepSoon();
    },
    async stop(graceMs) {
      stopping = true;
      stopAt = Date.now() + graceMs;
      clearTimeout(sweepTimer);
      for (const { timer } of timers.values()) clearTimeout(timer);
      timers.clear();
      waiting.clear();
      await sweeping;
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
      const outcome = await Promise.race([idle().then(() => 'done' as const), graceOver]);
      clearTimeout(timer);
      if (outcome === 'late') {
        // Sends still hanging: leave their items for the next instance, marked as maybe sent.
        await Promise.allSettled(
          [...inFlight.entries()].map(async ([key, item]) => {
            await outbox.defer(key, owner, item, { ...item, nextAt: 0, maybeSent: true, lastError: 'instance stopped during the send' });
            log.warn({ conversation: key, channel: item.channel }, 'outbox: stopped while a send was in flight; left for the next instance (may be a duplicate)');
          }),
        );
      }
    },
    stats: () => stats,
    sweep,
    idle,
  };
}
