/**
 * @module The one place that runs a citizen's message: dedupe → lock the conversation → load the
 * session → (a person holds the chat? hand it to them) → engine → effects → save → replies.
 * Every channel calls `handleInbound`; none of them touches the store or the engine directly.
 */
import type { Engine } from '../engine/engine-types.js';
import type { EngineEvent } from '../engine/events.js';
import type { Inbound, Outbound } from '../engine/messages.js';
import { StoreUnavailableError, type SessionStore, type TurnOutcome } from '../store/session-store.js';
import type { HandoffPort, HandoffRequest } from './handoff-port.js';
import type { Logger } from './logger.js';

export type TurnStatus = 'ok' | 'duplicate' | 'degraded';

export interface HandledTurn {
  /** What to send the citizen now, in order. */
  replies: Outbound[];
  /**
   * 'duplicate': already answered, send nothing. 'degraded': the store could not be reached, the
   * replies are the apology with the hotline; a webhook should still answer non-2xx so the
   * platform redelivers once the store is back.
   */
  status: TurnStatus;
  events: EngineEvent[];
  /** The language the conversation is answered in after this turn, once one was chosen (session.lang). */
  lang?: string;
  /** The replies were put in the outbox with the save: the delivery worker sends them, not the caller. */
  queued?: boolean;
}

export interface ConversationDeps {
  engine: Engine;
  store: SessionStore;
  handoff: HandoffPort;
  log: Logger;
  now?: () => number;
  /**
   * The store key of an inbound's conversation: the channel's key prefix and the conversation id
   * (`tg:123`). The composition root passes the channel registry's (channels/index.ts); without
   * it the channel's name is the prefix.
   */
  conversationKey?: (inbound: Pick<Inbound, 'channel' | 'conversationId'>) => string;
  /**
   * The delivery outbox: when given, a turn handled with `deliver: true` puts its replies in the
   * store's outbox in the same atomic step as the save, and `queued(key)` is called after it.
   */
  deliveries?: {
    queued(key: string): void;
    /** Lets the save take the delivery worker's lease in the same step (TurnOutcome.lease). */
    leaseFor?(key: string): NonNullable<TurnOutcome<unknown>['lease']>;
  };
  /** Called with each turn's events after it is saved (metrics, analytics). Must not throw. */
  onEvents?: (key: string, events: EngineEvent[], inbound: Inbound) => void;
}

export interface HandleOptions {
  /**
   * The caller wants the replies delivered through the channel's `send` (webhooks, polling): with
   * an outbox they are queued with the save. False: the caller shows them itself (the web chat's
   * HTTP answer, the CLI).
   */
  deliver?: boolean;
}

export interface Conversation {
  handleInbound(inbound: Inbound, options?: HandleOptions): Promise<HandledTurn>;
}

/** Host requests answered in one turn (a person, then a cancel...): more is a flow looping on requests. */
const MAX_REQUESTS_PER_TURN = 3;

/** Longest text we pass to the engine; longer messages are cut (and the citizen is not punished). */
export const MAX_TEXT_LENGTH = 2000;

/** The id of the global command (flows/commands.yaml) that erases the citizen's data. */
export const ERASE_COMMAND = 'erase';

