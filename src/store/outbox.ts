/**
 * @module The Outbox interface: replies the platform was told "200 OK" about, kept until they are
 * delivered. A turn's replies enter it in the same atomic step that saves the session and marks
 * the platform message processed (`TurnOutcome.outbox` of SessionStore.runTurn); the delivery
 * worker (channels/delivery-worker.ts, one per instance) takes them out, in order per
 * conversation. Implementations: memory (one process) and Redis (every instance); one contract
 * suite (`test/store/outbox.case.ts`) runs against both.
 *
 * A conversation's pending replies are a FIFO. Only the holder of the conversation's delivery
 * lease works on its head item, so two instances never send the same conversation at once and a
 * later reply never overtakes an earlier one. Every write below is fenced by that lease: an
 * instance that lost it (stalled past the lease) changes nothing.
 */
import type { Outbound } from '../engine/messages.js';

/** One turn's replies (or a notice), delivered together and in order. */
export interface OutboxItem {
  /** Unique within the conversation. */
  id: string;
  /** The channel's name and the conversation id on it: where the messages go. */
  channel: string;
  conversationId: string;
  messages: Outbound[];
  /** When the turn saved it (epoch ms): the horizon counts from here. */
  createdAt: number;
  /** Messages of `messages` already delivered (a failure part-way sends only the rest). */
  sent: number;
  /** Failed attempts so far. */
  attempts: number;
  /** Not to be tried before this time (epoch ms; 0: now). */
  nextAt: number;
  /** An attempt timed out after the request left: the platform may have it. Retried once only. */
  maybeSent?: boolean;
  /** The last failure, one safe line (no token, no citizen text), for staff and logs. */
  lastError?: string;
}

/** What a turn gives the store to put in the outbox with its save. */
export type NewOutboxItem = Pick<OutboxItem, 'channel' | 'conversationId' | 'messages'>;

export function newOutboxItem(item: NewOutboxItem, now: number, id: string): OutboxItem {
  return { id, channel: item.channel, conversationId: item.conversationId, messages: item.messages, createdAt: now, sent: 0, attempts: 0, nextAt: 0 };
}

/** The result of `claim`. */
export type OutboxClaim =
  /** Nothing pending for the conversation. */
  | { state: 'empty' }
  /** Another worker holds the lease. */
  | { state: 'busy' }
  /** The head item is waiting for a retry until `at` (no lease taken). */
  | { state: 'later'; at: number }
  /** The lease is ours (for `leaseMs`); `item` is the head, `depth` the items pending. */
  | { state: 'ready'; item: OutboxItem; depth: number };

/** A reply given up on, kept for staff. Texts are masked (no CCCD, no phone number). */
export interface DeadLetter {
  key: string;
  channel: string;
  conversationId: string;
  createdAt: number;
  deadAt: number;
  /** 'horizon': transient failures for longer than the horizon; a DeliveryError reason otherwise. */
  reason: string;
  description: string;
  /** The undelivered messages' texts, masked and shortened. */
  texts: string[];
}

/** What the sweep sees: one entry per conversation with pending replies. */
export interface PendingConversation {
  key: string;
  depth: number;
  /** createdAt of the head item, when it could be read. */
  oldestAt?: number;
}

export interface Outbox {
  /** Appends an item after the conversation's pending ones (outside a turn; turns go through runTurn). */
  append(key: string, item: NewOutboxItem): Promise<void>;
  /** Takes the conversation's delivery lease and returns its head item, unless it is busy, empty or not due. */
  claim(key: string, owner: string, leaseMs: number, now: number): Promise<OutboxClaim>;
  /** Extends a held lease; false when it was lost. */
  renew(key: string, owner: string, leaseMs: number): Promise<boolean>;
  /**
   * The head `item` is delivered: removes it. Returns the next head with the lease kept, or
   * 'empty' (lease released); 'lost' when the lease was not ours any more (nothing changed).
   */
  complete(key: string, owner: string, item: OutboxItem, leaseMs: number): Promise<OutboxClaim | { state: 'lost' }>;
  /** Rewrites the head item (progress, attempts, nextAt) and releases the lease. */
  defer(key: string, owner: string, item: OutboxItem, next: OutboxItem): Promise<boolean>;
  /**
   * Gives up on the head item: removes it, records the dead letter for staff, and counts an
   * undelivered reply for the conversation (its next turn apologises). Releases the lease.
   */
  bury(key: string, owner: string, item: OutboxItem, letter: DeadLetter): Promise<boolean>;
  release(key: string, owner: string): Promise<void>;
  /** Every conversation with pending replies (Redis: a SCAN; empty conversations hold no key). */
  pending(): Promise<PendingConversation[]>;
  /** The latest dead letters, newest first. */
  deadLetters(limit: number): Promise<DeadLetter[]>;
}

/** Dead letters kept at most (oldest dropped). */
export const MAX_DEAD_LETTERS = 500;

/** A dead letter's texts: masked, at most 200 characters each (staff see what was not delivered). */
export function deadLetterTexts(item: OutboxItem, mask: (text: string) => string): string[] {
  return item.messages.slice(item.sent).map((m) => {
    const text = mask(m.text);
    return text.length > 200 ? `${text.slice(0, 199)}…` : text;
  });
}
