/**
 * @module What the desk learns from a citizen's channel about their conversation, and what it
 * makes of it. Some platforms limit when a business may write: Zalo OA takes customer-service
 * replies only until 7 days after the citizen's last message (the first 8 within 48 h free), and
 * nothing once the citizen unfollowed. The desk stays channel-agnostic: the composition root
 * passes `statusOf`, which asks the running channel (RunningChannel.status); a channel without
 * such rules answers `{}` and the console shows nothing. A reply the platform would reject is
 * refused here, before the channel is called, so staff get a clear reason instead of a failed send.
 */
import type { ConversationStatus } from '../conversation/conversation-status.js';
import type { ChannelName } from '../engine/messages.js';

/** What a channel reports about one conversation. */
export type ChannelStatus = ConversationStatus;

/** Asks the citizen's channel; `{}` when it has nothing to say. May throw (its store is away). */
export type StatusOf = (channel: ChannelName, conversationId: string) => Promise<ChannelStatus>;

/** Why the platform would refuse a message to the citizen now. */
export type ReplyBlock = 'window_closed' | 'unfollowed';

/** What the console is given next to a ticket; absent when the channel reports nothing. */
export interface ChannelStatusView {
  replyWindow?: NonNullable<ChannelStatus['replyWindow']>;
  unfollowed?: true;
  /** The latest delivery report: "đã xem" once seen, else "đã nhận". */
  delivery?: { state: 'received' | 'seen'; at: number };
  /** Set when a staff reply would be refused: the console says why instead of offering the box. */
  blocked?: ReplyBlock;
}

export function replyBlock(status: ChannelStatus): ReplyBlock | undefined {
  if (status.unfollowed) return 'unfollowed';
  if (status.replyWindow && !status.replyWindow.open) return 'window_closed';
  return undefined;
}

export function channelStatusView(status: ChannelStatus): ChannelStatusView | undefined {
  const view: ChannelStatusView = {};
  if (status.replyWindow) view.replyWindow = { ...status.replyWindow };
  if (status.unfollowed) view.unfollowed = true;
  // Seeing implies receiving; a later "received" alone means the newest message is not seen yet.
  if (status.seenAt !== undefined && status.seenAt >= (status.receivedAt ?? 0)) view.delivery = { state: 'seen', at: status.seenAt };
  else if (status.receivedAt !== undefined) view.delivery = { state: 'received', at: status.receivedAt };
  const blocked = replyBlock(status);
  if (blocked) view.blocked = blocked;
  return Object.keys(view).length > 0 ? view : undefined;
}

/** No channel reports anything (tests, and desks built without a composition root). */
export const noChannelStatus: StatusOf = async () => ({});
