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
import { Counter, Histogram, type Registry } from 'prom-client';
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

  return {
    registry,
    instrumentConversation(conversation) {
      return {
        async handleInbound(inbound) {
          const stop = latency.startTimer({ channel: inbound.channel });
          try {
            const handled = await conversation.handleInbound(inbound);
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
