/**
 * @module The web chat channel: the page (`/`), the embed script (`/webchat/embed.js`) and the
 * JSON + SSE API the page talks to. A POST is one citizen message, run through the kit like any
 * platform's update (parse, clean, the turn) but answered with the turn's replies in the response;
 * the SSE stream carries messages sent outside a turn (`send`: staff replies, notices), through the
 * hub so they reach the tab on whichever instance holds its stream. The transcript of each web
 * conversation is kept (bounded, masked, for WEB_TRANSCRIPT_TTL_SECONDS) so a reload shows it
 * again. Against one client using up what others need: new conversations are bounded per client
 * address and in all (conversation-admission.ts), open event streams per address, per conversation
 * and in all (sse-streams.ts). Always on; transcripts, bounds and hub live in Redis when it is
 * configured, in memory otherwise.
 *
 * Routes (all under the channel's rate limit, per client IP):
 *   GET  /                                            the chat page
 *   GET  /webchat/embed.js                            one script tag adds the chat to any site
 *   POST /webchat/conversations/:id/messages          { messageId, kind, text?, choiceId?, label? }
 *   GET  /webchat/conversations/:id/transcript        what to show after a reload
 *   GET  /webchat/conversations/:id/events            SSE: `message` events `{ entries: [...] }`
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Logger } from '../../conversation/logger.js';
import { addressGroup } from '../client-address.js';
import { errorBody, errorBodySchema, HTTP_ERRORS, HttpError, type HttpErrorCode } from '../http-errors.js';
import { EMBEDDABLE } from '../security-headers.js';
import { defineChannel, type ChannelEnv, type ChannelKit } from '../define-channel.js';
import { DeliveryError } from '../delivery-error.js';
import { createRefusalLog } from '../refusal-log.js';
import { renderEmbedScript } from './embed-script.js';
import { createMemoryAdmission, createRedisAdmission, type ConversationAdmission } from './conversation-admission.js';
import { createRedisTranscriptStore } from './redis-transcript-store.js';
import { createRedisWebHub } from './redis-web-hub.js';
import { renderWebMessage, type WebMessage } from './render.js';
import { createSseStreams, type SseStreams } from './sse-streams.js';
import { toInbound, UUID_PATTERN, type WebMessageBody } from './to-inbound.js';
import { createMemoryTranscriptStore, type TranscriptEntry, type TranscriptStore } from './transcript-store.js';
import { renderChatPage } from './web-page.js';
import { createMemoryWebHub, type WebHub } from './web-hub.js';

export interface WebContext {
  transcripts: TranscriptStore;
  /** Bounds new conversations per client address and in all. */
  admission: ConversationAdmission;
  /** The ward's citizen hotline, for the refusal of a new conversation. */
  hotline: string;
  hub: WebHub;
  streams: SseStreams;
  log: Logger;
  /** Shown in the page header. */
  unit: { name: string; shortName: string };
  /** Requests per client IP per minute on the message API. Reads (page, transcript, events) get three times this. */
  perMinute: number;
  now: () => number;
}

/** The reasons `toInbound` refuses a message with, which the API answers as such. */
const REFUSALS = new Set<HttpErrorCode>(['empty_message', 'message_too_long', 'invalid_request']);

type WireEntry = { id: string; from: 'citizen'; text: string } | ({ from: 'bot' } & WebMessage);

const messageSchema = {
  type: 'object',
  required: ['id', 'html', 'choices', 'links'],
  properties: {
    id: { type: 'string' },
    html: { type: 'string' },
    choices: { type: 'array', items: { type: 'object', required: ['id', 'label'], properties: { id: { type: 'string' }, label: { type: 'string' } } } },
    links: { type: 'array', items: { type: 'object', required: ['label', 'url'], properties: { label: { type: 'string' }, url: { type: 'string' } } } },
  },
} as const;

const entrySchema = {
  type: 'object',
  required: ['id', 'from'],
  properties: { ...messageSchema.properties, from: { type: 'string', enum: ['citizen', 'bot'] }, text: { type: 'string' } },
} as const;

const paramsSchema = {
  type: 'object',
  required: ['conversationId'],
  properties: { conversationId: { type: 'string', pattern: UUID_PATTERN } },
} as const;

const bodySchema = {
  type: 'object',
  required: ['messageId', 'kind'],
  additionalProperties: false,
  properties: {
    messageId: { type: 'string', pattern: UUID_PATTERN },
    kind: { type: 'string', enum: ['start', 'text', 'choice'] },
    // Longer than a message may be (the handler answers 413 message_too_long past 2000 after cleaning);
    // the body limit stops anything huge before it gets here.
    text: { type: 'string', maxLength: 20_000 },
    choiceId: { type: 'string', minLength: 1, maxLength: 100 },
    label: { type: 'string', maxLength: 500 },
  },
} as const;

