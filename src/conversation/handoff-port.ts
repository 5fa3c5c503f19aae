/**
 * @module What the conversation layer needs from the staff desk: a port. The conversation calls
 * it before the engine (is a person holding this chat?), when the engine asks for a person, a
 * cancel or a report (the port does it and answers with what actually happened), after the turn
 * (what was said, so staff read both sides), and on erasure. `noDeskPort` is the truthful answer
 * where no desk runs: nothing is kept, and the flows then give the hotline instead.
 */
import type { HandoffContext, HandoffReason, HostAnswer } from '../engine/events.js';
import type { Inbound, Outbound } from '../engine/messages.js';
import type { Session } from '../engine/session.js';

export type HandoffRequest =
  | { kind: 'person'; reason: Exclude<HandoffReason, 'report'>; context: HandoffContext }
  | { kind: 'cancel' }
  | { kind: 'report'; context: HandoffContext };

export interface HandoffPort {
  /**
   * Called for every citizen message before the engine, inside the conversation's lock. When a
   * person holds the chat, it takes the message (forwards it to the console) and returns the
   * replies to send (usually none): the assistant stays silent. Null lets the engine answer.
   * `passes(inbound)` tells whether the flows would take the message as a cancel of the request:
   * such a message must reach the engine even while a person holds the chat.
   */
  intercept(input: { key: string; inbound: Inbound; session: Session | null; passes: () => boolean }): Promise<{ replies: Outbound[]; session?: Session } | null>;
  /** The engine asked for something: do it, and answer with the outcome (events.ts HANDOFF_OUTCOMES). */
  request(input: { key: string; inbound: Inbound; session: Session; request: HandoffRequest }): Promise<HostAnswer>;
  /** After a turn the engine answered: what the citizen wrote and what the assistant replied. */
  afterTurn(input: { key: string; inbound: Inbound; replies: Outbound[] }): Promise<void>;
  /** The citizen asked to erase their data: delete tickets, reports and transcripts about them. */
  erase(key: string): Promise<void>;
}

/**
 * No staff desk: nothing is queued or kept, and every request is answered as it is. `office`,
 * when given, tells whether the office is open now and when it opens next, so the citizen is told
 * at night that the hotline is closed (see handoff/no-desk.ts for the one built from the unit).
 */
/** `office(lang)`: whether the office is open now and when it opens next, said in the conversation's language. */
export function noDeskPort(office?: (lang?: string) => { open: boolean; nextOpening?: string }): HandoffPort {
  return {
    async intercept() {
      return null;
    },
    async request({ request, session }) {
      if (request.kind === 'cancel') return { outcome: 'nothing_to_cancel' };
      const now = office?.(session.lang);
      const data = now ? { office_open: now.open, ...(now.nextOpening ? { next_opening: now.nextOpening } : {}) } : {};
      return { outcome: 'no_desk', data };
    },
    async afterTurn() {},
    async erase() {},
  };
}

/** The port with no desk and no clock (tests): the hotline and its office hours. The CLI and the server use handoff/no-desk.ts, which has one. */
export const hotlineOnlyHandoff: HandoffPort = noDeskPort();
