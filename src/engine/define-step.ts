/**
 * @module How a step type is defined: its schema (checked when flows load), what it references
 * (targets, content keys, services: for the flow checker), whether it waits for the citizen, and
 * what it does when entered and when the citizen answers. Steps never send anything: they
 * emit events through the context.
 *
 * Each step file's doc comment holds a ```yaml example flow; test/engine/step-examples.test.ts
 * loads and runs every one of them, so the docs cannot rot.
 */
import type { z } from 'zod';
import type { TurnInput } from './engine-types.js';
import type { HostAnswer, HostRequestEvent } from './events.js';
import type { Choice, Link } from './messages.js';
import type { Json, Session } from './session.js';

/**
 * What a step decides: go to a target, wait for the citizen, end the current flow, or stop the
 * run until the host answers the request the step emitted (`awaitHost`: see events.ts). A step
 * that awaits the host is not waiting for the citizen: a message arriving before the answer (a
 * host that never answered) is handled as if nothing waited.
 */
export type StepResult = { next: string } | { wait: true } | { end: true } | { awaitHost: true };

export interface ServiceResult {
  ok: boolean;
  /** Named result that `call` routes on ("confident", "found", "done"...). */
  outcome?: string;
  data?: Json;
  /** For failures: a short code for the error event (never personal data). */
  error?: string;
}

/** What a service knows of the turn besides its arguments (the engine always passes it). */
export interface ServiceMeta {
  /** The conversation's language (`session.lang`, else the default one): the language of any text the service builds. */
  lang: string;
}

/**
 * A named service injected by the host. It must be synchronous and free of I/O (in-memory
 * look-ups such as the finder or the catalog); effects belong to events.
 */
export type Service = (args: Record<string, Json>, vars: Readonly<Record<string, Json>>, meta?: ServiceMeta) => ServiceResult;

export interface StepContext {
  readonly session: Session;
  readonly flowId: string;
  readonly stepId: string;
  /** Folded words that do not change an answer ("da", "a", "em": commands.yaml `polite`). */
  readonly polite: ReadonlySet<string>;
  /**
   * Renders a content text in the conversation's language with the session's variables and that
   * language's globals; '' when the key is empty. A text missing in that language is the default
   * language's, followed by a one-line note saying so.
   */
  text(key: string): string;
  /** As `text`, for a button's label: a missing translation falls back without the note. */
  label(key: string): string;
  /** The conversation's language (`session.lang`, else the default one). */
  readonly language: string;
  /** Whether the citizen (or a detection) chose the language: `session.lang` is set. */
  readonly languageChosen: boolean;
  /** Sets the conversation's language; false (and nothing changes) for a language with no texts. */
  setLanguage(lang: string): boolean;
  /** Renders an inline template (links, service arguments). */
  render(template: string): string;
  renderJson(value: Json): Json;
  say(text: string, extra?: { choices?: Choice[]; links?: Link[] }): void;
  setVar(name: string, value: Json | undefined): void;
  getVar(path: string): unknown;
  callService(name: string, args: Record<string, Json>): ServiceResult;
  /** Emits a request the host must answer (`engine.resume`); return `{ awaitHost: true }` after it. */
  requestHost(event: HostRequestEvent): void;
  requestErase(): void;
  /**
   * Records an invalid answer. Returns null to re-prompt, or the target to go to once the citizen
   * has failed `maxFailures` times in a row (`onFail`, else the global offer of a person).
   */
  invalidAnswer(test: string, maxFailures?: number, onFail?: string): string | null;
  analytics(name: string, data: Record<string, Json>): void;
  /** Shows the current question again (through the step's `reenter` when it has one). */
  reask(): StepResult;
  /** Saves free text (in `save`, else the global free-text variable) and returns where it goes. */
  routeFreeText(text: string, target?: string, save?: string): string;
}

export interface StepType<P> {
  type: string;
  /** Validates the step's fields (everything but `type`, `track`). */
  schema: z.ZodType<P>;
  /** True when the step stops the turn to wait for the citizen. */
  waits: boolean;
  targets(props: P): string[];
  contentKeys(props: P): string[];
  services?(props: P): string[];
  /** Languages the step names, for the flow checker (each must have texts). */
  languages?(props: P): string[];
  enter(ctx: StepContext, props: P): StepResult;
  /** Called with the citizen's next message when the step waited. */
  resume?(ctx: StepContext, props: P, input: TurnInput): StepResult;
  /** Called with the host's answer when the step returned `awaitHost`. */
  answered?(ctx: StepContext, props: P, answer: HostAnswer): StepResult;
}

export type AnyStepType = StepType<any>;

export function defineStep<P>(definition: StepType<P>): StepType<P> {
  return definition;
}