function toWire(entry: TranscriptEntry): WireEntry {
  return entry.from === 'citizen' ? { id: entry.id, from: 'citizen', text: entry.text } : { from: 'bot', ...renderWebMessage(entry.id, entry.msg) };
}

async function openWeb(env: ChannelEnv): Promise<WebContext> {
  const { config, redis } = env;
  // A reload shows the transcript for a day by default; the session itself may live longer.
  const ttlSeconds = Math.min(config.WEB_TRANSCRIPT_TTL_SECONDS, config.SESSION_TTL_SECONDS);
  const limits = { perAddress: config.WEB_CONVERSATIONS_PER_ADDRESS, total: config.WEB_CONVERSATIONS_TOTAL, idleSeconds: config.SESSION_TTL_SECONDS };
  const prefix = config.REDIS_KEY_PREFIX;
  const unit = env.assistant.catalog.unit;
  // The ward's hotlines appear in many replies: they are not the citizen's numbers.
  const publicNumbers = Object.values(unit.hotlines).flatMap((n) => (n ? [n.replace(/\D/g, '')] : []));
  return {
    transcripts: redis ? createRedisTranscriptStore({ redis, prefix, ttlSeconds, publicNumbers }) : createMemoryTranscriptStore({ ttlSeconds, publicNumbers }),
    admission: redis ? createRedisAdmission({ ...limits, redis, prefix }) : createMemoryAdmission({ ...limits, now: env.now }),
    // What citizens read of the unit: a sample hotline says it is one (catalog/unit-display.ts).
    hotline: env.assistant.citizenUnit.hotlines.citizen,
    hub: redis ? await createRedisWebHub({ redis, prefix, log: env.log }) : createMemoryWebHub(),
    streams: createSseStreams({ perAddress: config.WEB_STREAMS_PER_ADDRESS, perConversation: config.WEB_STREAMS_PER_CONVERSATION, total: config.WEB_STREAMS_TOTAL }),
    log: env.log,
    unit: { name: unit.name, shortName: unit.short_name ?? unit.name },
    perMinute: env.tuning.webRateLimitPerMinute ?? 60,
    now: env.now,
  };
}

