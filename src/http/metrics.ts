/**
 * @module Prometheus metrics of the assistant, on an injected prom-client registry (no global
 * registry, so tests and several apps in one process never collide).
 *
 * Two feeds: `instrumentConversation` wraps the conversation every channel calls, so turns,
 * their status, latency and replies are counted the same way for Telegram, Zalo and the web;
 * `onEvents` (createConversation's hook) counts what happened inside turns (handoffs, finder
 * misses, failures). Labels are bounded sets (channel names, statuses, reasons, codes): never a
 * conversation id or anything a citizen wrote.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Conversation } from '../conversation/handle-inbound.js';
import type { EngineEvent } from '../engine/events.js';
import type { Inbound } from '../engine/messages.js';

export interface Metrics {
  registry: Registry;
  /** A conversation that records every turn it handles. Pass this one to the channels. */
  instrumentConversation(conversation: Conversation): Conversation;
  /** Give this to createConversation as `onEvents`. */
  onEvents(key: string, events: EngineEvent[], inbound: Inbound): void;
  /** Messages delivered outside a turn (staff replies, notices), counted by the channel that sent them. */
  countSent(channel: string, messages: number): void;
  /** The delivery outbox's counters (give them to the delivery worker) and its gauges' source. */
  outbox: {
    onDelivered(channel: string, messages: number): void;
    onRetry(channel: string, reason: string): void;
    onPossibleDuplicate(channel: string): void;
    onDeadLetter(channel: string, reason: string): void;
    /** Where the gauges read depth and the oldest pending reply's time (epoch ms) at each scrape. */
    watch(stats: () => { depth: number; oldestAt?: number }, now: () => number): void;
  };
}

export function createMetrics(registry: Registry, options: { prefix?: string } = {}): Metrics {
  const p = options.prefix ?? 'dvc_';
  const turns = new Counter({
    name: `${p}turns_total`,
    help: 'Citizen messages handled, by channel and outcome (ok, duplicate, degraded, error).',
    labelNames: ['channel', 'status'] as const,
    registers: [registry],
  });
  const replies = new Counter({
    name: `${p}replies_sent_total`,
    help: 'Messages sent to citizens, by channel (turn replies and messages sent outside a turn).',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const handoffs = new Counter({
    name: `${p}handoffs_total`,
    help: 'Conversations handed to a person, by channel and reason.',
    labelNames: ['channel', 'reason'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: `${p}turn_failures_total`,
    help: 'Turns cut short (engine failure events) or that threw, by channel and code.',
    labelNames: ['channel', 'code'] as const,
    registers: [registry],
  });
  const notFound = new Counter({
    name: `${p}finder_not_found_total`,
    help: 'Searches for a procedure that found nothing in the catalog, by channel.',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: `${p}turn_duration_seconds`,
    help: 'Time to handle one citizen message (lock, session, engine, save), by channel.',
    labelNames: ['channel'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const outboxDelivered = new Counter({
    name: `${p}outbox_delivered_total`,
    help: 'Messages the delivery worker of this instance delivered from the outbox, by channel.',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const outboxRetries = new Counter({
    name: `${p}outbox_retries_total`,
    help: 'Failed outbox sends scheduled for another attempt, by channel and reason (network, timeout, server_error, rate_limited…).',
    labelNames: ['channel', 'reason'] as const,
    registers: [registry],
  });
  const outboxDuplicates = new Counter({
    name: `${p}outbox_possible_duplicates_total`,
    help: 'Replies re-sent after a send that timed out (the platform may have delivered both), by channel.',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const outboxDead = new Counter({
    name: `${p}outbox_dead_letters_total`,
    help: 'Replies given up on (horizon passed, or refused for good), by channel and reason.',
    labelNames: ['channel', 'reason'] as const,
    registers: [registry],
  });
  let outboxStats: () => { depth: number; oldestAt?: number } = () => ({ depth: 0 });
  let outboxNow: () => number = Date.now;
  new Gauge({
    name: `${p}outbox_depth`,
    help: 'Replies waiting in the delivery outbox (all instances), at the last sweep.',
    registers: [registry],
    collect() {
      this.set(outboxStats().depth);
    },
  });
  new Gauge({
    name: `${p}outbox_oldest_pending_seconds`,
    help: 'Age of the oldest reply waiting in the delivery outbox, in seconds (0 when none), at the last sweep.',
    registers: [registry],
    collect() {
      const { oldestAt } = outboxStats();
      this.set(oldestAt === undefined ? 0 : Math.max(0, (outboxNow() - oldestAt) / 1000));
    },
  });

  return {
    registry,
    outbox: {
      onDelivered: (channel, messages) => outboxDelivered.inc({ channel }, messages),
      onRetry: (channel, reason) => outboxRetries.inc({ channel, reason }),
      onPossibleDuplicate: (channel) => outboxDuplicates.inc({ channel }),
      onDeadLetter: (channel, reason) => outboxDead.inc({ channel, reason }),
      watch(stats, now) {
        outboxStats = stats;
        outboxNow = now;
      },
    },
    instrumentConversation(conversation) {
      return {
        async handleInbound(inbound, options) {
          const stop = latency.startTimer({ channel: inbound.channel });
          try {
            const handled = await conversation.handleInbound(inbound, options);
            turns.inc({ channel: inbound.channel, status: handled.status });
            if (handled.replies.length > 0) replies.inc({ channel: inbound.channel }, handled.replies.length);
            return handled;
          } catch (error) {
            turns.inc({ channel: inbound.channel, status: 'error' });
            failures.inc({ channel: inbound.channel, code: errorCode(error) });
            throw error;
          } finally {
            stop();
          }
        },
      };
    },
    onEvents(_key, events, inbound) {
      for (const event of events) {
        if (event.type === 'handoff_requested') handoffs.inc({ channel: inbound.channel, reason: event.reason });
        else if (event.type === 'failure') failures.inc({ channel: inbound.channel, code: event.code });
        else if (event.type === 'analytics' && event.name === 'procedure_not_found') notFound.inc({ channel: inbound.channel });
      }
    },
    countSent(channel, messages) {
      if (messages > 0) replies.inc({ channel }, messages);
    },
  };
}

/** A bounded label value: a typed error's `code` when it is a short identifier, else 'exception'. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[a-z][a-z0-9_]{0,40}$/.test(code) ? code : 'exception';
}
