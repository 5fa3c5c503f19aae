/**
 * @module The TicketStore interface: where the staff desk keeps its chat tickets (with their
 * transcripts, the queue and the claims), citizens' reports, the last exchanges of each
 * conversation, and the wait samples. Only `src/handoff` uses it. Implementations: memory
 * (`npm run demo`, tests) and Redis (production, any number of instances). One contract suite
 * (`test/store/ticket-store.case.ts`) runs against both.
 *
 * What is stored is already masked by the caller (CCCD and phone numbers in texts, the display
 * name), except a call-back `phone`, which staff need and see only on request. Every ticket,
 * transcript and report is deleted `retentionDays` after its last change.
 */
import type { HandoffReason } from '../engine/events.js';
import type { ChannelName } from '../engine/messages.js';

export type TicketStatus = 'waiting' | 'held' | 'closed';
export type TicketOutcome = 'handed_back' | 'closed' | 'cancelled';

export interface TicketContext {
  /** What the citizen asked (masked). */
  asked?: string;
  procedure?: { id: string; name: string };
  /** Documents the checklist found missing. */
  missing?: string[];
}

export interface Ticket {
  /** 10 hex digits. */
  id: string;
  /** Conversation key (`tg:123`). */
  key: string;
  channel: ChannelName;
  conversationId: string;
  /** As the platform gave it, masked. */
  displayName?: string;
  reason: Exclude<HandoffReason, 'report'>;
  /** One line for the queue: the procedure, or what was asked. */
  topic: string;
  status: TicketStatus;
  /** Username of the staff member holding (or who last held) the ticket. */
  staff?: string;
  openedAt: number;
  claimedAt?: number;
  closedAt?: number;
  outcome?: TicketOutcome;
  context: TicketContext;
  /** A call-back number the citizen left, unmasked: staff see it masked until they ask. */
  phone?: string;
  rating?: number;
  /** Opened outside office hours. */
  afterHours: boolean;
  /** Opened in `npm run demo`: kept out of every figure. */
  demo?: boolean;
  /**
   * The conversation's language when the ticket was opened (`session.lang`, e.g. "en"): what the
   * desk tells the citizen is said in it when their session can no longer be read. Absent (not
   * chosen, or a ticket kept before the field existed): the default language, Vietnamese.
   */
  lang?: string;
}

export interface TranscriptEntry {
  at: number;
  /** `bot`: what the assistant said (its questions, the answers while the ticket waits). */
  from: 'citizen' | 'bot' | 'staff' | 'system';
  /** Staff username for staff and system entries caused by staff. */
  by?: string;
  text: string;
  /** A staff reply the channel could not deliver. */
  undelivered?: boolean;
}

export type ReportStatus = 'new' | 'seen' | 'resolved';

/** A citizen's report ("Phản ánh, báo lỗi"): kept for staff apart from chat tickets. */
export interface Report {
  id: string;
  key: string;
  channel: ChannelName;
  conversationId: string;
  displayName?: string;
  /** The description (masked). */
  text: string;
  procedure?: { id: string; name: string };
  /** Call-back number, unmasked: staff see it masked until they ask. */
  phone?: string;
  status: ReportStatus;
  createdAt: number;
  seenAt?: number;
  seenBy?: string;
  resolvedAt?: number;
  resolvedBy?: string;
  /** What staff answered when resolving, and whether it reached the citizen. */
  reply?: string;
  replyDelivered?: boolean;
  demo?: boolean;
  /** The conversation's language when the report was filed (as `Ticket.lang`); absent: Vietnamese. */
  lang?: string;
}

export type TicketChange = Partial<Pick<Ticket, 'status' | 'staff' | 'outcome' | 'closedAt'>>;
export type ReportChange = Partial<Pick<Report, 'status' | 'seenAt' | 'seenBy' | 'resolvedAt' | 'resolvedBy' | 'reply' | 'replyDelivered'>>;

export type ClaimResult = { result: 'ok' | 'held' | 'closed'; ticket: Ticket } | { result: 'missing' };
export type HolderResult = { result: 'ok' | 'not_holder' | 'waiting' | 'closed'; ticket: Ticket } | { result: 'missing' };

