/**
 * @module The staff handoff on Redis: the HandoffPort the conversation calls (open a ticket,
 * keep the assistant silent while a person holds the chat, erase) and the desk the staff console
 * drives (claim, reply, hand back, close, transfer). Several server instances share it: tickets,
 * the queue and the claim live in Redis, changes are fanned out through pub/sub (handoff-bus.ts).
 *
 * Ticket life: `waiting` (in the queue; the assistant keeps answering, messages are copied to the
 * transcript) → `held` by one staff member (the assistant is silent, messages go to the console)
 * → `closed` (handed back, closed with a rating request, or cancelled by the citizen). Tickets and
 * transcripts expire `retentionDays` after their last change.
 *
 * Personal numbers: the context, the transcript of citizen messages and the recent messages are
 * masked (CCCD, phone). The one exception is the call-back phone number of a report, which staff
 * need: it is kept in the ticket's `phone` field only, shown to logged-in staff, deleted with
 * the ticket.
 */
import { randomBytes } from 'node:crypto';
import type { Assistant } from '../load-assistant.js';
import type { HandoffPort } from '../conversation/handoff-port.js';
import type { Logger } from '../conversation/logger.js';
import { maskPersonalNumbers } from '../conversation/redact.js';
import type { HandoffReason } from '../engine/events.js';
import type { ChannelName, Inbound, Outbound } from '../engine/messages.js';
import type { Json } from '../engine/session.js';
import { escapeMarkup } from '../engine/template.js';
import { maskRedisSecrets, type RedisClient } from '../store/redis-connection.js';
import { StoreUnavailableError } from '../store/session-store.js';
import { createAuditLog, type AuditLog } from './audit-log.js';
import { createHandoffBus, type HandoffBus } from './handoff-bus.js';
import { handoffKeys } from './handoff-keys.js';
import { describeOpening, officeStatus } from './office-hours.js';

export type TicketStatus = 'waiting' | 'held' | 'closed';
export type TicketOutcome = 'handed_back' | 'closed' | 'cancelled';

export interface TicketContext {
  /** What the citizen asked (masked). */
  asked?: string;
  procedure?: { id: string; name: string };
  /** Documents the checklist found missing. */
  missing?: string[];
  /** A report's description (masked). */
  report?: string;
  /** The citizen's last messages before the request, oldest first (masked). */
  lastMessages: string[];
  /** Any other context variable the flow passed (masked). */
  extra?: Record<string, string>;
}

export interface Ticket {
  id: string;
  /** Conversation key (`tg:123`). */
  key: string;
  channel: ChannelName;
  conversationId: string;
  displayName?: string;
  reason: HandoffReason;
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
  /** Call-back number of a report, unmasked: for logged-in staff only. */
  phone?: string;
  rating?: number;
  /** Opened outside office hours. */
  afterHours: boolean;
}

export interface TranscriptEntry {
  at: number;
  from: 'citizen' | 'staff' | 'system';
  /** Staff username for staff entries. */
  by?: string;
  text: string;
  /** A staff reply the channel could not deliver. */
  undelivered?: boolean;
}

export interface StaffRef {
  username: string;
  /** Shown to the citizen ("Cán bộ Nguyễn Thị Lan"). */
  name: string;
}

export type DeskError = 'not_found' | 'already_claimed' | 'not_holder' | 'closed' | 'delivery_failed';
export type DeskResult = { ok: true; ticket: Ticket } | { ok: false; code: DeskError; ticket?: Ticket };

export interface HandoffDesk {
  /** Open tickets (waiting and held), oldest first. */
  list(): Promise<Ticket[]>;
  get(id: string): Promise<{ ticket: Ticket; transcript: TranscriptEntry[] } | null>;
  /** Atomic: of several staff claiming at once (on any instance), exactly one gets `ok`. */
  claim(id: string, staff: StaffRef): Promise<DeskResult>;
  reply(id: string, staff: StaffRef, text: string): Promise<DeskResult>;
  handBack(id: string, staff: StaffRef): Promise<DeskResult>;
  close(id: string, staff: StaffRef): Promise<DeskResult>;
  transfer(id: string, staff: StaffRef, to: StaffRef): Promise<DeskResult>;
}

export type Deliver = (channel: ChannelName, conversationId: string, messages: Outbound[]) => Promise<void>;

