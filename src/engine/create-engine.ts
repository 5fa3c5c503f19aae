/**
 * @module The engine: checked flows + content + session + one citizen message → new session +
 * events. Pure: no I/O, no clock (the host passes `now`), no environment. Global commands are
 * matched before anything else; then the waiting step gets the message; free text with nothing
 * waiting goes to the finder route. A turn runs at most `stepLimit` steps.
 */
import type { AnyStepType, Service, ServiceResult, StepContext, StepResult } from './define-step.js';
import type { Engine, TurnInput, TurnMeta, TurnResult } from './engine-types.js';
import { EngineError, type EngineEvent, type FailureCode, type HostAnswer } from './events.js';
import type { CommandDef, FlowSet, Globals, StepDef, Texts, Translation } from './flow-types.js';
import { parseStartPayload } from './deep-link.js';
import { containsPhrase, fold, phraseWords } from './fold.js';
import type { Choice, Link } from './messages.js';
import { HISTORY_LIMIT, newSession, SESSION_VERSION, type Frame, type HistoryEntry, type Json, type Session } from './session.js';
import { stepTypes as defaultStepTypes } from './steps/index.js';
import { lookup, render, renderDeep } from './template.js';

export interface EngineOptions {
  flows: FlowSet;
  texts: Texts;
  /** Values templates can read besides the session's variables, e.g. `unit` from content. */
  globals: Globals;
  services: Record<string, Service>;
  steps?: ReadonlyMap<string, AnyStepType>;
  /** The language of `texts` and `globals` (default "vi"): a session without `lang` reads it. */
  defaultLanguage?: string;
  /** Other languages by code ("en"): their texts and globals (see `Translation`). */
  translations?: Record<string, Translation>;
}

/**
 * The text key said after a text shown in the default language because the conversation's
 * language lacks it: "(Not yet translated: shown in Vietnamese.)", in that language.
 */
export const UNTRANSLATED_NOTE = 'system.untranslated';

/** Variables whose name starts with `_` live for one turn only. */
const TRANSIENT = /^_/;

