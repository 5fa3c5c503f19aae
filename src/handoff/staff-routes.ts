/**
 * @module The staff console's HTTP side, as an encapsulated fastify plugin: the page at `/staff`
 * and the JSON API under `/staff/api` (login, queue, ticket, claim, reply, hand back, close,
 * transfer, live events over SSE). Register it with `app.register(staffRoutes(deps))`.
 *
 * Sessions: a random token in Redis (so logout and removing an account take effect on every
 * instance), sent as a cookie signed with STAFF_SESSION_SECRET (@fastify/cookie's signer),
 * httpOnly, SameSite=Strict, path /staff, Secure over HTTPS. State-changing calls take JSON
 * bodies only, which a cross-site form cannot send. Login: after `maxLoginFailures` wrong
 * passwords for a username from one IP, further attempts get 429 until the window ends; the
 * counter is in Redis, so every instance enforces it.
 */
import { randomBytes } from 'node:crypto';
import { fastifyCookie, sign as signCookie, unsign as unsignCookie } from '@fastify/cookie';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../conversation/logger.js';
import type { RedisClient } from '../store/redis-connection.js';
import { renderConsolePage } from './console-page.js';
import type { DeskResult, Handoff, StaffRef, Ticket } from './create-handoff.js';
import { handoffKeys } from './handoff-keys.js';
import { createStaffAccounts, type StaffAccounts } from './staff-accounts.js';

export interface StaffRoutesOptions {
  handoff: Handoff;
  redis: RedisClient;
  /** REDIS_KEY_PREFIX. */
  prefix: string;
  /** STAFF_SESSION_SECRET (at least 16 characters). */
  sessionSecret: string;
  log: Logger;
  /** Channel name → what staff see, from the channel definitions. */
  channelLabels?: Record<string, string>;
  accounts?: StaffAccounts;
  /** A console login lasts this long. Default 12 hours (a working day). */
  sessionTtlSeconds?: number;
  /** Wrong passwords per username and IP before 429. Default 5. */
  maxLoginFailures?: number;
  /** How long the 429 lasts, counted from the first wrong password. Default 15 minutes. */
  loginWindowSeconds?: number;
  /** SSE comment sent this often so proxies keep the stream open. Default 25 s. */
  heartbeatMs?: number;
  now?: () => number;
}

export const STAFF_COOKIE = 'staff_session';
const MAX_REPLY_LENGTH = 2000;

export class StaffConfigError extends Error {
  readonly code = 'staff_config_invalid';
}

