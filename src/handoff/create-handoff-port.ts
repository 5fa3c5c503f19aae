/**
 * @module The port the conversation calls (conversation/handoff-port.ts), over the ticket queue:
 * it keeps the assistant silent while a person holds the chat (forwarding the citizen's words to
 * the console), opens one ticket per conversation and answers with what is true (queued with its
 * place, already queued, out of hours, with a person), cancels, keeps reports, records both sides
 * of each exchange (so staff read the assistant's questions, not "có / có / có"), takes the 1-5
 * rating after a close, and erases. What it says to the citizen itself (the thanks for a rating, the
 * next opening in the host answer) is in the conversation's language, and each ticket and report
 * keeps that language (`lang`) for what the desk sends later (create-staff-desk.ts).
 *
 * Everything kept is masked (CCCD and phone numbers, also in the display name), except a
 * call-back number the citizen chose to leave (`phone`), which staff see only on request.
 */
import { randomBytes } from 'node:crypto';
import type { DeskActivity } from '../analytics/create-analytics.js';
import type { HandoffPort, HandoffRequest } from '../conversation/handoff-port.js';
import type { Logger } from '../conversation/logger.js';
import { maskPersonalNumbers } from '../conversation/redact.js';
import type { Catalog } from '../catalog/load-catalog.js';
import type { HandoffContext, HostAnswer } from '../engine/events.js';
import type { Inbound, Outbound } from '../engine/messages.js';
import type { Session } from '../engine/session.js';
import type { Report, Ticket, TicketContext, TicketStore, TranscriptEntry } from '../store/ticket-store.js';
import type { HandoffBus } from './handoff-bus.js';
import type { Text, TicketQueue } from './ticket-queue.js';

export interface HandoffPortOptions {
  store: TicketStore;
  queue: TicketQueue;
  bus: HandoffBus;
  catalog: Pick<Catalog, 'entries'>;
  /** The unit's hotlines (content/unit.yaml): public numbers, never masked in what the assistant said. */
  hotlines?: Record<string, unknown>;
  text: Text;
  log: Logger;
  now: () => number;
  /** `npm run demo`: every ticket and report is marked, to keep it out of figures. */
  demo?: boolean;
  /** Told of each rating and report kept (the dashboard). */
  onActivity?: (activity: DeskActivity) => void;
}

/** Longest topic line in the queue. */
const TOPIC_LIMIT = 100;
/** What staff keep of one message of the assistant (a card is longer; they know the card). */
const BOT_TEXT_LIMIT = 1000;
const cutBot = (text: string) => (text.length > BOT_TEXT_LIMIT ? `${text.slice(0, BOT_TEXT_LIMIT - 1)}…` : text);

