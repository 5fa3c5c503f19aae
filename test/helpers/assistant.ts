/**
 * @module Builds the real assistant (flows/ + content/) and a conversation on the memory store,
 * for tests that talk to it. One import point for conversation fixtures.
 */
import { conversationKey } from '../../src/channels/index.js';
import { createConversation, type Conversation } from '../../src/conversation/handle-inbound.js';
import { hotlineOnlyHandoff } from '../../src/conversation/handoff-port.js';
import { silentLogger } from '../../src/conversation/logger.js';
import type { Inbound } from '../../src/engine/messages.js';
import { loadAssistant, type Assistant } from '../../src/load-assistant.js';
import { createMemorySessionStore } from '../../src/store/memory-session-store.js';
import type { SessionStore } from '../../src/store/session-store.js';

const cached = new Map<boolean, Assistant>();

/** The real flows and content; `desk: true` as when a staff desk runs (the flows may read `desk.available`). */
export function realAssistant(options: { desk?: boolean } = {}): Assistant {
  const desk = options.desk === true;
  const known = cached.get(desk);
  if (known) return known;
  const { assistant, problems } = loadAssistant({ flowsDir: 'flows', contentDir: 'content', sessionTtlSeconds: 7 * 86_400, desk });
  if (!assistant) throw new Error(`flows or content are broken:\n${problems.map((p) => `${p.file}:${p.line} ${p.message}`).join('\n')}`);
  cached.set(desk, assistant);
  return assistant;
}

export function memoryConversation(store?: SessionStore): { conversation: Conversation; store: SessionStore } {
  const s = store ?? createMemorySessionStore({ sessionTtlSeconds: 3600, dedupeTtlSeconds: 3600 });
  return { conversation: createConversation({ engine: realAssistant().engine, store: s, handoff: hotlineOnlyHandoff, log: silentLogger, conversationKey }), store: s };
}

let counter = 0;

/** A text message from a test citizen; each call gets a new platform message id. */
export function textFrom(conversationId: string, text: string, channel: Inbound['channel'] = 'web'): Inbound {
  counter += 1;
  const start = /^\/start(?:\s+(\S+))?$/.exec(text.trim());
  const base = { channel, conversationId, userId: conversationId, platformMessageId: `m${counter}` };
  return start ? { ...base, kind: 'start', ...(start[1] ? { text: start[1] } : {}) } : { ...base, kind: 'text', text };
}
