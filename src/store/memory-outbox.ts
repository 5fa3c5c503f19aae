/**
 * @module In-memory Outbox: `npm start` without Redis, the demo and tests. One process only; the
 * same rules as the Redis one (FIFO per conversation, a lease per conversation, fenced writes).
 * The memory session store writes a turn's replies here in its save (`push`), synchronously with
 * the session, so a turn's replies and its session are saved together.
 */
import { randomBytes } from 'node:crypto';
import { MAX_DEAD_LETTERS, newOutboxItem, type DeadLetter, type NewOutboxItem, type Outbox, type OutboxClaim, type OutboxItem } from './outbox.js';

export interface MemoryOutbox extends Outbox {
  /** Appends synchronously (the memory session store's save). */
  push(key: string, item: NewOutboxItem): void;
  /** `claim`, synchronously (the memory session store's save). */
  claimNow(key: string, owner: string, leaseMs: number, now: number): OutboxClaim;
  /** Dead letters of the conversation not yet told (see TurnContext.undelivered). */
  undelivered(key: string): number;
  clearUndelivered(key: string): void;
}

export function createMemoryOutbox(options: { now?: () => number } = {}): MemoryOutbox {
  const now = options.now ?? Date.now;
  const queues = new Map<string, OutboxItem[]>();
  const leases = new Map<string, { owner: string; until: number }>();
  const untold = new Map<string, number>();
  const dead: DeadLetter[] = [];
  const instance = randomBytes(4).toString('hex');
  let counter = 0;

  function holds(key: string, owner: string): boolean {
    const lease = leases.get(key);
    return lease !== undefined && lease.owner === owner && lease.until > Date.now();
  }

  function head(key: string): OutboxItem | undefined {
    return queues.get(key)?.[0];
  }

  function ready(key: string, owner: string, leaseMs: number, at: number): OutboxClaim {
    const queue = queues.get(key);
    const first = queue?.[0];
    if (!queue || !first) {
      if (holds(key, owner)) leases.delete(key);
      return { state: 'empty' };
    }
    if (first.nextAt > at) {
      if (holds(key, owner)) leases.delete(key);
      return { state: 'later', at: first.nextAt };
    }
    leases.set(key, { owner, until: Date.now() + leaseMs });
    return { state: 'ready', item: structuredClone(first), depth: queue.length };
  }

  function claim(key: string, owner: string, leaseMs: number, at: number): OutboxClaim {
    const lease = leases.get(key);
    if (lease && lease.owner !== owner && lease.until > Date.now() && queues.has(key)) return { state: 'busy' };
    return ready(key, owner, leaseMs, at);
  }

  function push(key: string, item: NewOutboxItem): void {
    const queue = queues.get(key) ?? [];
    queue.push(newOutboxItem(structuredClone(item), now(), `${instance}-${(counter++).toString(36)}`));
    queues.set(key, queue);
  }

  /** Removes the head when it is still `item` (by id); the lease must be ours. */
  function shift(key: string, owner: string, item: OutboxItem): boolean {
    if (!holds(key, owner) || head(key)?.id !== item.id) return false;
    const queue = queues.get(key)!;
    queue.shift();
    if (queue.length === 0) queues.delete(key);
    return true;
  }

  return {
    push,
    undelivered: (key) => untold.get(key) ?? 0,
    clearUndelivered: (key) => void untold.delete(key),
    async append(key, item) {
      push(key, item);
    },
    claimNow: claim,
    async claim(key, owner, leaseMs, at) {
      return claim(key, owner, leaseMs, at);
    },
    async renew(key, owner, leaseMs) {
      if (!holds(key, owner)) return false;
      leases.set(key, { owner, until: Date.now() + leaseMs });
      return true;
    },
    async complete(key, owner, item, leaseMs) {
      if (!shift(key, owner, item)) return { state: 'lost' };
      return ready(key, owner, leaseMs, now());
    },
    async defer(key, owner, item, next) {
      if (!holds(key, owner) || head(key)?.id !== item.id) return false;
      queues.get(key)![0] = structuredClone(next);
      leases.delete(key);
      return true;
    },
    async bury(key, owner, item, letter) {
      if (!shift(key, owner, item)) return false;
      leases.delete(key);
      untold.set(key, (untold.get(key) ?? 0) + 1);
      dead.unshift(structuredClone(letter));
      dead.length = Math.min(dead.length, MAX_DEAD_LETTERS);
      return true;
    },
    async release(key, owner) {
      if (holds(key, owner)) leases.delete(key);
    },
    async pending() {
      return [...queues.entries()].map(([key, queue]) => ({ key, depth: queue.length, oldestAt: queue[0]!.createdAt }));
    },
    async deadLetters(limit) {
      return structuredClone(dead.slice(0, limit));
    },
  };
}
