/**
 * @module What Zalo OA lets us send to one citizen, kept per user in the channel state (Redis or
 * memory) while staff may need it: when they last wrote (every user event), how many replies
 * went out since (the free budget: 8 within 48 h, reset each time they write), whether they
 * unfollowed, and the delivery status Zalo reported (received / seen). Customer-service replies
 * are accepted until 7 days after their last message; after that the citizen must write first.
 * The record outlives the window (`keepDays`, as long as the desk keeps tickets): a ticket that
 * waited over a long holiday must still say "closed", which a vanished record could not.
 * Counts are read-modify-write and may be off by one when two instances send to one citizen in
 * the same instant: they inform staff, the platform remains the judge.
 */
import type { ChannelState } from '../channel-state.js';
import type { ConversationStatus, ReplyWindow } from '../define-channel.js';

interface UserRecord {
  lastInboundAt?: number;
  freeUsed?: number;
  unfollowed?: boolean;
  receivedAt?: number;
  seenAt?: number;
}

export interface ReplyWindows {
  noteInbound(userId: string, at: number): Promise<void>;
  noteUnfollow(userId: string): Promise<void>;
  noteDelivery(userId: string, kind: 'received' | 'seen', at: number): Promise<void>;
  noteSent(userId: string, messages: number): Promise<void>;
  status(userId: string): Promise<ConversationStatus>;
  /** The citizen erased their data: forget the record (a later message starts a new one). */
  forget(userId: string): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function createReplyWindows(options: { state: ChannelState; window: ReplyWindow; now: () => number; name: string; keepDays?: number }): ReplyWindows {
  const { state, window, now } = options;
  const keep = Math.max(window.customerServiceDays + 1, options.keepDays ?? 0) * DAY;
  const key = (userId: string) => `zalo-oa:${options.name}:user:${userId}`;

  async function read(userId: string): Promise<UserRecord> {
    const raw = await state.get(key(userId));
    if (!raw) return {};
    try {
      return JSON.parse(raw) as UserRecord;
    } catch {
      return {};
    }
  }
  async function update(userId: string, change: (record: UserRecord) => UserRecord): Promise<void> {
    await state.set(key(userId), JSON.stringify(change(await read(userId))), keep);
  }
  /** For what we learn after the citizen wrote (sends, delivery reports): no record, nothing to update (erased). */
  async function updateKnown(userId: string, change: (record: UserRecord) => UserRecord): Promise<void> {
    const raw = await state.get(key(userId));
    if (raw) await update(userId, change);
  }

  return {
    noteInbound: (userId, at) => update(userId, (r) => ({ ...r, lastInboundAt: Math.max(at, r.lastInboundAt ?? 0), freeUsed: at >= (r.lastInboundAt ?? 0) ? 0 : (r.freeUsed ?? 0), unfollowed: false })),
    noteUnfollow: (userId) => update(userId, (r) => ({ ...r, unfollowed: true })),
    noteDelivery: (userId, kind, at) => updateKnown(userId, (r) => (kind === 'seen' ? { ...r, seenAt: Math.max(at, r.seenAt ?? 0), receivedAt: Math.max(at, r.receivedAt ?? 0) } : { ...r, receivedAt: Math.max(at, r.receivedAt ?? 0) })),
    noteSent: (userId, messages) => updateKnown(userId, (r) => ({ ...r, freeUsed: (r.freeUsed ?? 0) + messages })),
    forget: (userId) => state.delete(key(userId)),
    async status(userId) {
      const record = await read(userId);
      const out: ConversationStatus = {};
      if (record.unfollowed) out.unfollowed = true;
      if (record.receivedAt) out.receivedAt = record.receivedAt;
      if (record.seenAt) out.seenAt = record.seenAt;
      if (record.lastInboundAt) {
        const freeUntil = record.lastInboundAt + window.freeHours * HOUR;
        const customerServiceUntil = record.lastInboundAt + window.customerServiceDays * DAY;
        const at = now();
        out.replyWindow = {
          lastInboundAt: record.lastInboundAt,
          freeRepliesLeft: at < freeUntil ? Math.max(0, window.freeReplies - (record.freeUsed ?? 0)) : 0,
          freeUntil,
          customerServiceUntil,
          open: at < customerServiceUntil && !record.unfollowed,
        };
      }
      return out;
    },
  };
}
