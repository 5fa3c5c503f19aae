/**
 * @module The desk the staff console calls: the open tickets and their transcripts, claim, reply,
 * hand back, close, transfer, showing a call-back number (audited), and the citizens' reports
 * (new → seen → resolved, with an optional answer sent to the citizen). Every action is checked
 * against the ticket's holder in the store, told to the citizen through their channel, written to
 * the audit log and announced to every console. A reply the citizen's platform would reject
 * (Zalo OA's window closed, the citizen unfollowed: channel-status.ts) is refused before sending.
 * What the citizen receives is in their conversation's language (`langOf` below); the system
 * lines of the transcript that only staff read ("asked again", the reason) stay Vietnamese.
 */
import type { DeskActivity } from '../analytics/create-analytics.js';
import type { Logger } from '../conversation/logger.js';
import { maskPersonalNumbers } from '../conversation/redact.js';
import type { ChannelName, Outbound } from '../engine/messages.js';
import { escapeMarkup } from '../engine/template.js';
import type { HolderResult, Report, Ticket, TicketStore, TranscriptEntry } from '../store/ticket-store.js';
import type { AuditLog } from './audit-log.js';
import { channelStatusView, noChannelStatus, replyBlock, type ChannelStatus, type ChannelStatusView, type StatusOf } from './channel-status.js';
import type { HandoffBus } from './handoff-bus.js';
import type { StaffRef } from './staff-accounts.js';
import type { Text, TicketQueue } from './ticket-queue.js';

export type DeskError = 'not_found' | 'already_claimed' | 'not_holder' | 'closed' | 'delivery_failed' | 'no_phone' | 'already_resolved' | 'window_closed' | 'unfollowed';
export type DeskResult = { ok: true; ticket: Ticket } | { ok: false; code: DeskError; ticket?: Ticket };
export type ReportResult = { ok: true; report: Report } | { ok: false; code: DeskError; report?: Report };

export interface HandoffDesk {
  /** Open tickets (waiting and held), oldest first. */
  list(): Promise<Ticket[]>;
  get(id: string): Promise<{ ticket: Ticket; transcript: TranscriptEntry[] } | null>;
  /** Atomic: of several staff claiming at once (on any instance), exactly one gets `ok`. */
  claim(id: string, staff: StaffRef): Promise<DeskResult>;
  /** Refused with `window_closed` / `unfollowed`, before anything is sent, when the platform would reject it. */
  reply(id: string, staff: StaffRef, text: string): Promise<DeskResult>;
  /** What the ticket's channel reports (reply window, delivery), for the console; undefined when nothing. */
  channelStatus(ticket: Ticket): Promise<ChannelStatusView | undefined>;
  handBack(id: string, staff: StaffRef): Promise<DeskResult>;
  close(id: string, staff: StaffRef): Promise<DeskResult>;
  transfer(id: string, staff: StaffRef, to: StaffRef): Promise<DeskResult>;
  /** The unmasked call-back number; the audit log records who asked. */
  revealPhone(id: string, staff: StaffRef): Promise<{ ok: true; phone: string } | { ok: false; code: DeskError }>;
  /** Reports still kept, newest first. */
  reports(): Promise<Report[]>;
  report(id: string): Promise<Report | null>;
  /** new → seen (once; later calls change nothing and answer ok). */
  markSeen(id: string, staff: StaffRef): Promise<ReportResult>;
  /** new or seen → resolved; `reply`, when given, is sent to the citizen and marked delivered or not. */
  resolve(id: string, staff: StaffRef, reply?: string): Promise<ReportResult>;
  revealReportPhone(id: string, staff: StaffRef): Promise<{ ok: true; phone: string } | { ok: false; code: DeskError }>;
}

export type Deliver = (channel: ChannelName, conversationId: string, messages: Outbound[]) => Promise<void>;

export interface StaffDeskOptions {
  store: TicketStore;
  queue: TicketQueue;
  bus: HandoffBus;
  audit: AuditLog;
  /** Sends through the citizen's channel; throws when not delivered. */
  deliver: Deliver;
  /** Asks the citizen's channel about the conversation (reply window). Default: nothing known. */
  statusOf?: StatusOf;
  text: Text;
  /**
   * The conversation's language now (`session.lang` of the conversation key), read without the
   * turn lock; undefined when the session is gone or has none. Default: nothing known, so the
   * ticket's (or report's) own `lang` decides.
   */
  currentLanguage?: (key: string) => Promise<string | undefined>;
  log: Logger;
  now: () => number;
  /** Told when a person answers, closes, resolves (the dashboard). Demo tickets are not told. */
  onActivity?: (activity: DeskActivity) => void;
}