export function createHandoffPort(options: HandoffPortOptions): HandoffPort {
  const { store, queue, bus, catalog, text, log, now } = options;
  const demo = options.demo ? { demo: true } : {};
  const tell = (activity: DeskActivity) => {
    if (!options.demo) options.onActivity?.(activity);
  };
  // What a turn learnt about the conversation's ticket, so afterTurn need not ask the store again.
  const seen = new WeakMap<Inbound, { ticket: Ticket | null; openedNow?: boolean }>();

  async function ticketOf(key: string, inbound: Inbound): Promise<Ticket | null> {
    const known = seen.get(inbound);
    if (known) return known.ticket;
    const ticket = await store.openTicketOf(key);
    seen.set(inbound, { ticket });
    return ticket;
  }

  function contextOf(context: HandoffContext): { context: TicketContext; report?: string; phone?: string } {
    const out: TicketContext = {};
    const entry = typeof context.procedure === 'string' ? catalog.entries.find((e) => e.id === context.procedure) : undefined;
    if (entry) out.procedure = { id: entry.id, name: entry.name };
    if (typeof context.asked === 'string' && context.asked.trim()) out.asked = maskPersonalNumbers(context.asked.trim());
    if (Array.isArray(context.missing)) {
      const names = context.missing
        .map((item) => (typeof item === 'number' ? entry?.documents[item]?.name : typeof item === 'string' ? item : undefined))
        .filter((name): name is string => !!name);
      if (names.length > 0) out.missing = names.map(maskPersonalNumbers);
    }
    const report = typeof context.report === 'string' ? maskPersonalNumbers(context.report.trim()) : undefined;
    const phone = typeof context.phone === 'string' || typeof context.phone === 'number' ? String(context.phone).replace(/\D/g, '') : undefined;
    return { context: out, ...(report ? { report } : {}), ...(phone ? { phone } : {}) };
  }

  const cut = (line: string) => (line.length > TOPIC_LIMIT ? `${line.slice(0, TOPIC_LIMIT - 1)}…` : line);
  const newId = () => randomBytes(5).toString('hex');
  const displayNameOf = (inbound: Inbound) => (inbound.displayName ? { displayName: maskPersonalNumbers(inbound.displayName) } : {});
  // The assistant's words may quote the citizen (masked), but the unit's own hotlines stay readable.
  const publicNumbers = Object.values(options.hotlines ?? {}).filter((n): n is string => typeof n === 'string' && n.length > 0);
  const maskBot = (line: string): string => {
    const kept: string[] = [];
    const hidden = publicNumbers.reduce((text, number) => text.split(number).join(`\u0000${kept.push(number) - 1}\u0000`), line);
    return maskPersonalNumbers(hidden).replace(/\u0000(\d+)\u0000/g, (_m, i: string) => kept[Number(i)] ?? '');
  };

  async function openTicket(key: string, inbound: Inbound, session: Session, request: Extract<HandoffRequest, { kind: 'person' }>): Promise<HostAnswer> {
    const lang = session.lang;
    const existing = await ticketOf(key, inbound);
    if (existing) {
      // Asking twice keeps one ticket; staff see that the citizen asked again.
      await store.append(existing.id, [{ at: now(), from: 'system', text: text('handoff.asked_again') }]);
      await bus.publish({ type: 'message', ticketId: existing.id, from: 'system' });
      if (existing.status === 'held') return { outcome: 'with_staff' };
      return { outcome: 'already_queued', data: await queue.standing(existing, lang) };
    }
    const built = contextOf(request.context);
    const openedAt = now();
    const afterHours = !queue.office().open;
    const ticket: Ticket = {
      id: newId(),
      key,
      channel: inbound.channel,
      conversationId: inbound.conversationId,
      ...displayNameOf(inbound),
      reason: request.reason,
      topic: cut(built.context.procedure?.name ?? built.context.asked ?? text(`handoff.reason.${request.reason}`)),
      status: 'waiting',
      openedAt,
      context: built.context,
      ...(built.phone ? { phone: built.phone } : {}),
      afterHours,
      ...demo,
      ...(lang ? { lang } : {}),
    };
    // What led here, both sides, then this message and why the ticket exists.
    const transcript: TranscriptEntry[] = [...(await store.recent(key)), citizenEntry(inbound, openedAt), { at: openedAt, from: 'system', text: text(`handoff.reason.${request.reason}`) }];
    await queue.open(ticket, transcript);
    seen.set(inbound, { ticket, openedNow: true });
    log.info({ ticket: ticket.id, channel: inbound.channel, reason: request.reason, afterHours }, 'handoff ticket opened');
    const standing = await queue.standing(ticket, lang);
    return afterHours ? { outcome: 'queued_after_hours', data: standing } : { outcome: 'queued', data: standing };
  }

  async function cancel(key: string, inbound: Inbound): Promise<HostAnswer> {
    const ticket = await ticketOf(key, inbound);
    const cancelled = ticket ? await queue.cancel(ticket.id) : null;
    if (!cancelled) return { outcome: 'nothing_to_cancel' };
    await store.append(cancelled.id, [citizenEntry(inbound, now()), { at: now(), from: 'system', text: text('handoff.cancelled_by_citizen') }]);
    seen.set(inbound, { ticket: null });
    log.info({ ticket: cancelled.id }, 'handoff cancelled by the citizen');
    return { outcome: 'cancelled' };
  }

  async function keepReport(key: string, inbound: Inbound, session: Session, request: Extract<HandoffRequest, { kind: 'report' }>): Promise<HostAnswer> {
    const built = contextOf(request.context);
    if (!built.report) return { outcome: 'no_desk' };
    const report: Report = {
      id: newId(),
      key,
      channel: inbound.channel,
      conversationId: inbound.conversationId,
      ...displayNameOf(inbound),
      text: built.report,
      ...(built.context.procedure ? { procedure: built.context.procedure } : {}),
      ...(built.phone ? { phone: built.phone } : {}),
      status: 'new',
      createdAt: now(),
      ...demo,
      ...(session.lang ? { lang: session.lang } : {}),
    };
    await store.addReport(report);
    await bus.publish({ type: 'report_opened', reportId: report.id });
    tell({ type: 'report_filed', channel: inbound.channel, ...(report.procedure ? { procedure: report.procedure.id } : {}) });
    log.info({ report: report.id, channel: inbound.channel, phone: Boolean(report.phone) }, 'report kept for staff');
    // A short reference the citizen can quote on the hotline.
    return { outcome: 'stored', data: { ref: report.id.slice(0, 6).toUpperCase(), phone_left: Boolean(report.phone) } };
  }

  return {
    async intercept({ key, inbound, session, passes }) {
      const { ticket, ratingFor } = await store.conversation(key);
      seen.set(inbound, { ticket });
      if (ratingFor) {
        // Asked once, right after the close: whatever the citizen writes next ends the question.
        await store.clearRatingRequest(key);
        const rating = ratingOf(inbound);
        if (rating !== undefined) {
          await store.rate(ratingFor, rating);
          tell({ type: 'rated', channel: inbound.channel, rating });
          await bus.publish({ type: 'ticket_changed', ticketId: ratingFor, status: 'closed' });
          return { replies: [{ text: text('handoff.rating_thanks', {}, session?.lang) }] };
        }
      }
      // Waiting: the assistant goes on helping (afterTurn copies both sides for staff). Held:
      // silence, the words go to the console, unless the flows read them as a cancel.
      if (!ticket || ticket.status !== 'held' || passes()) return null;
      await store.append(ticket.id, [citizenEntry(inbound, now())]);
      await bus.publish({ type: 'message', ticketId: ticket.id, from: 'citizen' });
      return { replies: [] };
    },

    async request({ key, inbound, session, request }) {
      if (request.kind === 'person') return openTicket(key, inbound, session, request);
      if (request.kind === 'cancel') return cancel(key, inbound);
      return keepReport(key, inbound, session, request);
    },

    async afterTurn({ key, inbound, replies }) {
      const at = now();
      const said: TranscriptEntry[] = replies.map((reply) => ({ at, from: 'bot', text: maskBot(cutBot(plainOf(reply))) }));
      const known = seen.get(inbound);
      const ticket = await ticketOf(key, inbound);
      const citizen = citizenEntry(inbound, at);
      await store.remember(key, [citizen, ...said]);
      if (!ticket || ticket.status !== 'waiting') return;
      // The ticket opened in this turn already holds the citizen's message.
      await store.append(ticket.id, known?.openedNow ? said : [citizen, ...said]);
      await bus.publish({ type: 'message', ticketId: ticket.id, from: 'citizen' });
    },

    async erase(key) {
      const removed = await store.erase(key);
      for (const id of removed.tickets) await bus.publish({ type: 'ticket_removed', ticketId: id });
      for (const id of removed.reports) await bus.publish({ type: 'report_removed', reportId: id });
      if (removed.tickets.length + removed.reports.length > 0) log.info({ tickets: removed.tickets.length, reports: removed.reports.length }, "handoff data erased at the citizen's request");
    },
  };
}

