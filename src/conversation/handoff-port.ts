/**
 * @module What the conversation layer needs from the staff handoff: a port, so the conversation
 * runs with the simple hotline answer until the real queue (src/handoff) is plugged in.
 */
import type { HandoffReason } from '../engine/events.js';
import type { Inbound, Outbound } from '../engine/messages.js';
import type { Json, Session } from '../engine/session.js';

export interface HandoffPort {
  /**
   * Called for every citizen message before the engine, inside the conversation's lock. When a
   * person holds the chat, it takes the message (forwards it to the console) and returns the
   * replies to send (usually none): the assistant stays silent. Null lets the engine answer.
   */
  intercept(input: { key: string; inbound: Inbound; session: Session | null }): Promise<{ replies: Outbound[]; session?: Session } | null>;
  /** The engine asked for a person: open a ticket and return what to tell the citizen (queue place, wait, hours). */
  open(input: { key: string; inbound: Inbound; session: Session; reason: HandoffReason; context: Record<string, Json> }): Promise<Outbound[]>;
  /** The citizen asked to erase their data: delete tickets and transcripts about them. */
  erase(key: string): Promise<void>;
}

/** No staff console: the flow's own handoff text (hotline, office hours) is the whole answer. */
export const hotlineOnlyHandoff: HandoffPort = {
  async intercept() {
    return null;
  },
  async open() {
    return [];
  },
  async erase() {},
};