export function staffRoutes(options: StaffRoutesOptions): FastifyPluginAsync {
  const { handoff, redis, log } = options;
  if (!options.sessionSecret || options.sessionSecret.length < 16) throw new StaffConfigError('STAFF_SESSION_SECRET must be set (at least 16 characters) to serve the staff console.');
  const secret = options.sessionSecret;
  const keys = handoffKeys(options.prefix);
  const accounts = options.accounts ?? createStaffAccounts({ redis, prefix: options.prefix });
  const sessionTtl = options.sessionTtlSeconds ?? 12 * 3600;
  const maxFailures = options.maxLoginFailures ?? 5;
  const loginWindow = options.loginWindowSeconds ?? 15 * 60;
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  const now = options.now ?? Date.now;
  // What the console sees of a ticket: everything, including a report's call-back phone.
  const view = (ticket: Ticket): Ticket & { waitingMs: number } => ({
    ...ticket,
    waitingMs: Math.max(0, (ticket.claimedAt ?? ticket.closedAt ?? now()) - ticket.openedAt),
  });
  const staffOf = new WeakMap<FastifyRequest, StaffRef>();
  const streams = new Set<FastifyReply>();

  function cookie(request: FastifyRequest, value: string, maxAge: number): string {
    return fastifyCookie.serialize(STAFF_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/staff',
      secure: request.protocol === 'https',
      maxAge,
    });
  }

  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const raw = request.cookies?.[STAFF_COOKIE];
    const unsigned = raw ? unsignCookie(raw, secret) : undefined;
    const token = unsigned?.valid ? unsigned.value : null;
    const username = token && /^[0-9a-f]{48}$/.test(token) ? await redis.get(keys.staffSession(token)) : null;
    const account = username ? await accounts.get(username) : null;
    if (!account) {
      await reply.code(401).send({ error: 'unauthorized' });
      return;
    }
    staffOf.set(request, { username: account.username, name: account.name });
  }

  const me = (request: FastifyRequest): StaffRef => staffOf.get(request) as StaffRef;

  function answer(reply: FastifyReply, result: DeskResult): FastifyReply {
    if (result.ok) return reply.send({ ticket: view(result.ticket) });
    const status = result.code === 'not_found' ? 404 : result.code === 'delivery_failed' ? 502 : 409;
    return reply.code(status).send({ error: result.code, ...(result.ticket ? { ticket: view(result.ticket) } : {}) });
  }

  return async (app) => {
    // Parses cookies (and loads the cookie serializer). Values are signed with the staff secret
    // by @fastify/cookie's own signer below, so this works whether or not the app registered the
    // plugin already, with whatever secret it chose.
    if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie);

    app.addHook('preClose', async () => {
      for (const stream of streams) stream.raw.end();
      streams.clear();
    });

    app.get('/staff', async (_request, reply) => {
      const nonce = randomBytes(16).toString('base64');
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-frame-options', 'DENY')
        .header('referrer-policy', 'no-referrer')
        .header(
          'content-security-policy',
          `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        )
        .send(renderConsolePage({ nonce, channelLabels: options.channelLabels ?? {} }));
    });

    app.post(
      '/staff/api/login',
      {
        schema: {
          body: {
            type: 'object',
            required: ['username', 'password'],
            additionalProperties: false,
            properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 256 } },
          },
        },
      },
      async (request, reply) => {
        const { username, password } = request.body as { username: string; password: string };
        const name = username.trim().toLowerCase();
        const failuresKey = keys.loginFailures(name, request.ip);
        const failures = Number((await redis.get(failuresKey)) ?? 0);
        if (failures >= maxFailures) {
          const ttl = await redis.ttl(failuresKey);
          return reply.code(429).header('retry-after', String(Math.max(1, ttl))).send({ error: 'too_many_attempts' });
        }
        const account = await accounts.verify(name, password);
        if (!account) {
          // The window starts at the first failure and is not extended by later ones.
          await redis.multi().incr(failuresKey).expire(failuresKey, loginWindow, 'NX').exec();
          await handoff.audit.record({ staff: name, action: 'login_failed' });
          return reply.code(401).send({ error: 'wrong_credentials' });
        }
        await redis.del(failuresKey);
        const token = randomBytes(24).toString('hex');
        await redis.set(keys.staffSession(token), account.username, 'EX', sessionTtl);
        await handoff.audit.record({ staff: account.username, action: 'login' });
        return reply
          .header('set-cookie', cookie(request, signCookie(token, secret), sessionTtl))
          .send({ username: account.username, name: account.name });
      },
    );

    app.post('/staff/api/logout', async (request, reply) => {
      const raw = request.cookies?.[STAFF_COOKIE];
      const unsigned = raw ? unsignCookie(raw, secret) : undefined;
      if (unsigned?.valid && unsigned.value) {
        const username = await redis.get(keys.staffSession(unsigned.value));
        await redis.del(keys.staffSession(unsigned.value));
        if (username) await handoff.audit.record({ staff: username, action: 'logout' });
      }
      return reply.header('set-cookie', cookie(request, '', 0)).code(204).send();
    });

    // Everything below needs a logged-in staff member.
    await app.register(async (api) => {
      api.addHook('onRequest', authenticate);

      api.get('/staff/api/me', async (request) => me(request));

      api.get('/staff/api/staff', async () => ({ staff: (await accounts.list()).map((a) => ({ username: a.username, name: a.name })) }));

      api.get('/staff/api/tickets', async () => ({ tickets: (await handoff.desk.list()).map(view), quickReplies: handoff.quickReplies }));

      api.get('/staff/api/tickets/:id', { schema: { params: ticketParams } }, async (request, reply) => {
        const found = await handoff.desk.get((request.params as { id: string }).id);
        if (!found) return reply.code(404).send({ error: 'not_found' });
        return { ticket: view(found.ticket), transcript: found.transcript };
      });

      api.post('/staff/api/tickets/:id/claim', { schema: { params: ticketParams } }, async (request, reply) =>
        answer(reply, await handoff.desk.claim((request.params as { id: string }).id, me(request))),
      );

      api.post(
        '/staff/api/tickets/:id/reply',
        {
          schema: {
            params: ticketParams,
            body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', minLength: 1, maxLength: MAX_REPLY_LENGTH } } },
          },
        },
        async (request, reply) => {
          const text = (request.body as { text: string }).text.trim();
          if (!text) return reply.code(400).send({ error: 'empty_reply' });
          return answer(reply, await handoff.desk.reply((request.params as { id: string }).id, me(request), text));
        },
      );

      api.post('/staff/api/tickets/:id/hand-back', { schema: { params: ticketParams } }, async (request, reply) =>
        answer(reply, await handoff.desk.handBack((request.params as { id: string }).id, me(request))),
      );

      api.post('/staff/api/tickets/:id/close', { schema: { params: ticketParams } }, async (request, reply) =>
        answer(reply, await handoff.desk.close((request.params as { id: string }).id, me(request))),
      );

      api.post(
        '/staff/api/tickets/:id/transfer',
        {
          schema: {
            params: ticketParams,
            body: { type: 'object', required: ['to'], additionalProperties: false, properties: { to: { type: 'string', minLength: 1, maxLength: 64 } } },
          },
        },
        async (request, reply) => {
          const to = await accounts.get((request.body as { to: string }).to);
          if (!to || to.username === me(request).username) return reply.code(400).send({ error: 'unknown_staff' });
          return answer(reply, await handoff.desk.transfer((request.params as { id: string }).id, me(request), { username: to.username, name: to.name }));
        },
      );

      api.get('/staff/api/events', (request, reply) => {
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        raw.write('retry: 2000\n\n');
        streams.add(reply);
        const unsubscribe = handoff.bus.subscribe((event) => raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
        const heartbeat = setInterval(() => raw.write(': ping\n\n'), heartbeatMs);
        heartbeat.unref();
        request.raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
          streams.delete(reply);
        });
      });
    });

    log.info({}, 'staff console routes registered at /staff');
  };
}

const ticketParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{10}$' } } } as const;