function citizenEntry(inbound: Inbound, at: number): TranscriptEntry {
  return { at, from: 'citizen', text: maskPersonalNumbers(citizenText(inbound)) };
}

function citizenText(inbound: Inbound): string {
  if (inbound.kind === 'text') return inbound.text ?? '';
  // Staff read the button's words when the platform gave them ("⏳ Chưa có"), else its id.
  if (inbound.kind === 'choice') return inbound.choiceLabel ?? `[${inbound.choiceId ?? ''}]`;
  if (inbound.kind === 'start') return '/start';
  return `[${inbound.mediaType ?? inbound.kind}]${inbound.mediaUrl ? ` ${inbound.mediaUrl}` : ''}`;
}

/** What the citizen saw, as plain text for the console: markup dropped, the buttons in brackets. */
export function plainOf(message: Outbound): string {
  const body = message.text.replace(/\*\*(.+?)\*\*/gs, '$1').replace(/\\([\\*])/g, '$1');
  const choices = (message.choices ?? []).map((c) => `[${c.label}]`).join(' ');
  return choices ? `${body}\n${choices}` : body;
}

function ratingOf(inbound: Inbound): number | undefined {
  const raw = inbound.kind === 'choice' ? inbound.choiceId : inbound.text;
  const match = /^\s*([1-5])\s*(?:sao|⭐+)?\s*$/i.exec(raw ?? '');
  return match ? Number(match[1]) : undefined;
}
