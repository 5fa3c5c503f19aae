/**
 * @module Builds a conversation with a staff desk for tests: the real assistant (as when a desk
 * runs), the real handoff on memory stores (or the stores given), a settable clock, and a
 * `deliver` that records what the desk sent to citizens. Also the clock times the handoff tests
 * use, and the no-desk conversation with a clock (what `npm start` runs without a desk).
 */
import { conversationKey } from '../../src/channels/index.js';
import { createConversation, type Conversation } from '../../src/conversation/handle-inbound.js';
import { silentLogger, type Logger } from '../../src/conversation/logger.js';
import type { ChannelName, Outbound } from '../../src/engine/messages.js';
import { createHandoff, type Deliver, type Handoff } from '../../src/handoff/create-handoff.js';
import { createMemoryHandoffBus, type HandoffBus } from '../../src/handoff/handoff-bus.js';
import { createNoDesk } from '../../src/handoff/no-desk.js';
import { createMemorySessionStore } from '../../src/store/memory-session-store.js';
import { createMemoryStaffStore } from '../../src/store/memory-staff-store.js';
import { createMemoryTicketStore } from '../../src/store/memory-ticket-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import type { StaffStore } from '../../src/store/staff-store.js';
import type { TicketStore } from '../../src/store/ticket-store.js';
import { realAssistant } from './assistant.js';

/** Monday 1 June 2026, 09:00 in Asia/Ho_Chi_Minh (UTC+7): the desk is open. */
export const MONDAY_9AM = Date.UTC(2026, 5, 1, 2, 0);
/** Saturday 6 June 2026, 10:00 local: closed; opens Monday 8 June 7:30. */
export const SATURDAY_10AM = Date.UTC(2026, 5, 6, 3, 0);

export interface Delivered {
  channel: ChannelName;
  conversationId: string;
  messages: Outbound[];
}

export interface DeskConversation {
  clock: { now: number };
  handoff: Handoff;
  store: SessionStore;
  conversation: Conversation;
  delivered: Delivered[];
}

export function deskConversation(
  options: { start?: number; clock?: { now: number }; deliver?: Deliver; log?: Logger; tickets?: TicketStore; staff?: StaffStore; bus?: HandoffBus; store?: SessionStore; demo?: boolean } = {},
): DeskConversation {
  const clock = options.clock ?? { now: options.start ?? MONDAY_9AM };
  const now = () => clock.now;
  const delivered: Delivered[] = [];
  const assistant = realAssistant({ desk: true });
  const store = options.store ?? createMemorySessionStore({ sessionTtlSeconds: 3600, dedupeTtlSeconds: 3600, now });
  const handoff = createHandoff({
    tickets: options.tickets ?? createMemoryTicketStore({ retentionDays: 30, now }),
    staff: options.staff ?? createMemoryStaffStore({ now }),
    bus: options.bus ?? createMemoryHandoffBus(),
    assistant,
    deliver:
      options.deliver ??
      (async (channel, conversationId, messages) => {
        delivered.push({ channel, conversationId, messages });
      }),
    // As the server runs it: the desk reads the conversation's language from the sessions.
    sessions: store,
    log: options.log ?? silentLogger,
    now,
    ...(options.demo ? { demo: true } : {}),
  });
  const conversation = createConversation({ engine: assistant.engine, store, handoff: handoff.port, log: options.log ?? silentLogger, now, conversationKey });
  return { clock, handoff, store, conversation, delivered };
}

/** What `npm start` runs without a desk: nothing kept, the hotline, and whether the office is open at `start`. */
export function noDeskConversation(start: number): { clock: { now: number }; conversation: Conversation } {
  const clock = { now: start };
  const assistant = realAssistant();
  const store = createMemorySessionStore({ sessionTtlSeconds: 3600, dedupeTtlSeconds: 3600 });
  const conversation = createConversation({ engine: assistant.engine, store, handoff: createNoDesk({ assistant, now: () => clock.now }), log: silentLogger, now: () => clock.now, conversationKey });
  return { clock, conversation };
}
