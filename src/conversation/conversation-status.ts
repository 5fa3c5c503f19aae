/**
 * @module What a channel knows about one conversation that staff need, in one shape both sides
 * share: channels report it (define-channel.ts `status`), the staff desk shows it and refuses a
 * reply the platform would reject (handoff/channel-status.ts).
 */

/** What a channel knows about one conversation that staff need (Zalo OA's reply window). */
export interface ConversationStatus {
  replyWindow?: {
    /** When the citizen last wrote (epoch ms). */
    lastInboundAt: number;
    /** Free replies left now (0 once `freeUntil` passed). */
    freeRepliesLeft: number;
    freeUntil: number;
    /** Customer-service replies are accepted until then; after it the citizen must write first. */
    customerServiceUntil: number;
    open: boolean;
  };
  /** The citizen unfollowed: nothing can be sent until they follow or write again. */
  unfollowed?: boolean;
  /** When the citizen last received / saw a message of ours (epoch ms), if the platform reports it. */
  receivedAt?: number;
  seenAt?: number;
}
