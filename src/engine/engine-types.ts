/**
 * @module The engine's public face: one pure function from (session, input) to (session, events).
 */
import type { EngineEvent, HostAnswer } from './events.js';
import type { ChannelName, Inbound } from './messages.js';
import type { Session } from './session.js';

export type TurnInput = Pick<Inbound, 'kind' | 'text' | 'choiceId' | 'mediaType'>;

export interface TurnMeta {
  key: string;
  channel: ChannelName;
  displayName?: string;
  now: number;
}

export interface TurnResult {
  session: Session;
  events: EngineEvent[];
}

export interface Engine {
  /** Handles one citizen message. Pure: the same arguments give the same result; nothing is sent or saved. */
  handle(session: Session | null, input: TurnInput, meta: TurnMeta): TurnResult;
  /**
   * Continues the turn after the host answered the request the last `handle` (or `resume`) ended
   * with (`handoff_requested`...): the waiting `handoff` step routes on the answer's outcome.
   * Pure, like `handle`. A session that awaits nothing gets an `error` event and is unchanged.
   */
  resume(session: Session, answer: HostAnswer, meta: TurnMeta): TurnResult;
  /** The global command a message triggers, if any, and the flow it leads to. */
  commandOf(input: TurnInput): { id: string; flow?: string } | undefined;
  /**
   * Renders a content text with variables (for host messages such as the apology when Redis is
   * down), in `lang` when given and known (a session's `languageOf`), else the default language.
   */
  text(key: string, vars?: Record<string, unknown>, lang?: string): string;
  /** The language a session is answered in: its `lang` when known, else the default one. */
  languageOf(session: Session | null): string;
}