export interface TicketStore {
  /**
   * Saves a new waiting ticket with its first transcript entries, makes it the conversation's open
   * ticket and puts it last in the queue (arrival order is the store's, not a clock's). The caller
   * holds the conversation's turn lock, so no second ticket of that conversation opens meanwhile.
   */
  open(ticket: Ticket, transcript: TranscriptEntry[]): Promise<void>;
  /** The conversation's open (waiting or held) ticket, or null. */
  openTicketOf(key: string): Promise<Ticket | null>;
  /**
   * What the conversation has at the desk, read together (it runs before every message): its open
   * ticket, and the closed ticket waiting for the citizen's rating.
   */
  conversation(key: string): Promise<{ ticket: Ticket | null; ratingFor: string | null }>;
  get(id: string): Promise<Ticket | null>;
  /** Open tickets (waiting and held), in arrival order. */
  listOpen(): Promise<Ticket[]>;
  /** 1-based place of a waiting ticket in the queue; null when it does not wait. */
  position(id: string): Promise<number | null>;
  transcript(id: string): Promise<TranscriptEntry[]>;
  /** Adds entries to an existing ticket's transcript (oldest dropped past TRANSCRIPT_LIMIT). */
  append(id: string, entries: TranscriptEntry[]): Promise<void>;
  /** Atomic across instances: of several claims of a waiting ticket, exactly one gets 'ok'. */
  claim(id: string, staff: string, at: number): Promise<ClaimResult>;
  /**
   * Applies `change` only while `staff` holds the ticket, atomically. A change to `closed` also
   * takes the ticket out of the queue and off its conversation.
   */
  updateAsHolder(id: string, staff: string, change: TicketChange): Promise<HolderResult>;
  /** The citizen cancels: a waiting or held ticket is closed (outcome cancelled) and returned; null when it was not open. */
  cancel(id: string, at: number): Promise<Ticket | null>;
  /** A closed ticket of the conversation waits for the citizen's 1-5 rating. */
  awaitRating(key: string, id: string): Promise<void>;
  /** The conversation no longer waits for a rating (it came, or the citizen wrote something else). */
  clearRatingRequest(key: string): Promise<void>;
  rate(id: string, rating: number): Promise<void>;
  /** Remembers how long a ticket waited for its claim (ms). */
  recordWait(ms: number): Promise<void>;
  /** The last WAIT_SAMPLES waits, newest first. */
  recentWaits(): Promise<number[]>;
  /** The conversation's last exchanges (already masked), kept RECENT_LIMIT deep for a day. */
  remember(key: string, entries: TranscriptEntry[]): Promise<void>;
  /** Oldest first. */
  recent(key: string): Promise<TranscriptEntry[]>;
  addReport(report: Report): Promise<void>;
  getReport(id: string): Promise<Report | null>;
  /** Reports still kept, newest first. */
  listReports(): Promise<Report[]>;
  /** Applies `change` when the report's status is one of `from` (atomically); null when not found or not in `from`. */
  updateReport(id: string, change: ReportChange, from: ReportStatus[]): Promise<Report | null>;
  /** Deletes everything about the conversation (tickets, transcripts, reports, recent exchanges); returns the ids removed. */
  erase(key: string): Promise<{ tickets: string[]; reports: string[] }>;
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export interface TicketStoreOptions {
  /** HANDOFF_RETENTION_DAYS: tickets, transcripts and reports are deleted this long after their last change. */
  retentionDays: number;
  now?: () => number;
}

/** Transcript entries kept per ticket (oldest dropped). */
export const TRANSCRIPT_LIMIT = 500;
/** Exchanges remembered per conversation, to show staff what led to a ticket. */
export const RECENT_LIMIT = 12;
export const RECENT_TTL_SECONDS = 24 * 3600;
/** Waits kept for the estimate. */
export const WAIT_SAMPLES = 20;

/** Ticket and report ids: 10 hex digits (random). */
export const ID_PATTERN = /^[0-9a-f]{10}$/;
