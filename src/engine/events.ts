/**
 * @module Events: everything a turn did, returned to the host, which performs the effects
 * (delivering messages, opening a handoff ticket, erasing data, counting analytics).
 *
 * Three tiers of trouble, as in goflow:
 *  - `error`: recoverable, the conversation goes on (a service failed and its failure route ran);
 *  - `failure`: the turn was cut short (step limit, a missing step); the citizen gets the apology
 *    from content and the conversation returns to the main menu;
 *  - thrown `EngineError`s with a `code`: misuse by the caller (a bug), never seen by citizens.
 */
import type { Outbound } from './messages.js';
import type { Json } from './session.js';

export type HandoffReason = 'asked' | 'failures' | 'report' | 'not_found';

export type EngineEvent =
  | { type: 'msg_created'; msg: Outbound }
  | { type: 'flow_entered'; flow: string }
  | { type: 'conversation_ended' }
  | { type: 'command'; command: string }
  | { type: 'input_invalid'; flow: string; step: string; test: string; failures: number }
  | { type: 'service_called'; service: string; ok: boolean; outcome?: string }
  | {
      type: 'handoff_requested';
      reason: HandoffReason;
      /** What the citizen was doing: the procedure found, the text they wrote, the checklist... */
      context: Record<string, Json>;
    }
  | { type: 'erase_requested' }
  /** Product analytics (procedure_found, card_viewed, checklist_finished, online_link_opened...). */
  | { type: 'analytics'; name: string; data: Record<string, Json> }
  | { type: 'error'; code: string; detail: string }
  | { type: 'failure'; code: 'step_limit' | 'missing_step' | 'service_threw'; detail: string };

export class EngineError extends Error {
  constructor(
    readonly code: 'unknown_flow' | 'unknown_step_type' | 'bad_session' | 'duplicate_step_type',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
