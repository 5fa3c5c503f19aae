/**
 * @module The SessionStore interface: where conversations live between messages.
 * Only `src/conversation` uses it. Implementations: memory (tests, demos, `npm start` without
 * REDIS_URL) and Redis (production). One contract suite (`test/store/session-store.case.ts`)
 * runs against both.
 */
import type { Session } from '../engine/session.js';
import type { NewOutboxItem, OutboxClaim } from './outbox.js';

export interface TurnContext {
  /** The stored session, or null when there is none (new, expired or erased). */
  session: Session | null;
  /** True when `messageId` was already handled: the caller must not answer it again. */
  alreadyProcessed: boolean;
  /**
   * Replies of this conversation given up on (dead letters) since a turn last told the citizen;
   * absent when none. The turn apologises and sets `clearUndelivered`.
   */
  undelivered?: number;
}

export interface TurnOutcome<T> {
  /** The session to save; `null` deletes everything kept for the conversation; 'unchanged' saves nothing. */
  session: Session | null | 'unchanged';
  result: T;
  /**
   * Replies to deliver, written in the same atomic step as the session and the processed mark
   * (the store's Outbox, see outbox.ts). Not written when `fn` throws or the save is refused.
   */
  outbox?: NewOutboxItem;
  /**
   * With `outbox`: take the conversation's delivery lease for `owner` in the same step, when no
   * other worker holds it, and hand the resulting claim to `claimed` (saves the worker a round
   * trip). Called after the save, only when it succeeded.
   */
  lease?: { owner: string; leaseMs: number; claimed(claim: OutboxClaim): void };
  /** The turn told the citizen about undelivered replies: reset the count, in the same step. */
  clearUndelivered?: boolean;
}

export interface SessionStore {
  /**
   * Runs one turn of one conversation. At most one turn per conversation key runs at a time,
   * across every process that shares the store. When `fn` resolves, the new session is saved
   * and `messageId` is recorded as processed, together; when `fn` throws, nothing is saved and
   * the message is not recorded, so a redelivery is handled normally.
   * Throws `StoreUnavailableError` when the backing service cannot be reached.
   */
  runTurn<T>(key: string, messageId: string, fn: (ctx: TurnContext) => Promise<TurnOutcome<T>>): Promise<T>;
  /** Reads a session without locking (staff console, tests). */
  peek(key: string): Promise<Session | null>;
  /** Deletes every key kept about the conversation (session, dedupe marks, locks). */
  erase(key: string): Promise<void>;
  /** True when the store can serve turns now. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export interface SessionStoreOptions {
  /** Idle time after which a session is forgotten, in seconds. */
  sessionTtlSeconds: number;
  /** How long a processed message id is remembered for dedupe, in seconds. */
  dedupeTtlSeconds: number;
}

export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