export interface HandoffOptions {
  redis: RedisClient;
  /** REDIS_KEY_PREFIX. */
  prefix: string;
  assistant: Pick<Assistant, 'engine' | 'catalog' | 'texts'>;
  /** HANDOFF_RETENTION_DAYS. */
  retentionDays: number;
  /** Sends staff replies and notices through the citizen's channel (ChannelAdapter.send). Throws when not delivered. */
  deliver: Deliver;
  log: Logger;
  now?: () => number;
  /** Estimated wait per place in the queue when there is no recent claim to learn from. Default 5 minutes. */
  defaultWaitMs?: number;
  /** Set when the caller already made one (to share it); else the handoff opens its own. */
  bus?: HandoffBus;
}

export interface Handoff {
  port: HandoffPort;
  desk: HandoffDesk;
  bus: HandoffBus;
  audit: AuditLog;
  /** Rendered quick replies for the console (content: handoff.quick_replies.*). */
  quickReplies: string[];
  close(): Promise<void>;
}

/** Transcript entries kept per ticket (oldest dropped). */
export const TRANSCRIPT_LIMIT = 500;
/** Citizen messages remembered for a ticket's context. */
export const RECENT_LIMIT = 5;
const RECENT_TTL_SECONDS = 24 * 3600;
const WAIT_SAMPLES = 20;

/** Words that end a handoff from the citizen's side (compared without accents). */
const CANCEL_WORDS = new Set(['huy', 'huy yeu cau', 'huy gap can bo', 'ket thuc', 'dung lai', 'cancel', '/huy', '/ketthuc', '/cancel']);

/**
 * KEYS ticket. ARGV staff, now. Takes a waiting ticket for `staff`; returns 'ok', or the ticket's
 * status ('held', 'closed'), or 'missing'. One script: two instances can never both see 'waiting'.
 */
const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'waiting' then return status end
redis.call('HSET', KEYS[1], 'status', 'held', 'staff', ARGV[1], 'claimedAt', ARGV[2])
return 'ok'
`;

/**
 * KEYS ticket. ARGV staff, ttlSeconds, then field/value pairs. Applies the fields only while
 * `staff` holds the ticket; returns 'ok', 'missing', 'closed', 'waiting' or 'not_holder'.
 */
const AS_HOLDER = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'held' then return status end
if redis.call('HGET', KEYS[1], 'staff') ~= ARGV[1] then return 'not_holder' end
if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 'ok'
`;

