/**
 * @module Flows as the engine sees them once loaded and checked: plain data with source positions.
 *
 * A target (where a step goes next) is one of:
 *   - `step`          a step of the same flow;
 *   - `@flow`         the start of another flow (a jump: the current flow is left);
 *   - `@flow.step`    a given step of another flow.
 * Sub-flows that return are entered with the `flow` step type instead.
 */
import type { Json } from './session.js';

export const FLOW_SPEC_VERSION = 1;

export interface SourceLoc {
  file: string;
  line: number;
  column: number;
}

export interface StepDef {
  id: string;
  type: string;
  loc: SourceLoc;
  /** The step's own fields, validated against its type's schema. */
  props: Record<string, unknown>;
  /** Optional analytics event emitted when the step runs (card_viewed, online_link_opened...). */
  track?: string;
  /**
   * For a question whose text depends on data an earlier step loads in the same turn (one-turn
   * `_` variables): where to start to show it again (after "back", a stale button, a wrong number).
   */
  reenter?: string;
}

export interface FlowDef {
  id: string;
  spec: number;
  file: string;
  loc: SourceLoc;
  start: string;
  steps: Map<string, StepDef>;
}

export interface CommandDef {
  id: string;
  /** Phrases that trigger it, with or without accents ("gặp cán bộ"). */
  words: string[];
  /** Slash commands ("/canbo"), some with one fixed argument ("/lang en"), matched before the bare form. */
  slash: string[];
  /** 'goto': jump to `target`, clearing the stack; 'back': previous question. */
  action: 'goto' | 'back';
  target?: string;
  /** Forget the conversation's variables first (start over). */
  reset?: boolean;
  loc: SourceLoc;
}

/** Phrases that, anywhere in a message, make the assistant say `text` first (emergency numbers). */
export interface AlertDef {
  id: string;
  /** Matched as whole words; a word typed with accents must have the same accents. */
  words: string[];
  /** Matched as whole words only when typed with exactly these accents (typed without, they mean something else). */
  accented: string[];
  text: string;
  loc: SourceLoc;
}

export interface CommandsDef {
  file: string;
  commands: CommandDef[];
  alerts: AlertDef[];
  /** Where a new conversation or /start goes. */
  start: string;
  /** Where free text goes when no step is waiting for it, and the variable that receives it. */
  freeText: { target: string; save: string };
  /** Where the citizen goes after `maxFailures` invalid answers in a row (the offer of a person). */
  tooManyFailures: string;
  maxFailures: number;
  /** Steps one turn may run before it is cut with a failure. */
  stepLimit: number;
  /** Words around an answer that do not change it ("dạ", "ạ", "em"); menus ignore them. */
  polite: string[];
}

export interface FlowSet {
  flows: Map<string, FlowDef>;
  commands: CommandsDef;
}

/** Citizen-facing texts by dotted key (`menu.find`), from content/texts.yaml. */
export type Texts = ReadonlyMap<string, string>;

export type Globals = Record<string, Json>;

/**
 * A language besides the default one: its texts (content/texts.<lang>.yaml, same keys) and the
 * globals its templates read (the unit with its English desk and hours), replacing the default
 * language's globals key by key.
 */
export interface Translation {
  texts: Texts;
  globals?: Globals;
}
