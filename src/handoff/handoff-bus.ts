/**
 * @module Live updates for staff consoles. With Redis, across server instances: a change is
 * published on a pub/sub channel and every instance passes it on to its own connected consoles
 * (SSE). In one process (`npm run demo`), the memory bus hands it on directly. Events carry ids
 * only, never message text: a console fetches what changed over the API, so a console that
 * missed an event still shows the truth on its next fetch.
 */
import type { Redis } from 'ioredis';
import type { RedisClient } from '../store/redis-connection.js';
import type { Logger } from '../conversation/logger.js';

export type HandoffEvent =
  | { type: 'ticket_opened'; ticketId: string }
  | { type: 'ticket_changed'; ticketId: string; status: string }
  | { type: 'message'; ticketId: string; from: 'citizen' | 'staff' | 'system' }
  | { type: 'ticket_removed'; ticketId: string }
  | { type: 'report_opened'; reportId: string }
  | { type: 'report_changed'; reportId: string; status: string }
  | { type: 'report_removed'; reportId: string };

export interface HandoffBus {
  publish(event: HandoffEvent): Promise<void>;
  /** Calls `listener` for every event from any instance; returns the unsubscribe function. */
  subscribe(listener: (event: HandoffEvent) => void): () => void;
  /** Closes the subscriber connection (the publishing client belongs to the caller). */
  close(): Promise<void>;
}

export function createHandoffBus(options: { redis: RedisClient; channel: string; log: Logger }): HandoffBus {
  const { redis, channel, log } = options;
  const listeners = new Set<(event: HandoffEvent) => void>();
  let subscriber: RedisClient | undefined;
  let starting: Promise<void> | undefined;

  async function start(): Promise<void> {
    // A subscribed connection can run nothing else, so it is a second connection, opened on the
    // first console; ioredis resubscribes by itself after a reconnect.
    // Both Redis and Cluster have duplicate(); TypeScript cannot call through the union.
    const sub = (redis as Redis).duplicate() as RedisClient;
    subscriber = sub;
    sub.on('error', () => undefined); // the main client already logs outages
    sub.on('message', (_channel: string, raw: string) => {
      let event: HandoffEvent;
      try {
        event = JSON.parse(raw) as HandoffEvent;
      } catch {
        return;
      }
      for (const listener of listeners) listener(event);
    });
    for (let attempt = 0; ; attempt += 1) {
      try {
        if (sub.status !== 'ready') await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('not ready')), 2000);
          sub.once('ready', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        await sub.subscribe(channel);
        return;
      } catch (error) {
        if (attempt === 0) log.warn({ err: error instanceof Error ? error.message : String(error) }, 'handoff live updates: subscribe failed; retrying');
        if (subscriber !== sub) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  return {
    async publish(event) {
      try {
        await redis.publish(channel, JSON.stringify(event));
      } catch (error) {
        // Consoles re-fetch on their next event or poll; a lost notice must not fail the action.
        log.warn({ err: error instanceof Error ? error.message : String(error), event: event.type }, 'handoff event not published');
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!starting) starting = start();
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      const sub = subscriber;
      subscriber = undefined;
      starting = undefined;
      if (sub) sub.disconnect();
    },
  };
}

/** One process only: listeners are called at once, in the publisher's turn. */
export function createMemoryHandoffBus(): HandoffBus {
  const listeners = new Set<(event: HandoffEvent) => void>();
  return {
    async publish(event) {
      // A copy, as if it had crossed the wire: no listener can change what another one sees.
      for (const listener of listeners) listener(structuredClone(event));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
