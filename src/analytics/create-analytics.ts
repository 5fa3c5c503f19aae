/**
 * @module The analytics recorder the composition root wires in: it turns each turn's engine
 * events (conversation's `onEvents`) and the desk's activity (a person answered, a chat closed
 * and rated, a report kept or resolved) into AnalyticsEvents, and writes them to the store in
 * batches, off the citizen's path: a turn never waits for analytics, and a store that cannot be
 * reached loses the batch (logged) rather than the conversation.
 *
 * `npm run demo` gets `createNoAnalytics()`: demo conversations are never counted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../conversation/logger.js';
import type { EngineEvent } from '../engine/events.js';
import type { Inbound } from '../engine/messages.js';
import type { Json } from '../engine/session.js';
import { ANALYTICS_NAMES, citizenHash, maskQuery, type AnalyticsEvent, type AnalyticsName } from './analytics-event.js';
import type { AnalyticsStore } from './analytics-store.js';

/** What the desk tells the recorder (handoff/create-handoff.ts calls it). */
export type DeskActivity =
  | { type: 'answered'; channel: string; waitMs: number }
  | { type: 'closed'; channel: string }
  | { type: 'rated'; channel: string; rating: number }
  | { type: 'report_filed'; channel: string; procedure?: string }
  | { type: 'report_resolved'; channel: string };

export interface Analytics {
  /** Give this to createConversation as `onEvents` (next to the metrics'). */
  onEvents(key: string, events: EngineEvent[], inbound: Inbound): void;
  /** Give this to the desk (createHandoff's `onActivity`). */
  onDeskActivity(activity: DeskActivity): void;
  /**
   * The opaque token the online guide's tracked link carries (`/go/…?c=`): the channel and the
   * citizen's keyed hash, signed under the store's salt; undefined until the salt is known.
   */
  linkToken(inbound: Pick<Inbound, 'channel' | 'userId'>): string | undefined;
  /** A tracked link was opened: counts `online_link_opened` when the token is ours; says whether it did. */
  linkOpened(token: string, procedure: string): boolean;
  /** Writes what is buffered; resolves when written (tests and shutdown await it). */
  flush(): Promise<void>;
  store?: AnalyticsStore;
  close(): Promise<void>;
}

/** Engine analytics names (flows' `track:`) counted as they are. */
const FROM_FLOWS = new Set<string>(ANALYTICS_NAMES);
/** The finder offered procedures: a confident match, a clarifying list or a topic's list all count as found. */
const FOUND_VARIANTS = new Set(['procedure_found', 'procedure_ambiguous', 'procedure_topic']);

