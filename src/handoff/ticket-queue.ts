/**
 * @module The queue and its claims, over a TicketStore: opening a ticket, where a waiting ticket
 * stands (its place, a wait estimate only when past waits exist, the next opening when the desk
 * is closed), the atomic claim (which also records the wait, for later estimates), and closing.
 * Both the port the conversation calls and the desk the console calls go through it, and it
 * tells every console of each change (the bus).
 */
import type { Json } from '../engine/session.js';
import type { ClaimResult, HolderResult, Ticket, TicketOutcome, TicketStore, TranscriptEntry } from '../store/ticket-store.js';
import type { HandoffBus } from './handoff-bus.js';
import { describeOpening, officeStatus, type OfficeHoursUnit } from './office-hours.js';

/** A content text rendered in `lang` when given and known, else in the default language (engine.text). */
export type Text = (key: string, vars?: Record<string, unknown>, lang?: string) => string;

export interface OfficeNow {
  open: boolean;
  /** When closed: "7:30 Thứ Hai, 08/06/2026", or "ngày làm việc tiếp theo" when none is known (content's words). */
  nextOpening?: string;
}

export interface TicketQueue {
  /** `nextOpening` said in `lang` (the conversation's), else in the default language. */
  office(lang?: string): OfficeNow;
  /**
   * What the citizen may be told about a waiting ticket, as host-answer data: in office hours its
   * `position` and, only when past waits exist, `minutes`; out of them `next_opening` (when known),
   * said in `lang`.
   */
  standing(ticket: Ticket, lang?: string): Promise<Record<string, Json>>;
  open(ticket: Ticket, transcript: TranscriptEntry[]): Promise<void>;
  claim(id: string, staff: string): Promise<ClaimResult>;
  /** Closes a held ticket as its holder: handed back, or closed (then the citizen is asked for a rating). */
  finish(id: string, staff: string, outcome: Exclude<TicketOutcome, 'cancelled'>): Promise<HolderResult>;
  /** The citizen cancels; null when the ticket was not open. */
  cancel(id: string): Promise<Ticket | null>;
}

export function createTicketQueue(options: { store: TicketStore; bus: HandoffBus; unit: OfficeHoursUnit; text: Text; now: () => number }): TicketQueue {
  const { store, bus, unit, text, now } = options;

  function office(lang?: string): OfficeNow {
    const status = officeStatus(unit, now());
    const said: Text = (key, vars) => text(key, vars, lang);
    return { open: status.open, nextOpening: status.nextOpening ? describeOpening(status.nextOpening, said) : said('handoff.next_opening_unknown') };
  }

  /** The average of recent waits times the place in line; undefined when nothing was measured yet. */
  async function estimateMinutes(position: number): Promise<number | undefined> {
    const samples = await store.recentWaits();
    if (samples.length === 0) return undefined;
    const average = samples.reduce((a, b) => a + b, 0) / samples.length;
    return Math.max(1, Math.ceil((average * position) / 60_000));
  }

  return {
    office,
    async standing(ticket, lang): Promise<Record<string, Json>> {
      const now = office(lang);
      if (!now.open) return { after_hours: true, next_opening: now.nextOpening ?? text('handoff.next_opening_unknown', {}, lang) } as Record<string, Json>;
      const position = (await store.position(ticket.id)) ?? 1;
      const minutes = await estimateMinutes(position);
      const known: Record<string, Json> = { after_hours: false, position };
      if (minutes !== undefined) known.minutes = minutes;
      return known;
    },
    async open(ticket, transcript) {
      await store.open(ticket, transcript);
      await bus.publish({ type: 'ticket_opened', ticketId: ticket.id });
    },
    async claim(id, staff) {
      const at = now();
      const claimed = await store.claim(id, staff, at);
      if (claimed.result === 'ok') {
        await store.recordWait(at - claimed.ticket.openedAt);
        await bus.publish({ type: 'ticket_changed', ticketId: id, status: 'held' });
      }
      return claimed;
    },
    async finish(id, staff, outcome) {
      const done = await store.updateAsHolder(id, staff, { status: 'closed', outcome, closedAt: now() });
      if (done.result !== 'ok') return done;
      if (outcome === 'closed') await store.awaitRating(done.ticket.key, id);
      await bus.publish({ type: 'ticket_changed', ticketId: id, status: 'closed' });
      return done;
    },
    async cancel(id) {
      const cancelled = await store.cancel(id, now());
      if (cancelled) await bus.publish({ type: 'ticket_changed', ticketId: id, status: 'closed' });
      return cancelled;
    },
  };
}