/** KEYS ticket. ARGV now. The citizen cancels a waiting or held ticket; returns the previous status. */
const CANCEL = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if status == 'closed' then return status end
redis.call('HSET', KEYS[1], 'status', 'closed', 'outcome', 'cancelled', 'closedAt', ARGV[1])
return status
`;

/** KEYS pointer. ARGV ticket id, ask rating (1/0), ttl. Detaches the ticket if it is still the conversation's. */
const DETACH = `
if redis.call('HGET', KEYS[1], 'ticket') == ARGV[1] then redis.call('HDEL', KEYS[1], 'ticket') end
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'rating', ARGV[1])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
return 1
`;

export function createHandoff(options: HandoffOptions): Handoff {
  const { redis, assistant, log, deliver } = options;
  const now = options.now ?? Date.now;
  const keys = handoffKeys(options.prefix);
  const ttl = options.retentionDays * 86_400;
  const defaultWaitMs = options.defaultWaitMs ?? 5 * 60_000;
  const ownBus = !options.bus;
  const bus = options.bus ?? createHandoffBus({ redis, channel: keys.events, log });
  const audit = createAuditLog({ redis, key: keys.audit, log, now });
  const text = (key: string, vars?: Record<string, unknown>): string => assistant.engine.text(key, vars);

  const quickReplies = [...assistant.texts.keys()].filter((k) => k.startsWith('handoff.quick_replies.')).map((k) => text(k));

  async function loadTicket(id: string): Promise<Ticket | null> {
    if (!/^[0-9a-f]{10}$/.test(id)) return null;
    const raw = await redis.hgetall(keys.ticket(id));
    return raw && raw.id ? parseTicket(raw) : null;
  }

  async function append(id: string, entry: TranscriptEntry): Promise<void> {
    const log = keys.log(id);
    await redis
      .multi()
      .rpush(log, JSON.stringify(entry))
      .ltrim(log, -TRANSCRIPT_LIMIT, -1)
      .expire(log, ttl)
      .expire(keys.ticket(id), ttl)
      .exec();
  }

  async function placeInQueue(id: string): Promise<number> {
    const rank = await redis.zrank(keys.queue, id);
    return rank === null ? 1 : rank + 1;
  }

  async function estimatedWaitMinutes(position: number): Promise<number> {
    const samples = (await redis.lrange(keys.waits, 0, WAIT_SAMPLES - 1)).map(Number).filter((n) => Number.isFinite(n) && n >= 0);
    const average = samples.length > 0 ? samples.reduce((a, b) => a + b, 0) / samples.length : defaultWaitMs;
    return Math.max(1, Math.ceil((average * position) / 60_000));
  }

  /** What the citizen is told about a waiting ticket: office hours first, else place and wait. */
  async function waitingNotice(id: string): Promise<Outbound> {
    const office = officeStatus(assistant.catalog.unit, now());
    if (!office.open) {
      return { text: text('handoff.after_hours', { next_opening: office.nextOpening ? describeOpening(office.nextOpening) : text('handoff.next_opening_unknown') }) };
    }
    const position = await placeInQueue(id);
    return { text: text('handoff.queued', { position, minutes: await estimatedWaitMinutes(position) }) };
  }

  function buildContext(inbound: Inbound, reason: HandoffReason, context: Record<string, Json>, recent: string[]): { context: TicketContext; phone?: string; topic: string } {
    const out: TicketContext = { lastMessages: recent };
    let phone: string | undefined;
    const extra: Record<string, string> = {};
    for (const [name, value] of Object.entries(context)) {
      if (value === null || value === undefined) continue;
      if (name === 'contact_phone') phone = String(value);
      else if (name === 'query') out.asked = maskPersonalNumbers(String(value));
      else if (name === 'report_text') out.report = maskPersonalNumbers(String(value));
      else if (name === 'procedure_id') {
        const entry = assistant.catalog.entries.find((e) => e.id === value);
        if (entry) out.procedure = { id: entry.id, name: entry.name };
      } else if (name === 'missing' && Array.isArray(value)) {
        const entry = assistant.catalog.entries.find((e) => e.id === context.procedure_id);
        const names = value.map((i) => (typeof i === 'number' ? entry?.documents[i]?.name : undefined)).filter((n): n is string => !!n);
        if (names.length > 0) out.missing = names;
      } else extra[name] = maskPersonalNumbers(typeof value === 'string' ? value : JSON.stringify(value));
    }
    if (Object.keys(extra).length > 0) out.extra = extra;
    if (!out.asked && inbound.kind === 'text' && inbound.text) out.asked = maskPersonalNumbers(inbound.text);
    const topic = out.procedure?.name ?? out.report ?? out.asked ?? text(`handoff.reason.${reason}`);
    return { context: out, ...(phone ? { phone } : {}), topic: topic.length > 100 ? `${topic.slice(0, 99)}…` : topic };
  }

  async function detach(ticket: Ticket, askRating: boolean): Promise<void> {
    await redis.eval(DETACH, 1, keys.pointer(ticket.key), ticket.id, askRating ? '1' : '0', ttl);
    await redis.multi().zrem(keys.queue, ticket.id).zrem(keys.open, ticket.id).exec();
  }

  async function notifyCitizen(ticket: Ticket, messages: Outbound[]): Promise<boolean> {
    try {
      await deliver(ticket.channel, ticket.conversationId, messages);
      return true;
    } catch (error) {
      log.warn({ ticket: ticket.id, channel: ticket.channel, err: error instanceof Error ? error.message : String(error) }, 'handoff: message to the citizen not delivered');
      return false;
    }
  }

  /** Runs a holder-only change; on success returns the updated ticket. */
  async function asHolder(id: string, staff: StaffRef, fields: Array<string | number>): Promise<DeskResult> {
    if (!(await loadTicket(id))) return { ok: false, code: 'not_found' };
    const outcome = String(await redis.eval(AS_HOLDER, 1, keys.ticket(id), staff.username, ttl, ...fields));
    if (outcome !== 'ok') {
      const ticket = await loadTicket(id);
      const code: DeskError = outcome === 'missing' ? 'not_found' : outcome === 'closed' ? 'closed' : 'not_holder';
      return ticket ? { ok: false, code, ticket } : { ok: false, code };
    }
    const ticket = await loadTicket(id);
    return ticket ? { ok: true, ticket } : { ok: false, code: 'not_found' };
  }

  async function finish(id: string, staff: StaffRef, outcome: 'handed_back' | 'closed'): Promise<DeskResult> {
    const result = await asHolder(id, staff, ['status', 'closed', 'outcome', outcome, 'closedAt', now()]);
    if (!result.ok) return result;
    const ticket = result.ticket;
    await detach(ticket, outcome === 'closed');
    const notice: Outbound =
      outcome === 'closed'
        ? { text: text('handoff.closed_rate'), choices: [1, 2, 3, 4, 5].map((n) => ({ id: String(n), label: text(`handoff.rating.${n}`) })) }
        : { text: text('handoff.handed_back') };
    await append(id, { at: now(), from: 'system', by: staff.username, text: notice.text });
    await notifyCitizen(ticket, [notice]);
    await audit.record({ staff: staff.username, action: outcome === 'closed' ? 'close' : 'hand_back', ticket: id });
    await bus.publish({ type: 'ticket_changed', ticketId: id, status: 'closed' });
    return result;
  }

  const port: HandoffPort = {
    async intercept({ key, inbound }) {
      const said = citizenText(inbound);
      const recentKey = keys.recent(key);
      const replies = await redis
        .multi()
        .hgetall(keys.pointer(key))
        .lpush(recentKey, maskPersonalNumbers(said))
        .ltrim(recentKey, 0, RECENT_LIMIT - 1)
        .expire(recentKey, RECENT_TTL_SECONDS)
        .exec();
      const pointer = (replies?.[0]?.[1] ?? {}) as Record<string, string>;

      if (pointer.rating && !pointer.ticket) {
        await redis.hdel(keys.pointer(key), 'rating');
        const rating = ratingOf(inbound);
        if (rating === undefined) return null;
        const ticketKey = keys.ticket(pointer.rating);
        if (await redis.exists(ticketKey)) await redis.hset(ticketKey, 'rating', rating);
        await bus.publish({ type: 'ticket_changed', ticketId: pointer.rating, status: 'closed' });
        return { replies: [{ text: text('handoff.rating_thanks') }] };
      }
      if (!pointer.ticket) return null;

      const ticket = await loadTicket(pointer.ticket);
      if (!ticket || ticket.status === 'closed') {
        await redis.hdel(keys.pointer(key), 'ticket');
        return null;
      }
      if (isCancel(said)) {
        const previous = String(await redis.eval(CANCEL, 1, keys.ticket(ticket.id), now()));
        if (previous === 'waiting' || previous === 'held') {
          await detach(ticket, false);
          await append(ticket.id, { at: now(), from: 'system', text: text('handoff.cancelled') });
          await bus.publish({ type: 'ticket_changed', ticketId: ticket.id, status: 'closed' });
          log.info({ ticket: ticket.id }, 'handoff cancelled by the citizen');
          return { replies: [{ text: text('handoff.cancelled') }] };
        }
        return null;
      }
      await append(ticket.id, { at: now(), from: 'citizen', text: maskPersonalNumbers(said) });
      await bus.publish({ type: 'message', ticketId: ticket.id, from: 'citizen' });
      // Waiting: the assistant goes on helping (staff still see the message). Held: silence.
      return ticket.status === 'held' ? { replies: [] } : null;
    },

    async open({ key, inbound, reason, context }) {
      const current = await redis.hget(keys.pointer(key), 'ticket');
      if (current) {
        const ticket = await loadTicket(current);
        if (ticket && ticket.status !== 'closed') {
          // Asking twice keeps one ticket; staff see that the citizen asked again.
          await append(ticket.id, { at: now(), from: 'system', text: text('handoff.asked_again') });
          await bus.publish({ type: 'message', ticketId: ticket.id, from: 'system' });
          if (ticket.status === 'held') return [];
          const notice = await waitingNotice(ticket.id);
          return [{ text: text('handoff.already_waiting') }, notice];
        }
      }

      const id = randomBytes(5).toString('hex');
      const openedAt = now();
      const recent = (await redis.lrange(keys.recent(key), 0, RECENT_LIMIT - 1)).reverse();
      const built = buildContext(inbound, reason, context, recent);
      const afterHours = !officeStatus(assistant.catalog.unit, openedAt).open;
      const ticket: Ticket = {
        id,
        key,
        channel: inbound.channel,
        conversationId: inbound.conversationId,
        ...(inbound.displayName ? { displayName: inbound.displayName } : {}),
        reason,
        topic: built.topic,
        status: 'waiting',
        openedAt,
        context: built.context,
        ...(built.phone ? { phone: built.phone } : {}),
        afterHours,
      };
      // One MULTI per hash tag: on Cluster a transaction must stay in one slot.
      await redis.multi().hset(keys.ticket(id), serialiseTicket(ticket)).expire(keys.ticket(id), ttl).exec();
      await redis
        .multi()
        .hset(keys.pointer(key), 'ticket', id)
        .hdel(keys.pointer(key), 'rating')
        .expire(keys.pointer(key), ttl)
        .sadd(keys.conversationTickets(key), id)
        .expire(keys.conversationTickets(key), ttl)
        .exec();
      // Arrival order from one Redis counter: fair across instances whatever their clocks say.
      const arrival = await redis.incr(keys.arrivals);
      await redis.multi().zadd(keys.queue, arrival, id).zadd(keys.open, arrival, id).exec();
      await append(id, { at: openedAt, from: 'system', text: text(`handoff.reason.${reason}`) });
      await bus.publish({ type: 'ticket_opened', ticketId: id });
      log.info({ ticket: id, channel: inbound.channel, reason, afterHours }, 'handoff ticket opened');
      return [await waitingNotice(id)];
    },

    async erase(key) {
      const ids = await redis.smembers(keys.conversationTickets(key));
      for (const id of ids) {
        await redis.del(keys.ticket(id), keys.log(id));
        await redis.multi().zrem(keys.queue, id).zrem(keys.open, id).exec();
        await bus.publish({ type: 'ticket_removed', ticketId: id });
      }
      await redis.del(keys.pointer(key), keys.conversationTickets(key), keys.recent(key));
      if (ids.length > 0) log.info({ tickets: ids.length }, 'handoff tickets erased at the citizen\'s request');
    },
  };

  const desk: HandoffDesk = {
    async list() {
      const ids = await redis.zrange(keys.open, '0', '-1');
      const tickets: Ticket[] = [];
      for (const id of ids) {
        const ticket = await loadTicket(id);
        if (ticket && ticket.status !== 'closed') tickets.push(ticket);
        // Expired (retention) or closed elsewhere: tidy the index.
        else await redis.multi().zrem(keys.open, id).zrem(keys.queue, id).exec();
      }
      return tickets;
    },

    async get(id) {
      const ticket = await loadTicket(id);
      if (!ticket) return null;
      const transcript = (await redis.lrange(keys.log(id), 0, -1)).map((r) => JSON.parse(r) as TranscriptEntry);
      return { ticket, transcript };
    },

    async claim(id, staff) {
      const at = now();
      const outcome = String(await redis.eval(CLAIM, 1, keys.ticket(id), staff.username, at));
      if (outcome === 'missing') return { ok: false, code: 'not_found' };
      const ticket = await loadTicket(id);
      if (!ticket) return { ok: false, code: 'not_found' };
      if (outcome !== 'ok') return { ok: false, code: outcome === 'closed' ? 'closed' : 'already_claimed', ticket };
      await redis.multi().zrem(keys.queue, id).lpush(keys.waits, at - ticket.openedAt).ltrim(keys.waits, 0, WAIT_SAMPLES - 1).exec();
      const notice = text('handoff.claimed', { staff: staff.name });
      await append(id, { at, from: 'system', by: staff.username, text: notice });
      await notifyCitizen(ticket, [{ text: notice }]);
      await audit.record({ staff: staff.username, action: 'claim', ticket: id });
      await bus.publish({ type: 'ticket_changed', ticketId: id, status: 'held' });
      return { ok: true, ticket };
    },

    async reply(id, staff, message) {
      const result = await asHolder(id, staff, []);
      if (!result.ok) return result;
      // Staff write plain text: their asterisks must not turn into bold on the citizen's side. The
      // citizen sees who is writing, so a person's answer is never taken for the assistant's.
      const signed = `${text('handoff.staff_says', { staff: staff.name })} ${escapeMarkup(message)}`;
      const delivered = await notifyCitizen(result.ticket, [{ text: signed }]);
      await append(id, { at: now(), from: 'staff', by: staff.username, text: message, ...(delivered ? {} : { undelivered: true }) });
      await audit.record({ staff: staff.username, action: 'reply', ticket: id });
      await bus.publish({ type: 'message', ticketId: id, from: 'staff' });
      return delivered ? result : { ok: false, code: 'delivery_failed', ticket: result.ticket };
    },

    handBack: (id, staff) => finish(id, staff, 'handed_back'),
    close: (id, staff) => finish(id, staff, 'closed'),

    async transfer(id, staff, to) {
      const result = await asHolder(id, staff, ['staff', to.username]);
      if (!result.ok) return result;
      const notice = text('handoff.transferred', { staff: to.name });
      await append(id, { at: now(), from: 'system', by: staff.username, text: notice });
      await notifyCitizen(result.ticket, [{ text: notice }]);
      await audit.record({ staff: staff.username, action: 'transfer', ticket: id, to: to.username });
      await bus.publish({ type: 'ticket_changed', ticketId: id, status: 'held' });
      return result;
    },
  };

  return {
    port: {
      // Redis failing mid-turn is the store being unavailable: the conversation then apologises
      // and the platform redelivers, as when the session store fails.
      intercept: (input) => unavailableOnError(() => port.intercept(input)),
      open: (input) => unavailableOnError(() => port.open(input)),
      erase: (key) => unavailableOnError(() => port.erase(key)),
    },
    desk,
    bus,
    audit,
    quickReplies,
    async close() {
      if (ownBus) await bus.close();
    },
  };
}

async function unavailableOnError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(`handoff: ${maskRedisSecrets(message)}`, { cause: error });
  }
}

function citizenText(inbound: Inbound): string {
  if (inbound.kind === 'text') return inbound.text ?? '';
  // Staff read the button's words when the platform gave them ("⏳ Chưa có"), else its id.
  if (inbound.kind === 'choice') return inbound.choiceLabel ?? `[${inbound.choiceId ?? ''}]`;
  if (inbound.kind === 'start') return '/start';
  return `[${inbound.mediaType ?? inbound.kind}]${inbound.mediaUrl ? ` ${inbound.mediaUrl}` : ''}`;
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[.!?,;:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function isCancel(text: string): boolean {
  const folded = fold(text).replace(/\s*(a|nhe|nha|di)$/, '');
  return CANCEL_WORDS.has(folded);
}

function ratingOf(inbound: Inbound): number | undefined {
  const raw = inbound.kind === 'choice' ? inbound.choiceId : inbound.text;
  const match = /^\s*([1-5])\s*(?:sao|⭐+)?\s*$/i.exec(raw ?? '');
  return match ? Number(match[1]) : undefined;
}

function serialiseTicket(ticket: Ticket): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(ticket)) {
    if (value === undefined) continue;
    out[name] = name === 'context' ? JSON.stringify(value) : String(value);
  }
  return out;
}

function parseTicket(raw: Record<string, string>): Ticket {
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const ticket: Ticket = {
    id: raw.id ?? '',
    key: raw.key ?? '',
    channel: raw.channel as ChannelName,
    conversationId: raw.conversationId ?? '',
    reason: raw.reason as HandoffReason,
    topic: raw.topic ?? '',
    status: raw.status as TicketStatus,
    openedAt: Number(raw.openedAt),
    context: raw.context ? (JSON.parse(raw.context) as TicketContext) : { lastMessages: [] },
    afterHours: raw.afterHours === 'true',
  };
  if (raw.displayName) ticket.displayName = raw.displayName;
  if (raw.staff) ticket.staff = raw.staff;
  if (raw.claimedAt) ticket.claimedAt = num(raw.claimedAt) as number;
  if (raw.closedAt) ticket.closedAt = num(raw.closedAt) as number;
  if (raw.outcome) ticket.outcome = raw.outcome as TicketOutcome;
  if (raw.phone) ticket.phone = raw.phone;
  if (raw.rating) ticket.rating = num(raw.rating) as number;
  return ticket;
}