export function createAnalytics(options: { store: AnalyticsStore; log: Logger; now?: () => number; batchSize?: number; flushMs?: number }): Analytics {
  const { store, log } = options;
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? 500;
  const flushMs = options.flushMs ?? 1000;
  /**
   * Events waiting to be written, with who the citizen is until the batch is written (in memory
   * only, at most `flushMs`): the keyed hash needs the store's salt, which may not have come back
   * yet for the first turns after a start, or could not be read at all while Redis was not ready.
   */
  let buffer: Array<{ event: AnalyticsEvent; who?: { channel: string; userId: string } }> = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let salt: string | undefined;
  let asking: Promise<void> | undefined;
  /** Asks the store for the salt until it answers (at start, then at each flush while unknown). */
  const askSalt = (): Promise<void> =>
    (asking ??= store.salt().then(
      (s) => {
        salt = s;
      },
      (error: unknown) => {
        asking = undefined;
        log.warn({ err: error instanceof Error ? error.message : String(error) }, 'analytics: salt unavailable; asking again at the next write');
      },
    ));
  void askSalt();

  function push(event: AnalyticsEvent, who?: { channel: string; userId: string }): void {
    buffer.push(who ? { event, who } : { event });
    if (buffer.length >= batchSize) void flush();
    else if (!timer) {
      timer = setTimeout(() => void flush(), flushMs);
      timer.unref();
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
    writing = writing.then(async () => {
      if (batch.length === 0) return;
      if (salt === undefined && batch.some((b) => b.who)) await askSalt();
      const events = batch.map(({ event, who }) => (who && salt !== undefined ? { ...event, citizen: citizenHash(salt, who.channel, who.userId) } : event));
      try {
        await store.record(events);
      } catch (error) {
        log.warn({ events: events.length, err: error instanceof Error ? error.message : String(error) }, 'analytics: events not kept');
      }
    });
    return writing;
  }

  return {
    store,
    onEvents(_key, events, inbound) {
      const at = now();
      const who = { channel: inbound.channel, userId: inbound.userId };
      for (const event of events) {
        const built = fromEngine(event, inbound);
        if (built) push({ at, channel: inbound.channel, ...built }, who);
      }
    },
    linkToken(inbound) {
      if (!salt) return undefined;
      const citizen = citizenHash(salt, inbound.channel, inbound.userId);
      return `${inbound.channel}.${citizen}.${linkSignature(salt, inbound.channel, citizen)}`;
    },
    linkOpened(token, procedure) {
      const parts = /^([a-z0-9-]{1,20})\.([0-9a-f]{16})\.([0-9a-f]{16})$/.exec(token);
      if (!salt || !parts) return false;
      const [, channel, citizen, signature] = parts as unknown as [string, string, string, string];
      const expected = Buffer.from(linkSignature(salt, channel, citizen));
      if (!timingSafeEqual(expected, Buffer.from(signature))) return false;
      push({ name: 'online_link_opened', at: now(), channel, citizen, ...procedureOf(procedure) });
      return true;
    },
    onDeskActivity(activity) {
      const at = now();
      const base = { at, channel: activity.channel };
      if (activity.type === 'answered') push({ ...base, name: 'person_answered', waitMs: activity.waitMs });
      else if (activity.type === 'closed') push({ ...base, name: 'person_closed' });
      else if (activity.type === 'rated') push({ ...base, name: 'person_rated', rating: activity.rating });
      else if (activity.type === 'report_filed') push({ ...base, name: 'report_filed', ...(activity.procedure ? { procedure: activity.procedure } : {}) });
      else push({ ...base, name: 'report_resolved' });
    },
    async flush() {
      await flush();
    },
    async close() {
      await flush();
      await store.close();
    },
  };
}

/** Nothing is counted (the demo). */
export function createNoAnalytics(): Analytics {
  return { onEvents() {}, onDeskActivity() {}, linkToken: () => undefined, linkOpened: () => false, flush: async () => {}, close: async () => {} };
}

function fromEngine(event: EngineEvent, inbound: Inbound): Omit<AnalyticsEvent, 'at' | 'channel' | 'citizen'> | undefined {
  if (event.type === 'handoff_requested') return { name: 'person_asked', ...procedureOf(event.context.procedure) };
  if (event.type === 'erase_requested') return { name: 'erased' };
  if (event.type !== 'analytics') return undefined;
  const name = (FOUND_VARIANTS.has(event.name) ? 'procedure_found' : event.name) as AnalyticsName;
  if (!FROM_FLOWS.has(name)) return undefined;
  const data = event.data;
  const out: Omit<AnalyticsEvent, 'at' | 'channel' | 'citizen'> = { name, ...procedureOf(data.procedure_id) };
  if (name === 'conversation_started' && typeof data.start_source === 'string') out.source = data.start_source;
  // The finder's answer is shown before the citizen picks: the procedure variable is not this one yet.
  if (name === 'procedure_found') delete out.procedure;
  if (name === 'procedure_not_found') {
    // The question is this turn's text (a not-found answers what was just written).
    const query = inbound.kind === 'text' && inbound.text ? maskQuery(inbound.text) : '';
    if (query) out.query = query;
    delete out.procedure;
  }
  if (name === 'checklist_finished') out.missing = Array.isArray(data.missing) ? data.missing.length : 0;
  return out;
}

/** The token's signature: it cannot be made without the salt, so nobody counts clicks for a channel or citizen of their own. */
function linkSignature(salt: string, channel: string, citizen: string): string {
  return createHmac('sha256', salt).update(`go\u0000${channel}\u0000${citizen}`).digest('hex').slice(0, 16);
}

function procedureOf(value: Json | undefined): { procedure?: string } {
  return typeof value === 'string' && /^[a-z0-9-]{1,48}$/.test(value) ? { procedure: value } : {};
}