export function createConversation(deps: ConversationDeps): Conversation {
  const now = deps.now ?? Date.now;
  const conversationKey = deps.conversationKey ?? ((inbound) => `${inbound.channel}:${inbound.conversationId}`);
  const eraseFlow = deps.engine.commandOf({ kind: 'choice', choiceId: `cmd:${ERASE_COMMAND}` })?.flow;
  // Apologies already sent for a message while the store was down: a redelivery gets none again.
  const apologised = new Set<string>();

  function apology(inbound: Inbound): HandledTurn {
    const id = `${conversationKey(inbound)}#${inbound.platformMessageId}`;
    if (apologised.has(id)) return { replies: [], status: 'degraded', events: [] };
    apologised.add(id);
    if (apologised.size > 10_000) apologised.delete(apologised.values().next().value as string);
    return { replies: [{ text: deps.engine.text('system.unavailable') }], status: 'degraded', events: [] };
  }

  return {
    async handleInbound(raw, options = {}) {
      const inbound = clampInbound(raw);
      const key = conversationKey(inbound);
      const queue = options.deliver === true && deps.deliveries !== undefined;
      /** What the turn saves: its replies (queued for delivery when asked) and the apology for undelivered ones. */
      const finish = (untold: number | undefined, session: TurnOutcome<HandledTurn>['session'], replies: Outbound[], events: EngineEvent[]): TurnOutcome<HandledTurn> => {
        // The conversation's language after the turn, once chosen (the web page writes its labels in it).
        const lang = session && typeof session === 'object' ? session.lang : undefined;
        const all = untold ? [{ text: deps.engine.text('system.undelivered', {}, lang) }, ...replies] : replies;
        const queued = queue && all.length > 0;
        return {
          session,
          result: { replies: all, status: 'ok', events, ...(queued ? { queued: true } : {}), ...(lang ? { lang } : {}) },
          ...(queued ? { outbox: { channel: inbound.channel, conversationId: inbound.conversationId, messages: all } } : {}),
          ...(queued && deps.deliveries?.leaseFor ? { lease: deps.deliveries.leaseFor(key) } : {}),
          ...(untold ? { clearUndelivered: true } : {}),
        };
      };
      try {
        return await deps.store.runTurn<HandledTurn>(key, inbound.platformMessageId, async ({ session, alreadyProcessed, undelivered }) => {
          if (alreadyProcessed) return { session: 'unchanged', result: { replies: [], status: 'duplicate', events: [] } };

          // Erasing one's data is a right that no held chat may block: the erase command, and the
          // confirmation that follows it, always reach the assistant.
          const erasing = deps.engine.commandOf(inbound)?.id === ERASE_COMMAND || (session?.waiting === true && session.frames.at(-1)?.flow === eraseFlow);
          const meta = { key, channel: inbound.channel, ...(inbound.displayName ? { displayName: inbound.displayName } : {}), now: now() };
          // The flows decide what cancels a request (words, a button): ask them, without effects.
          const passes = () => deps.engine.handle(session, inbound, meta).events.some((e) => e.type === 'handoff_cancel_requested');
          const held = erasing ? null : await deps.handoff.intercept({ key, inbound, session, passes });
          if (held) return finish(undelivered, held.session ?? session ?? 'unchanged', held.replies, []);

          let turn = deps.engine.handle(session, inbound, meta);
          const events: EngineEvent[] = [];
          const replies: Outbound[] = [];
          let erased = false;
          // A request (a person, a cancel, a report) stops the engine until the desk says what
          // happened; the engine then goes on from there. Bounded, in case a flow loops on requests.
          for (let answers = 0; ; answers += 1) {
            events.push(...turn.events);
            let request: HandoffRequest | undefined;
            for (const event of turn.events) {
              if (event.type === 'msg_created') replies.push(event.msg);
              else if (event.type === 'erase_requested') {
                await deps.handoff.erase(key);
                erased = true;
              } else if (event.type === 'handoff_requested') request = { kind: 'person', reason: event.reason, context: event.context };
              else if (event.type === 'handoff_cancel_requested') request = { kind: 'cancel' };
              else if (event.type === 'report_requested') request = { kind: 'report', context: event.context };
              else if (event.type === 'failure') {
                deps.log.warn({ conversation: key, code: event.code, detail: event.detail }, 'turn failed');
              }
            }
            if (!request) break;
            if (answers >= MAX_REQUESTS_PER_TURN) {
              deps.log.warn({ conversation: key }, 'a flow asked the desk more than once per turn; stopped');
              break;
            }
            const answer = await deps.handoff.request({ key, inbound, session: turn.session, request });
            turn = deps.engine.resume(turn.session, answer, meta);
          }
          const merged = mergeReplies(replies);
          if (!erased) await deps.handoff.afterTurn({ key, inbound, replies: merged });
          return finish(undelivered, erased ? null : turn.session, merged, events);
        }).then((handled) => {
          if (handled.queued) deps.deliveries?.queued(key);
          if (handled.status === 'ok') deps.onEvents?.(key, handled.events, inbound);
          return handled;
        });
      } catch (error) {
        if (error instanceof StoreUnavailableError) {
          deps.log.error({ conversation: key, err: error.message }, 'session store unavailable; apologised');
          return apology(inbound);
        }
        throw error;
      }
    },
  };
}

/**
 * Longest message two replies are merged into: one phone screen, counted as a channel without
 * buttons shows it (the text, then the choices as numbered lines and the links as lines).
 */
export const MERGED_REPLY_LIMIT = 1000;

/** How long a message is on a channel without buttons (Zalo): text, numbered choices, links. */
export function shownLength(reply: Outbound): number {
  // "1. label" lines and "🔗 label: url" lines, each block after a blank line (an upper bound:
  // the markup the text carries is not shown).
  const choices = (reply.choices ?? []).map((c, i) => String(i + 1).length + 2 + c.label.length);
  const links = (reply.links ?? []).map((l) => 3 + l.label.length + 2 + l.url.length);
  const block = (lines: number[]) => (lines.length > 0 ? 2 + lines.reduce((a, b) => a + b, 0) + lines.length - 1 : 0);
  return reply.text.length + block(choices) + block(links);
}

/**
 * Joins a plain text reply to the one after it ("Xin chào…" + the menu question with its
 * choices): one notification on the citizen's phone instead of two, and one API call less. A
 * merge that would make the message longer than `limit` is not made.
 */
export function mergeReplies(replies: Outbound[], limit = MERGED_REPLY_LIMIT): Outbound[] {
  const merged: Outbound[] = [];
  for (const reply of replies) {
    const previous = merged.at(-1);
    if (previous && !previous.choices?.length && !previous.links?.length && previous.text.length + 2 + shownLength(reply) <= limit) {
      merged[merged.length - 1] = { ...reply, text: previous.text ? `${previous.text}\n\n${reply.text}` : reply.text };
    } else {
      merged.push(reply);
    }
  }
  return merged;
}

function clampInbound(inbound: Inbound): Inbound {
  if (inbound.text !== undefined && inbound.text.length > MAX_TEXT_LENGTH) {
    return { ...inbound, text: inbound.text.slice(0, MAX_TEXT_LENGTH) };
  }
  return inbound;
}
