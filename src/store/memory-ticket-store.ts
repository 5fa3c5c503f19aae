/**
 * @module In-memory TicketStore: for `npm run demo` and tests. One process only; everything is
 * lost on restart. Values are kept as JSON copies, so a caller can never change what is stored
 * (as with Redis); every operation runs to its end without awaiting, so each is atomic.
 */
import {
  RECENT_LIMIT,
  RECENT_TTL_SECONDS,
  TRANSCRIPT_LIMIT,
  WAIT_SAMPLES,
  type Report,
  type Ticket,
  type TicketStore,
  type TicketStoreOptions,
  type TranscriptEntry,
} from './ticket-store.js';

interface Kept<T> {
  value: T;
  expiresAt: number;
}

export function createMemoryTicketStore(options: TicketStoreOptions): TicketStore {
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionDays * 86_400_000;
  const tickets = new Map<string, Kept<string>>();
  const transcripts = new Map<string, Kept<TranscriptEntry[]>>();
  const reports = new Map<string, Kept<string>>();
  /** Conversation → its open ticket id; → the closed ticket waiting for a rating. */
  const openOf = new Map<string, Kept<string>>();
  const ratingOf = new Map<string, Kept<string>>();
  /** Conversation → every ticket and report id (for erase). */
  const itemsOf = new Map<string, Set<string>>();
  const recentOf = new Map<string, Kept<TranscriptEntry[]>>();
  /** Open ticket ids in arrival order; the waiting ones are the queue. */
  const open: string[] = [];
  let waits: number[] = [];

  const alive = <T>(map: Map<string, Kept<T>>, key: string): T | undefined => {
    const kept = map.get(key);
    if (!kept) return undefined;
    if (kept.expiresAt <= now()) {
      map.delete(key);
      return undefined;
    }
    return kept.value;
  };
  const keep = <T>(map: Map<string, Kept<T>>, key: string, value: T, ms = retentionMs): void => {
    map.set(key, { value, expiresAt: now() + ms });
  };

  function ticket(id: string): Ticket | null {
    const raw = alive(tickets, id);
    return raw ? (JSON.parse(raw) as Ticket) : null;
  }
  function save(value: Ticket): void {
    keep(tickets, value.id, JSON.stringify(value));
    const log = alive(transcripts, value.id);
    if (log) keep(transcripts, value.id, log);
  }
  function report(id: string): Report | null {
    const raw = alive(reports, id);
    return raw ? (JSON.parse(raw) as Report) : null;
  }
  function detach(value: Ticket): void {
    const at = open.indexOf(value.id);
    if (at >= 0) open.splice(at, 1);
    if (alive(openOf, value.key) === value.id) openOf.delete(value.key);
  }
  function index(key: string, id: string): void {
    const items = itemsOf.get(key) ?? new Set<string>();
    items.add(id);
    itemsOf.set(key, items);
  }
  const copy = <T>(value: T): T => structuredClone(value);
  function openTicket(key: string): Ticket | null {
    const id = alive(openOf, key);
    const found = id ? ticket(id) : null;
    if (!found || found.status === 'closed') {
      openOf.delete(key);
      return null;
    }
    return found;
  }

  return {
    async open(value, transcript) {
      keep(tickets, value.id, JSON.stringify(value));
      keep(transcripts, value.id, copy(transcript).slice(-TRANSCRIPT_LIMIT));
      keep(openOf, value.key, value.id);
      ratingOf.delete(value.key);
      index(value.key, value.id);
      open.push(value.id);
    },
    async openTicketOf(key) {
      return openTicket(key);
    },
    async conversation(key) {
      return { ticket: openTicket(key), ratingFor: alive(ratingOf, key) ?? null };
    },
    async get(id) {
      return ticket(id);
    },
    async listOpen() {
      const out: Ticket[] = [];
      for (const id of [...open]) {
        const found = ticket(id);
        if (found && found.status !== 'closed') out.push(found);
        else open.splice(open.indexOf(id), 1);
      }
      return out;
    },
    async position(id) {
      let place = 0;
      for (const other of open) {
        const found = ticket(other);
        if (found?.status !== 'waiting') continue;
        place += 1;
        if (other === id) return place;
      }
      return null;
    },
    async transcript(id) {
      return copy(alive(transcripts, id) ?? []);
    },
    async append(id, entries) {
      const found = ticket(id);
      if (!found) return;
      keep(transcripts, id, [...(alive(transcripts, id) ?? []), ...copy(entries)].slice(-TRANSCRIPT_LIMIT));
      save(found);
    },
    async claim(id, staff, at) {
      const found = ticket(id);
      if (!found) return { result: 'missing' };
      if (found.status !== 'waiting') return { result: found.status, ticket: found };
      const claimed: Ticket = { ...found, status: 'held', staff, claimedAt: at };
      save(claimed);
      return { result: 'ok', ticket: claimed };
    },
    async updateAsHolder(id, staff, change) {
      const found = ticket(id);
      if (!found) return { result: 'missing' };
      if (found.status !== 'held') return { result: found.status, ticket: found };
      if (found.staff !== staff) return { result: 'not_holder', ticket: found };
      const changed: Ticket = { ...found, ...change };
      save(changed);
      if (changed.status === 'closed') detach(changed);
      return { result: 'ok', ticket: changed };
    },
    async cancel(id, at) {
      const found = ticket(id);
      if (!found || found.status === 'closed') return null;
      const cancelled: Ticket = { ...found, status: 'closed', outcome: 'cancelled', closedAt: at };
      save(cancelled);
      detach(cancelled);
      return cancelled;
    },
    async awaitRating(key, id) {
      keep(ratingOf, key, id);
    },
    async clearRatingRequest(key) {
      ratingOf.delete(key);
    },
    async rate(id, rating) {
      const found = ticket(id);
      if (found) save({ ...found, rating });
    },
    async recordWait(ms) {
      waits = [ms, ...waits].slice(0, WAIT_SAMPLES);
    },
    async recentWaits() {
      return [...waits];
    },
    async remember(key, entries) {
      keep(recentOf, key, [...(alive(recentOf, key) ?? []), ...copy(entries)].slice(-RECENT_LIMIT), RECENT_TTL_SECONDS * 1000);
    },
    async recent(key) {
      return copy(alive(recentOf, key) ?? []);
    },
    async addReport(value) {
      keep(reports, value.id, JSON.stringify(value));
      index(value.key, value.id);
    },
    async getReport(id) {
      return report(id);
    },
    async listReports() {
      const out: Report[] = [];
      for (const id of [...reports.keys()]) {
        const found = report(id);
        if (found) out.push(found);
      }
      return out.sort((a, b) => b.createdAt - a.createdAt);
    },
    async updateReport(id, change, from) {
      const found = report(id);
      if (!found || !from.includes(found.status)) return null;
      const changed: Report = { ...found, ...change };
      keep(reports, id, JSON.stringify(changed));
      return changed;
    },
    async erase(key) {
      const removed = { tickets: [] as string[], reports: [] as string[] };
      for (const id of itemsOf.get(key) ?? []) {
        if (tickets.delete(id)) removed.tickets.push(id);
        if (reports.delete(id)) removed.reports.push(id);
        transcripts.delete(id);
        const at = open.indexOf(id);
        if (at >= 0) open.splice(at, 1);
      }
      itemsOf.delete(key);
      openOf.delete(key);
      ratingOf.delete(key);
      recentOf.delete(key);
      return removed;
    },
    async ready() {
      return true;
    },
    async close() {},
  };
}