function webRoutes(ctx: WebContext, kit: ChannelKit): FastifyPluginAsync {
  const { transcripts, admission, hub, log, streams, perMinute, now } = ctx;

  async function keep(conversationId: string, entries: TranscriptEntry[]): Promise<void> {
    try {
      await transcripts.append(conversationId, entries);
    } catch (error) {
      // The citizen still gets the replies; only a later reload will miss them.
      log.warn({ err: (error as Error).message }, 'web transcript not saved');
    }
  }

  // A flood of refused conversations is one log line a minute per source, with a count.
  const refusals = createRefusalLog({
    log,
    channel: 'web',
    now,
    message: (bound) => `new web conversation refused: ${bound === 'address' ? 'WEB_CONVERSATIONS_PER_ADDRESS' : 'WEB_CONVERSATIONS_TOTAL'} reached`,
  });

  const routes: FastifyPluginAsync = async (app: FastifyInstance) => {
    await app.register(rateLimit, { global: false });
    app.addHook('onClose', async () => refusals.close());
    const writeLimit = { max: perMinute, timeWindow: 60_000 };
    const readLimit = { max: perMinute * 3, timeWindow: 60_000 };

    // Open event streams would keep the server from closing: end them first.
    app.addHook('preClose', async () => streams.closeAll());

    app.get('/', { config: { rateLimit: readLimit }, helmet: EMBEDDABLE }, async (_request, reply) => {
      const nonce = randomBytes(16).toString('base64');
      return reply
        .header(
          'content-security-policy',
          `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors *`,
        )
        .header('cache-control', 'no-cache')
        .header('referrer-policy', 'no-referrer')
        .header('x-content-type-options', 'nosniff')
        .type('text/html; charset=utf-8')
        .send(renderChatPage({ unitName: ctx.unit.name, shortName: ctx.unit.shortName, nonce }));
    });

    app.get('/webchat/embed.js', { config: { rateLimit: readLimit }, helmet: EMBEDDABLE }, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').type('application/javascript; charset=utf-8').send(renderEmbedScript()),
    );

    app.post<{ Params: { conversationId: string }; Body: WebMessageBody }>(
      '/webchat/conversations/:conversationId/messages',
      {
        config: { rateLimit: writeLimit },
        schema: {
          params: paramsSchema,
          body: bodySchema,
          response: {
            200: {
              type: 'object',
              required: ['status', 'erased', 'replies'],
              properties: {
                status: { type: 'string', enum: ['ok', 'duplicate', 'degraded'] },
                erased: { type: 'boolean' },
                replies: { type: 'array', items: messageSchema },
                // The conversation's language once chosen ("en"): the page writes its own labels in it.
                lang: { type: 'string', pattern: '^[a-z]{2,3}$' },
              },
            },
            '4xx': errorBodySchema,
            '5xx': errorBodySchema,
          },
        },
      },
      async (request, reply) => {
        const conversationId = request.params.conversationId.toLowerCase();
        const admitted = await admission.admit(conversationId, addressGroup(request.ip));
        if (admitted !== 'ok') {
          refusals.refused(addressGroup(request.ip), admitted);
          const { status, message } = HTTP_ERRORS.too_many_conversations;
          return reply
            .code(status)
            .header('retry-after', '3600')
            .send({ error: { code: 'too_many_conversations', message: message.replace('của phường ạ.', `của phường: ${ctx.hotline} ạ.`) } });
        }
        const outcome = await kit.handle({ conversationId, body: request.body }, { deliver: false });
        if (outcome.kind === 'rejected') throw new HttpError(REFUSALS.has(outcome.reason as HttpErrorCode) ? (outcome.reason as HttpErrorCode) : 'invalid_request');
        if (outcome.kind === 'ignored') throw new HttpError('empty_message');
        const { inbound, handled } = outcome;
        const shown = inbound.kind === 'text' ? inbound.text : inbound.kind === 'choice' ? inbound.choiceLabel : undefined;
        const erased = handled.events.some((e) => e.type === 'erase_requested');
        const at = now();
        const replies = handled.replies.map((msg, i) => ({ id: `b-${inbound.platformMessageId}-${i}`, at, from: 'bot' as const, msg }));
        if (erased) {
          try {
            await transcripts.erase(conversationId);
            await admission.forget(conversationId, addressGroup(request.ip));
          } catch (error) {
            log.error({ err: (error as Error).message }, 'web transcript not erased');
            throw new HttpError('internal');
          }
        } else if (handled.status !== 'duplicate') {
          const citizen: TranscriptEntry[] = shown ? [{ id: `c-${inbound.platformMessageId}`, at, from: 'citizen', text: shown }] : [];
          await keep(conversationId, [...citizen, ...replies]);
        }
        return {
          status: handled.status,
          erased,
          replies: replies.map((e) => renderWebMessage(e.id, e.msg)),
          ...(handled.lang ? { lang: handled.lang } : {}),
        };
      },
    );

    app.get<{ Params: { conversationId: string } }>(
      '/webchat/conversations/:conversationId/transcript',
      {
        config: { rateLimit: readLimit },
        schema: {
          params: paramsSchema,
          response: {
            200: { type: 'object', required: ['entries'], properties: { entries: { type: 'array', items: entrySchema } } },
            '4xx': errorBodySchema,
            '5xx': errorBodySchema,
          },
        },
      },
      async (request, reply) => {
        let entries: TranscriptEntry[];
        try {
          entries = await transcripts.read(request.params.conversationId.toLowerCase());
        } catch {
          throw new HttpError('unavailable');
        }
        return reply.header('cache-control', 'no-store').send({ entries: entries.map(toWire) });
      },
    );

    app.get<{ Params: { conversationId: string } }>(
      '/webchat/conversations/:conversationId/events',
      { config: { rateLimit: readLimit }, schema: { params: paramsSchema } },
      async (request, reply) => {
        const conversationId = request.params.conversationId.toLowerCase();
        reply.hijack();
        let unsubscribe = (): void => {};
        const write = streams.open(conversationId, addressGroup(request.ip), reply.raw, () => unsubscribe());
        if (typeof write !== 'function') {
          // Too many of this client's (429) or of everyone's (503): nothing is held open.
          const code = write.refused === 'total' ? 'unavailable' : 'too_many_streams';
          reply.raw.writeHead(HTTP_ERRORS[code].status, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '30' });
          reply.raw.end(JSON.stringify(errorBody(code)));
          return reply;
        }
        unsubscribe = hub.subscribe(conversationId, write);
        return reply;
      },
    );
  };

  return routes;
}

export const webChannel = defineChannel<WebContext, WebMessage>({
  name: 'web',
  keyPrefix: 'web',
  label: 'Web chat',
  capabilities: { buttons: 'inline', textLimit: 20_000, markup: 'html', linkButtons: true, replyWindow: 'none' },
  open: openWeb,
  parse: (_ctx, native) => toInbound(native),
  render: (message) => [renderWebMessage('', message)],
  routes: webRoutes,
  async send(ctx, conversationId, messages) {
    const id = conversationId.toLowerCase();
    const at = ctx.now();
    const entries: TranscriptEntry[] = messages.map((msg) => ({ id: `s-${randomUUID()}`, at, from: 'bot', msg }));
    try {
      await ctx.transcripts.append(id, entries);
      await ctx.hub.publish(id, { entries: entries.map(toWire) });
    } catch (error) {
      throw new DeliveryError('web', 'transient', 'server_error', { description: `web chat store unavailable (${(error as Error).message.slice(0, 100)})` });
    }
  },
  describeError: (_ctx, error) => (error instanceof Error ? error.message.slice(0, 200) : String(error)),
  async close(ctx) {
    ctx.streams.closeAll();
    await ctx.hub.close();
  },
});
