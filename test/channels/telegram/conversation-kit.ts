/**
 * @module Test kit for the channel tests (Telegram and Zalo): the real assistant (flows/ and
 * content/) with a real conversation over a memory or Redis store, and a logger that keeps every
 * line as JSON so a test can check what was logged (and that no token was).
 */
import { conversationKey } from '../../../src/channels/index.js';
import { createConversation, type Conversation } from '../../../src/conversation/handle-inbound.js';
import { hotlineOnlyHandoff } from '../../../src/conversation/handoff-port.js';
import type { Logger } from '../../../src/conversation/logger.js';
import { loadAssistant, type Assistant } from '../../../src/load-assistant.js';
import { createMemorySessionStore } from '../../../src/store/memory-session-store.js';
import type { SessionStore } from '../../../src/store/session-store.js';

let assistant: Assistant | undefined;

export function testAssistant(): Assistant {
  if (!assistant) {
    const loaded = loadAssistant({ flowsDir: 'flows', contentDir: 'content', sessionTtlSeconds: 3600 });
    if (!loaded.assistant) throw new Error(`assistant did not load: ${JSON.stringify(loaded.problems.slice(0, 3))}`);
    assistant = loaded.assistant;
  }
  return assistant;
}

export interface CapturedLog {
  log: Logger;
  /** Every logged line, as JSON text (level, fields, msg). */
  lines: string[];
  /** Lines whose message contains `text`. */
  find(text: string): string[];
}

export function captureLogger(): CapturedLog {
  const lines: string[] = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    lines.push(JSON.stringify({ level, ...obj, msg }));
  };
  return {
    log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    lines,
    find: (text) => lines.filter((l) => l.includes(text)),
  };
}

export function buildConversation(log: Logger, store?: SessionStore): { conversation: Conversation; store: SessionStore } {
  const sessions = store ?? createMemorySessionStore({ sessionTtlSeconds: 3600, dedupeTtlSeconds: 3600 });
  const conversation = createConversation({ engine: testAssistant().engine, store: sessions, handoff: hotlineOnlyHandoff, log, conversationKey });
  return { conversation, store: sessions };
}
