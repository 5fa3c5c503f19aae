/**
 * @module Drives the real engine turn by turn, as the conversation layer does (replies merged the
 * same way), without a store: for tests that walk every flow and every catalog entry quickly.
 */
import { mergeReplies } from '../../src/conversation/handle-inbound.js';
import type { Engine, TurnInput } from '../../src/engine/engine-types.js';
import type { EngineEvent } from '../../src/engine/events.js';
import type { Outbound } from '../../src/engine/messages.js';
import type { Session } from '../../src/engine/session.js';
import { loadAssistant, type Assistant } from '../../src/load-assistant.js';

export interface Turn {
  /** What the citizen is sent, merged as `handleInbound` merges it. */
  replies: Outbound[];
  events: EngineEvent[];
  session: Session;
}

export function drive(engine: Engine, start: Session | null = null) {
  let session: Session | null = start;
  return {
    send(input: TurnInput | string): Turn {
      const turnInput: TurnInput = typeof input === 'string' ? { kind: 'text', text: input } : input;
      const turn = engine.handle(session, turnInput, { key: 'web:drive', channel: 'web', now: 1_000 });
      session = turn.session;
      const replies = mergeReplies(turn.events.flatMap((e) => (e.type === 'msg_created' ? [e.msg] : [])));
      return { replies, events: turn.events, session: turn.session };
    },
    press(choiceId: string): Turn {
      return this.send({ kind: 'choice', choiceId });
    },
    get session(): Session | null {
      return session;
    },
  };
}

/** The assistant on the real flows and the given content directory; throws on any problem. */
export function assistantOn(contentDir: string, options: { desk?: boolean } = {}): Assistant {
  const { assistant, problems } = loadAssistant({ flowsDir: 'flows', contentDir, sessionTtlSeconds: 7 * 86_400, ...options });
  if (!assistant) throw new Error(`content ${contentDir} is broken:\n${problems.map((p) => `${p.file}:${p.line} ${p.message}`).join('\n')}`);
  return assistant;
}

/** A small seeded random number generator (mulberry32), so generated cases are the same every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