export function createStaffDesk(options: StaffDeskOptions): HandoffDesk {
  const { store, queue, bus, audit, deliver, text, log, now } = options;
  const statusOf = options.statusOf ?? noChannelStatus;
  const tell = (of: { demo?: boolean }, activity: DeskActivity) => {
    if (!of.demo) options.onActivity?.(activity);
  };

  /**
   * The language the desk speaks to the citizen in. The session's current one, read when the desk
   * speaks (a staff action, at a person's pace: one read of the session), since the citizen may
   * switch languages while the ticket waits in the queue. When it cannot be read (the session
   * expired or has no language, the store is away): the language the ticket or report was opened
   * in. Neither (a ticket kept before tickets had `lang`): undefined, the default language.
   */
  async function langOf(item: { id: string; key: string; lang?: string }): Promise<string | undefined> {
    try {
      return (await options.currentLanguage?.(item.key)) ?? item.lang;
    } catch (error) {
      log.warn({ item: item.id, err: error instanceof Error ? error.message : String(error) }, "handoff: the conversation's language unavailable; the ticket's is used");
      return item.lang;
    }
  }

  /** The channel's word on the conversation; unknown (`{}`) when it cannot be asked, so the channel's own send decides. */
  async function statusOfTicket(ticket: Pick<Ticket, 'id' | 'channel' | 'conversationId'>): Promise<ChannelStatus> {
    try {
      return await statusOf(ticket.channel, ticket.conversationId);
    } catch (error) {
      log.warn({ ticket: ticket.id, channel: ticket.channel, err: error instanceof Error ? error.message : String(error) }, 'handoff: channel status unavailable');
      return {};
    }
  }

  async function notify(to: { id: string; channel: ChannelName; conversationId: string }, messages: Outbound[]): Promise<boolean> {
    try {
      await deliver(to.channel, to.conversationId, messages);
      return true;
    } catch (error) {
      log.warn({ item: to.id, channel: to.channel, err: error instanceof Error ? error.message : String(error) }, 'handoff: message to the citizen not delivered');
      return false;
    }
  }

  function failed(result: Exclude<HolderResult, { result: 'ok' }>): DeskResult {
    if (result.result === 'missing') return { ok: false, code: 'not_found' };
    return { ok: false, code: result.result === 'closed' ? 'closed' : 'not_holder', ticket: result.ticket };
  }

  async function finish(id: string, staff: StaffRef, outcome: 'handed_back' | 'closed'): Promise<DeskResult> {
    const done = await queue.finish(id, staff.username, outcome);
    if (done.result !== 'ok') return failed(done);
    const lang = await langOf(done.ticket);
    const notice: Outbound =
      outcome === 'closed'
        ? { text: text('handoff.closed_rate', {}, lang), choices: [1, 2, 3, 4, 5].map((n) => ({ id: String(n), label: text(`handoff.rating.${n}`, {}, lang) })) }
        : { text: text('handoff.handed_back', {}, lang) };
    await store.append(id, [{ at: now(), from: 'system', by: staff.username, text: notice.text }]);
    await notify(done.ticket, [notice]);
    await audit.record({ staff: staff.username, action: outcome === 'closed' ? 'close' : 'hand_back', ticket: id });
    if (outcome === 'closed') tell(done.ticket, { type: 'closed', channel: done.ticket.channel });
    return { ok: true, ticket: done.ticket };
  }

  async function reportChanged(report: Report): Promise<void> {
    await bus.publish({ type: 'report_changed', reportId: report.id, status: report.status });
  }

  return {
    list: () => store.listOpen(),

    async get(id) {
      const ticket = await store.get(id);
      return ticket ? { ticket, transcript: await store.transcript(id) } : null;
    },

    async claim(id, staff) {
      const claimed = await queue.claim(id, staff.username);
      if (claimed.result === 'missing') return { ok: false, code: 'not_found' };
      if (claimed.result !== 'ok') return { ok: false, code: claimed.result === 'closed' ? 'closed' : 'already_claimed', ticket: claimed.ticket };
      const notice = text('handoff.claimed', { staff: staff.name }, await langOf(claimed.ticket));
      await store.append(id, [{ at: now(), from: 'system', by: staff.username, text: notice }]);
      // No button here: on Zalo a numbered choice sent outside a turn could not be answered by
      // its number, so the notice says which word ends the chat (the flows' cancel command).
      await notify(claimed.ticket, [{ text: notice }]);
      await audit.record({ staff: staff.username, action: 'claim', ticket: id });
      tell(claimed.ticket, { type: 'answered', channel: claimed.ticket.channel, waitMs: Math.max(0, (claimed.ticket.claimedAt ?? now()) - claimed.ticket.openedAt) });
      return { ok: true, ticket: claimed.ticket };
    },

    async reply(id, staff, message) {
      const held = await store.updateAsHolder(id, staff.username, {});
      if (held.result !== 'ok') return failed(held);
      const blocked = replyBlock(await statusOfTicket(held.ticket));
      if (blocked) return { ok: false, code: blocked, ticket: held.ticket };
      // Staff write plain text: their asterisks must not turn into bold on the citizen's side. The
      // citizen sees who is writing, so a person's answer is never taken for the assistant's.
      const signed = `${text('handoff.staff_says', { staff: staff.name }, await langOf(held.ticket))} ${escapeMarkup(message)}`;
      const delivered = await notify(held.ticket, [{ text: signed }]);
      // Kept with its numbers masked, like the citizen's side: the citizen got the message as written.
      await store.append(id, [{ at: now(), from: 'staff', by: staff.username, text: maskPersonalNumbers(message), ...(delivered ? {} : { undelivered: true }) }]);
      await audit.record({ staff: staff.username, action: 'reply', ticket: id });
      await bus.publish({ type: 'message', ticketId: id, from: 'staff' });
      return delivered ? { ok: true, ticket: held.ticket } : { ok: false, code: 'delivery_failed', ticket: held.ticket };
    },

    channelStatus: async (ticket) => channelStatusView(await statusOfTicket(ticket)),

    handBack: (id, staff) => finish(id, staff, 'handed_back'),
    close: (id, staff) => finish(id, staff, 'closed'),

    async transfer(id, staff, to) {
      const moved = await store.updateAsHolder(id, staff.username, { staff: to.username });
      if (moved.result !== 'ok') return failed(moved);
      const notice = text('handoff.transferred', { staff: to.name }, await langOf(moved.ticket));
      await store.append(id, [{ at: now(), from: 'system', by: staff.username, text: notice }]);
      await notify(moved.ticket, [{ text: notice }]);
      await audit.record({ staff: staff.username, action: 'transfer', ticket: id, to: to.username });
      await bus.publish({ type: 'ticket_changed', ticketId: id, status: 'held' });
      return { ok: true, ticket: moved.ticket };
    },

    async revealPhone(id, staff) {
      const ticket = await store.get(id);
      if (!ticket) return { ok: false, code: 'not_found' };
      if (!ticket.phone) return { ok: false, code: 'no_phone' };
      await audit.record({ staff: staff.username, action: 'reveal_phone', ticket: id });
      return { ok: true, phone: ticket.phone };
    },

    reports: () => store.listReports(),
    report: (id) => store.getReport(id),

    async markSeen(id, staff) {
      const seen = await store.updateReport(id, { status: 'seen', seenAt: now(), seenBy: staff.username }, ['new']);
      if (seen) {
        await audit.record({ staff: staff.username, action: 'report_seen', report: id });
        await reportChanged(seen);
        return { ok: true, report: seen };
      }
      const report = await store.getReport(id);
      return report ? { ok: true, report } : { ok: false, code: 'not_found' };
    },

    async resolve(id, staff, reply) {
      const before = await store.getReport(id);
      if (!before) return { ok: false, code: 'not_found' };
      if (before.status === 'resolved') return { ok: false, code: 'already_resolved', report: before };
      const answer = reply?.trim();
      // An answer the platform would refuse (Zalo OA: window closed, unfollowed) is not sent and
      // the report stays open: staff learn why, and may call the citizen or resolve without one.
      const blocked = answer ? replyBlock(await statusOfTicket(before)) : undefined;
      if (blocked) return { ok: false, code: blocked, report: before };
      const delivered = answer ? await notify(before, [{ text: `${text('handoff.report_answer', { staff: staff.name }, await langOf(before))} ${escapeMarkup(answer)}` }]) : undefined;
      const resolved = await store.updateReport(
        id,
        { status: 'resolved', resolvedAt: now(), resolvedBy: staff.username, ...(answer ? { reply: maskPersonalNumbers(answer), replyDelivered: delivered === true } : {}) },
        ['new', 'seen'],
      );
      if (!resolved) {
        const report = await store.getReport(id);
        return report ? { ok: false, code: 'already_resolved', report } : { ok: false, code: 'not_found' };
      }
      await audit.record({ staff: staff.username, action: 'report_resolved', report: id });
      tell(resolved, { type: 'report_resolved', channel: resolved.channel });
      await reportChanged(resolved);
      return delivered === false ? { ok: false, code: 'delivery_failed', report: resolved } : { ok: true, report: resolved };
    },

    async revealReportPhone(id, staff) {
      const report = await store.getReport(id);
      if (!report) return { ok: false, code: 'not_found' };
      if (!report.phone) return { ok: false, code: 'no_phone' };
      await audit.record({ staff: staff.username, action: 'reveal_phone', report: id });
      return { ok: true, phone: report.phone };
    },
  };
}