export function createEngine(options: EngineOptions): Engine {
  const { flows, texts, globals, services } = options;
  const steps = options.steps ?? defaultStepTypes;
  const defaultLanguage = options.defaultLanguage ?? 'vi';
  const translations = options.translations ?? {};
  const languages = new Set([defaultLanguage, ...Object.keys(translations)]);
  const languageOf = (session: Pick<Session, 'lang'> | null | undefined) => (session?.lang && languages.has(session.lang) ? session.lang : defaultLanguage);
  // Templates and conditions read `lang` too ("when: { var: lang, equals: en }").
  const globalsByLanguage = new Map([...languages].map((lang) => [lang, lang === defaultLanguage ? { ...globals, lang } : { ...globals, ...translations[lang]?.globals, lang }]));
  const globalsOf = (lang: string): Globals => globalsByLanguage.get(lang) ?? { ...globals, lang };
  const { commands } = flows;

  const bySlash = new Map<string, CommandDef>();
  const byWords = new Map<string, CommandDef>();
  for (const command of commands.commands) {
    for (const slash of command.slash) bySlash.set(slash.toLowerCase(), command);
    for (const words of command.words) byWords.set(fold(words), command);
  }

  const polite: ReadonlySet<string> = new Set(commands.polite.map(fold));
  // The phrases of two words or more, padded once: matchCommand looks for them inside short messages.
  const inside = [...byWords]
    .map(([phrase, command]) => ({ padded: ` ${phrase} `, words: phrase.split(' ').length, command }))
    .filter((p) => p.words >= 2);
  const alerts = commands.alerts.map((alert) => ({ ...alert, phrases: alert.words.map(phraseWords), strict: alert.accented.map(phraseWords) }));

  /** The first alert whose phrase the message holds anywhere (emergencies), if any. */
  function matchAlert(text: string) {
    const words = phraseWords(text);
    return alerts.find((alert) => alert.phrases.some((phrase) => containsPhrase(words, phrase)) || alert.strict.some((phrase) => containsPhrase(words, phrase, true)));
  }

  /**
   * A text in `lang`, rendered with `vars` and that language's globals. Missing in `lang`, it is
   * the default language's text (with its globals), then — unless it is a button's label — the
   * one-line note that it is not translated yet.
   */
  function textOf(key: string, vars: Record<string, unknown>, lang = defaultLanguage, kind: 'text' | 'label' = 'text'): string {
    const own = lang === defaultLanguage ? texts.get(key) : translations[lang]?.texts.get(key);
    if (own !== undefined) return render(own, { ...vars, ...globalsOf(lang) }).trim();
    const template = texts.get(key);
    if (template === undefined) return '';
    const shown = render(template, { ...vars, ...globals }).trim();
    const note = lang === defaultLanguage || kind === 'label' ? undefined : translations[lang]?.texts.get(UNTRANSLATED_NOTE);
    return shown && note ? `${shown}\n${render(note, globalsOf(lang)).trim()}` : shown;
  }

  function matchCommand(input: TurnInput): CommandDef | undefined {
    if (input.kind === 'choice' && input.choiceId?.startsWith('cmd:')) {
      return commands.commands.find((c) => c.id === input.choiceId?.slice(4));
    }
    if (input.kind !== 'text' || !input.text) return undefined;
    const trimmed = input.text.trim();
    if (trimmed.startsWith('/')) {
      const [first = '', argument] = trimmed.split(/\s+/);
      const slash = first.replace(/@\w+$/, '').toLowerCase();
      // "/lang en": a slash form with its argument wins over the bare one.
      return (argument ? bySlash.get(`${slash} ${argument.toLowerCase()}`) : undefined) ?? bySlash.get(slash);
    }
    const folded = fold(trimmed);
    const exact = byWords.get(folded);
    if (exact) return exact;
    // "cho tôi gặp cán bộ ạ": a command phrase inside a short message still counts; in a long
    // message the same words are more likely part of a question, so they go to the finder.
    const words = folded.split(' ').length;
    const padded = ` ${folded} `;
    for (const phrase of inside) {
      if (words <= phrase.words + 3 && padded.includes(phrase.padded)) return phrase.command;
    }
    return undefined;
  }

  function isUsable(session: Session | null): session is Session {
    if (!session || session.v !== SESSION_VERSION || !Array.isArray(session.frames)) return false;
    return session.frames.every((f) => flows.flows.get(f.flow)?.steps.has(f.step));
  }

  const engine = {
    commandOf(input: TurnInput) {
      const command = matchCommand(input);
      if (!command) return undefined;
      const flow = command.target?.slice(1).split('.')[0];
      return { id: command.id, ...(flow ? { flow } : {}) };
    },

    text(key: string, vars: Record<string, unknown> = {}, lang?: string) {
      return textOf(key, vars, lang && languages.has(lang) ? lang : defaultLanguage);
    },

    languageOf(session: Session | null) {
      return languageOf(session);
    },

    resume(session: Session, answer: HostAnswer, meta: TurnMeta): TurnResult {
      return engine.handle(session, { kind: 'text' }, meta, answer);
    },

    /** A citizen's message (`input`), or with `answer`: the host's answer to the request the turn made. */
    handle(sessionIn: Session | null, input: TurnInput, meta: TurnMeta, answer?: HostAnswer): TurnResult {
      const events: EngineEvent[] = [];
      let session: Session;
      const fresh = !isUsable(sessionIn);
      if (!fresh) {
        session = structuredClone(sessionIn as Session);
      } else {
        if (sessionIn) events.push({ type: 'error', code: 'session_reset', detail: 'stored session did not fit the current flows' });
        session = newSession(meta.key, meta.channel, meta.now);
      }
      // An answer continues the turn the citizen's message started: it is not a new turn.
      if (!answer) session.turns += 1;
      session.updatedAt = meta.now;
      const varsBefore = structuredClone(session.vars);

      const scope = () => ({ ...session.vars, ...globalsOf(languageOf(session)) });
      const localText = (key: string, kind: 'text' | 'label' = 'text') => textOf(key, session.vars, languageOf(session), kind);
      const say = (text: string, extra?: { choices?: Choice[]; links?: Link[] }) => {
        const msg = { text, ...(extra?.choices?.length ? { choices: extra.choices } : {}), ...(extra?.links?.length ? { links: extra.links } : {}) };
        events.push({ type: 'msg_created', msg });
      };

      function current(): { frame: Frame; step: StepDef } | null {
        const frame = session.frames.at(-1);
        const step = frame ? flows.flows.get(frame.flow)?.steps.get(frame.step) : undefined;
        return frame && step ? { frame, step } : null;
      }

      /** Points the top frame at `target` (relative to the current flow). */
      function moveTo(target: string): boolean {
        const top = session.frames.at(-1);
        let flowId = top?.flow ?? '';
        let stepId = target;
        if (target.startsWith('@')) {
          const [f, s] = target.slice(1).split('.') as [string, string | undefined];
          const flow = flows.flows.get(f);
          if (!flow) return false;
          flowId = f;
          stepId = s ?? flow.start;
        }
        if (!flows.flows.get(flowId)?.steps.has(stepId)) return false;
        if (top?.flow !== flowId) events.push({ type: 'flow_entered', flow: flowId });
        const frame: Frame = { flow: flowId, step: stepId, ...(top?.returnTo ? { returnTo: top.returnTo } : {}) };
        if (top) session.frames[session.frames.length - 1] = frame;
        else session.frames.push(frame);
        return true;
      }

      function fail(code: FailureCode, detail: string) {
        events.push({ type: 'failure', code, detail });
        say(localText('system.failure'));
        session.frames = [];
        session.waiting = false;
        session.failures = 0;
      }

      function context(step: StepDef, frame: Frame): StepContext {
        return {
          session,
          flowId: frame.flow,
          stepId: step.id,
          polite,
          text: (key) => localText(key),
          label: (key) => localText(key, 'label'),
          get language() {
            return languageOf(session);
          },
          get languageChosen() {
            return session.lang !== undefined;
          },
          setLanguage(lang) {
            if (!languages.has(lang)) return false;
            if (session.lang !== lang) events.push({ type: 'analytics', name: 'language_set', data: { lang } });
            session.lang = lang;
            return true;
          },
          render: (template) => render(template, scope()),
          renderJson: (value) => renderDeep(value, scope()),
          say,
          setVar(name, value) {
            if (value === undefined) delete session.vars[name];
            else session.vars[name] = value;
          },
          // Conditions read what templates read: the session's variables and the host's globals.
          getVar: (path) => lookup(scope(), path),
          callService(name, args): ServiceResult {
            const service = services[name];
            let result: ServiceResult;
            try {
              result = service ? service(args, session.vars, { lang: languageOf(session) }) : { ok: false, error: 'unknown_service' };
            } catch (error) {
              result = { ok: false, error: `threw: ${(error as Error).message}` };
            }
            events.push({ type: 'service_called', service: name, ok: result.ok, ...(result.outcome ? { outcome: result.outcome } : {}) });
            if (!result.ok) events.push({ type: 'error', code: 'service_failed', detail: `${name}: ${result.error ?? 'failed'}` });
            return result;
          },
          requestHost: (event) => events.push(event),
          requestErase() {
            session.vars = {};
            session.history = [];
            events.push({ type: 'erase_requested' });
          },
          invalidAnswer(test, maxFailures, onFail) {
            session.failures += 1;
            events.push({ type: 'input_invalid', flow: frame.flow, step: step.id, test, failures: session.failures });
            if (session.failures < (maxFailures ?? commands.maxFailures)) return null;
            session.failures = 0;
            return onFail ?? commands.tooManyFailures;
          },
          analytics: (name, data) => events.push({ type: 'analytics', name, data }),
          reask() {
            reasking = true;
            if (step.reenter) return { next: step.reenter };
            return typeOf(step).enter(context(step, frame), step.props);
          },
          routeFreeText(text, target, save) {
            session.vars[save ?? commands.freeText.save] = text.trim();
            return target ?? commands.freeText.target;
          },
        };
      }

      function typeOf(step: StepDef): AnyStepType {
        const type = steps.get(step.type);
        if (!type) throw new EngineError('unknown_step_type', `step type "${step.type}" is not registered`);
        return type;
      }

      let asked: HistoryEntry | undefined;
      let reasking = false;

      function afterStep(result: StepResult, resumed: boolean): string | null {
        if ('awaitHost' in result) {
          // The run stops here until the host answers; nothing waits for the citizen meanwhile.
          session.waiting = false;
          return null;
        }
        if ('wait' in result) {
          session.waiting = true;
          if (!resumed && !reasking) {
            session.failures = 0;
            asked = { frames: structuredClone(session.frames) };
            session.history.push(asked);
            if (session.history.length > HISTORY_LIMIT) session.history.shift();
          }
          return null;
        }
        session.waiting = false;
        if ('next' in result) return result.next;
        // End of a flow: return to the caller, or end the conversation at the top.
        const ended = session.frames.pop();
        if (ended?.returnTo && session.frames.length > 0) return ended.returnTo;
        session.frames = [];
        events.push({ type: 'conversation_ended' });
        return null;
      }

      /** Runs steps from `target` until one waits or the flow ends. */
      function run(target: string | null): void {
        let count = 0;
        let next = target;
        while (next !== null) {
          if (++count > commands.stepLimit) return fail('step_limit', `more than ${commands.stepLimit} steps in one turn`);
          if (!moveTo(next)) return fail('missing_step', `target ${next} not found`);
          const here = current();
          if (!here) return fail('missing_step', `target ${next} not found`);
          const { frame, step } = here;
          if (step.track) events.push({ type: 'analytics', name: step.track, data: { flow: frame.flow, step: step.id, ...pick(session.vars, ['procedure_id', 'start_source', 'missing']) } });
          if (step.type === 'flow') {
            const props = step.props as { flow: string; start_at?: string; next: string };
            session.frames.push({ flow: frame.flow, step: step.id, returnTo: props.next });
            next = props.start_at ? `@${props.flow}.${props.start_at}` : `@${props.flow}`;
            continue;
          }
          next = afterStep(typeOf(step).enter(context(step, frame), step.props), false);
        }
      }

      function resume(): void {
        const here = current();
        if (!here) return run(commands.start);
        const type = typeOf(here.step);
        if (!type.resume) return run(here.step.id);
        const result = type.resume(context(here.step, here.frame), here.step.props, input);
        run(afterStep(result, true));
      }

      /** Undoes the last answer: back to the previous question, with the variables it saw. */
      function back(): void {
        const left = session.history.at(-1);
        const previous = session.history.at(-2);
        if (!left || !previous) {
          say(localText('system.nothing_back'));
          session.history = [];
          session.frames = [];
          return run(commands.start);
        }
        session.history.pop();
        for (const [name, value] of Object.entries(left.undo ?? {})) {
          if (value === null) delete session.vars[name];
          else session.vars[name] = value;
        }
        session.frames = structuredClone(previous.frames);
        const here = current();
        reasking = true;
        run(here ? (here.step.reenter ?? here.step.id) : commands.start);
      }

      /** The host answered: the step that asked routes on the outcome. */
      function answered(given: HostAnswer): void {
        const here = current();
        const type = here ? typeOf(here.step) : undefined;
        if (!here || !type?.answered) {
          events.push({ type: 'error', code: 'nothing_awaited', detail: `an answer "${given.outcome}" came while no step awaited one` });
          return;
        }
        run(afterStep(type.answered(context(here.step, here.frame), here.step.props, given), true));
      }

      // An alert (a fire, someone hurt) is answered first and at once, whatever is waiting; the
      // message is then handled as usual, with `_notice` set so a flow can keep quiet after it.
      const alert = !answer && input.kind === 'text' && input.text ? matchAlert(input.text) : undefined;
      if (alert) {
        events.push({ type: 'analytics', name: 'alert_shown', data: { alert: alert.id } });
        say(localText(alert.text));
        session.vars._notice = alert.id;
      }

      const command = answer ? undefined : matchCommand(input);
      if (answer) {
        answered(answer);
      } else if (input.kind === 'start') {
        // A new start keeps the language the citizen reads.
        session = { ...newSession(meta.key, meta.channel, meta.now), turns: session.turns, ...(session.lang ? { lang: session.lang } : {}) };
        const payload = input.text?.trim();
        // `khai-sinh.poster-kp3`: the procedure opens, the tag rides along on the analytics events.
        const link = parseStartPayload(payload);
        if (link) {
          session.vars.start_payload = link.procedure;
          if (link.source) session.vars.start_source = link.source;
        } else if (payload) session.vars.start_payload = payload.slice(0, 64);
        run(commands.start);
      } else if (command) {
        events.push({ type: 'command', command: command.id });
        if (command.action === 'back') back();
        else {
          if (command.reset) session.vars = {};
          session.frames = [];
          session.history = [];
          session.waiting = false;
          run(command.target ?? commands.start);
        }
      } else if (input.kind === 'media') {
        say(localText('system.media_unsupported'));
      } else if (session.waiting && session.frames.length > 0) {
        resume();
      } else if (input.kind === 'text' && input.text?.trim() && fresh) {
        // A new conversation opens with the greeting; the start flow sees the first words in the
        // free-text variable and may search them right away.
        session.vars[commands.freeText.save] = input.text.trim();
        run(commands.start);
      } else if (input.kind === 'text' && input.text?.trim()) {
        session.frames = [];
        const target = commands.freeText.target;
        session.vars[commands.freeText.save] = input.text.trim();
        run(target);
      } else {
        session.frames = [];
        run(commands.start);
      }

      for (const name of Object.keys(session.vars)) if (TRANSIENT.test(name)) delete session.vars[name];
      if (asked) asked.undo = undoOf(varsBefore, session.vars);
      return { session, events };
    },
  };
  return engine satisfies Engine;
}

/** The earlier values of the variables a turn changed (null: it was not set). */
function undoOf(before: Record<string, Json>, after: Record<string, Json>): Record<string, Json> | undefined {
  const undo: Record<string, Json> = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (TRANSIENT.test(name)) continue;
    if (JSON.stringify(before[name]) !== JSON.stringify(after[name])) undo[name] = before[name] ?? null;
  }
  return Object.keys(undo).length > 0 ? undo : undefined;
}

function pick(vars: Record<string, Json>, names: string[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const name of names) if (vars[name] !== undefined) out[name] = vars[name] as Json;
  return out;
}
