/**
 * @module Events: everything a turn did, returned to the host, which performs the effects
 * (delivering messages, opening a handoff ticket, keeping a report, erasing data, counting
 * analytics).
 *
 * Three tiers of trouble, as in goflow:
 *  - `error`: recoverable, the conversation goes on (a service failed and its failure route ran);
 *  - `failure`: the turn was cut short (step limit, a missing step); the citizen gets the apology
 *    from content and the conversation returns to the main menu;
 *  - thrown `EngineError`s with a `code`: misuse by the caller (a bug), never seen by citizens.
 *
 * Requests the host must answer (`handoff_requested`, `handoff_cancel_requested`,
 * `report_requested`) end the run: the flow waits at its `handoff` step until the host calls
 * `engine.resume` with what actually happened (a `HostAnswer`, one of `HANDOFF_OUTCOMES`), and
 * only then says anything. So the words the citizen reads always match the truth: a ticket
 * queued, already queued, no desk at all.
 */
import type { Outbound } from './messages.js';
import type { Json } from './session.js';

/** Why a person is asked for. `report` tags report events (kept apart from chat tickets). */
export type HandoffReason = 'asked' | 'failures' | 'report' | 'not_found';

/**
 * What staff are given with a request, by role; the flow names the variable behind each role
 * (`context: { asked: query, procedure: procedure_id }`), so the host knows no variable names.
 */
export const HANDOFF_CONTEXT_ROLES = ['asked', 'procedure', 'missing', 'report', 'phone'] as const;
export type HandoffContextRole = (typeof HANDOFF_CONTEXT_ROLES)[number];
export type HandoffContext = Partial<Record<HandoffContextRole, Json>>;

/**
 * Every outcome the host may answer, per request. A `handoff` step must route each one, so no
 * flow can forget the case where there is no desk.
 *  - person: `queued` (a new ticket; data: position, minutes when estimable), `queued_after_hours`
 *    (a new ticket, desk closed; data: next_opening), `already_queued` (the open ticket; data:
 *    position/minutes in hours, next_opening out of hours), `with_staff` (a person holds the chat),
 *    `no_desk` (nobody reads tickets here; data: office_open, next_opening);
 *  - cancel: `cancelled`, `nothing_to_cancel`;
 *  - report: `stored` (kept for staff; data: ref), `no_desk`.
 */
export const HANDOFF_OUTCOMES = {
  person: ['queued', 'queued_after_hours', 'already_queued', 'with_staff', 'no_desk'],
  cancel: ['cancelled', 'nothing_to_cancel'],
  report: ['stored', 'no_desk'],
} as const;
export type HandoffRequestKind = keyof typeof HANDOFF_OUTCOMES;
export type HandoffOutcome<K extends HandoffRequestKind = HandoffRequestKind> = (typeof HANDOFF_OUTCOMES)[K][number];

/** The host's answer to a request, given to `engine.resume`. */
export interface HostAnswer {
  outcome: string;
  /** Figures and dates for the texts (`{{_handoff.position}}`): only what is known, never a guess. */
  data?: Record<string, Json>;
}

export type EngineEvent =
  | { type: 'msg_created'; msg: Outbound }
  | { type: 'flow_entered'; flow: string }
  | { type: 'conversation_ended' }
  | { type: 'command'; command: string }
  | { type: 'input_invalid'; flow: string; step: string; test: string; failures: number }
  | { type: 'service_called'; service: string; ok: boolean; outcome?: string }
  | {
      type: 'handoff_requested';
      reason: Exclude<HandoffReason, 'report'>;
      /** What the citizen was doing: the procedure found, the text they wrote, the checklist... */
      context: HandoffContext;
    }
  | { type: 'handoff_cancel_requested' }
  | { type: 'report_requested'; context: HandoffContext }
  | { type: 'erase_requested' }
  /** Product analytics (procedure_found, card_viewed, checklist_finished, online_link_opened...). */
  | { type: 'analytics'; name: string; data: Record<string, Json> }
  | { type: 'error'; code: string; detail: string }
  | { type: 'failure'; code: FailureCode; detail: string };

/** Why a turn stopped with an apology: too many steps in one turn, or a target that is not there. */
export type FailureCode = 'step_limit' | 'missing_step';

/** The events that wait for a `HostAnswer`. */
export type HostRequestEvent = Extract<EngineEvent, { type: 'handoff_requested' | 'handoff_cancel_requested' | 'report_requested' }>;


export class EngineError extends Error {
  constructor(
    readonly code: 'unknown_step_type' | 'duplicate_step_type',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
