/**
 * @module The staff desk put together over its two stores: the queue and claims
 * (ticket-queue.ts), the port the conversation calls (create-handoff-port.ts), the desk the
 * console calls (create-staff-desk.ts), staff accounts, the audit log and live updates. The same
 * code runs on memory stores (`npm run demo`, one process) and on Redis (any number of
 * instances); only the stores and the bus differ.
 *
 * Ticket life: `waiting` (in the queue; the assistant keeps answering, both sides are copied to
 * the transcript) → `held` by one staff member (the assistant is silent, messages go to the
 * console) → `closed` (handed back, closed with a rating request, or cancelled by the citizen).
 * Reports live apart: `new` → `seen` → `resolved`. Both expire `retentionDays` after their last
 * change (the stores' retention).
 */
import type { DeskActivity } from '../analytics/create-analytics.js';
import type { HandoffPort } from '../conversation/handoff-port.js';
import type { Logger } from '../conversation/logger.js';
import type { Assistant } from '../load-assistant.js';
import type { SessionStore } from '../store/session-store.js';
import type { StaffStore } from '../store/staff-store.js';
import type { TicketStore } from '../store/ticket-store.js';
import { createAuditLog, type AuditLog } from './audit-log.js';
import type { StatusOf } from './channel-status.js';
import { createHandoffPort } from './create-handoff-port.js';
import { createStaffDesk, type Deliver, type HandoffDesk } from './create-staff-desk.js';
import type { HandoffBus } from './handoff-bus.js';
import { createStaffAccounts, type StaffAccounts } from './staff-accounts.js';
import { createTicketQueue, type TicketQueue } from './ticket-queue.js';

export type { Deliver, DeskError, DeskResult, HandoffDesk, ReportResult } from './create-staff-desk.js';
export type { ChannelStatus, ChannelStatusView, StatusOf } from './channel-status.js';
export type { StaffRef } from './staff-accounts.js';
export type { Report, Ticket, TicketContext, TicketOutcome, TicketStatus, TranscriptEntry } from '../store/ticket-store.js';

export interface HandoffOptions {
  tickets: TicketStore;
  staff: StaffStore;
  bus: HandoffBus;
  assistant: Pick<Assistant, 'engine' | 'catalog' | 'texts' | 'translations'>;
  /** Sends staff replies and notices through the citizen's channel (ChannelAdapter.send). Throws when not delivered. */
  deliver: Deliver;
  /**
   * The conversations' sessions, read (never locked) for the language the citizen reads now.
   * Without it, what the desk sends is in the language the ticket was opened in.
   */
  sessions?: Pick<SessionStore, 'peek'>;
  /** Asks the citizen's channel about the conversation (Zalo OA's reply window); see channel-status.ts. */
  statusOf?: StatusOf;
  log: Logger;
  now?: () => number;
  /** `npm run demo`: tickets and reports are marked demo (kept out of figures), the console says so. */
  demo?: boolean;
  /** Told what the desk did, for the dashboard (analytics/create-analytics.ts). Must not throw. */
  onActivity?: (activity: DeskActivity) => void;
}

export interface QuickReply {
  text: string;
  /** Offered only when the citizen left a call-back number (content: handoff.quick_replies_with_phone.*). */
  needsPhone: boolean;
}

export interface Handoff {
  port: HandoffPort;
  desk: HandoffDesk;
  queue: TicketQueue;
  accounts: StaffAccounts;
  staffStore: StaffStore;
  tickets: TicketStore;
  bus: HandoffBus;
  audit: AuditLog;
  quickReplies: QuickReply[];
  /** The quick replies in each other language ("en"), for a ticket in it: only the keys that language has. */
  quickRepliesByLang: Record<string, QuickReply[]>;
  demo: boolean;
  close(): Promise<void>;
}

/** Texts the desk itself sends or shows (not through a flow): checked when the desk is built. */
export const DESK_TEXTS = [
  'handoff.asked_again',
  'handoff.cancelled_by_citizen',
  'handoff.claimed',
  'handoff.transferred',
  'handoff.staff_says',
  'handoff.handed_back',
  'handoff.closed_rate',
  'handoff.rating.1',
  'handoff.rating.5',
  'handoff.rating_thanks',
  'handoff.report_answer',
  'handoff.reason.asked',
  'handoff.reason.failures',
  'handoff.reason.not_found',
  'handoff.opening_today',
  'handoff.opening_day',
  'handoff.weekday.1',
  'handoff.weekday.7',
  'handoff.next_opening_unknown',
] as const;

export class HandoffConfigError extends Error {
  readonly code = 'handoff_config_invalid';
}

export function createHandoff(options: HandoffOptions): Handoff {
  const { tickets, staff, bus, assistant, log } = options;
  const now = options.now ?? Date.now;
  const missing = DESK_TEXTS.filter((key) => !assistant.texts.has(key));
  if (missing.length > 0) throw new HandoffConfigError(`content/texts.yaml lacks the desk's texts: ${missing.join(', ')}`);
  const text = (key: string, vars?: Record<string, unknown>, lang?: string): string => assistant.engine.text(key, vars, lang);
  const sessions = options.sessions;
  const currentLanguage = sessions ? async (key: string) => (await sessions.peek(key))?.lang : undefined;

  const queue = createTicketQueue({ store: tickets, bus, unit: assistant.catalog.unit, text, now });
  const audit = createAuditLog({ store: staff, log, now });
  const quickKeys = [...assistant.texts.keys()].filter((k) => k.startsWith('handoff.quick_replies.') || k.startsWith('handoff.quick_replies_with_phone.'));
  const quickIn = (keys: string[], lang?: string): QuickReply[] => keys.map((k) => ({ text: text(k, {}, lang), needsPhone: k.startsWith('handoff.quick_replies_with_phone.') }));
  const quickReplies = quickIn(quickKeys);
  const quickRepliesByLang = Object.fromEntries(
    [...assistant.translations].map(([lang, own]) => [lang, quickIn(quickKeys.filter((k) => own.has(k)), lang)] as const).filter(([, replies]) => replies.length > 0),
  );

  return {
    port: createHandoffPort({ store: tickets, queue, bus, catalog: assistant.catalog, hotlines: assistant.catalog.unit.hotlines, text, log, now, demo: options.demo === true, ...(options.onActivity ? { onActivity: options.onActivity } : {}) }),
    desk: createStaffDesk({
      store: tickets,
      queue,
      bus,
      audit,
      deliver: options.deliver,
      ...(options.statusOf ? { statusOf: options.statusOf } : {}),
      ...(options.onActivity ? { onActivity: options.onActivity } : {}),
      ...(currentLanguage ? { currentLanguage } : {}),
      text,
      log,
      now,
    }),
    queue,
    accounts: createStaffAccounts({ store: staff, now }),
    staffStore: staff,
    tickets,
    bus,
    audit,
    quickReplies,
    quickRepliesByLang,
    demo: options.demo === true,
    async close() {
      await bus.close();
      await tickets.close();
      await staff.close();
    },
  };
}
