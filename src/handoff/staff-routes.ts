/**
 * @module The staff desk's HTTP side, as an encapsulated fastify plugin: the console page at
 * `/staff` and the JSON API under `/staff/api` (login, queue, ticket, claim, reply, hand back,
 * close, transfer, call-back numbers, reports, live events over SSE). Register it with
 * `app.register(staffRoutes(deps))`; it works the same on memory and Redis stores.
 *
 * Sessions: a random token in the StaffStore (so logout and removing an account take effect on
 * every instance), sent as a cookie signed with STAFF_SESSION_SECRET (@fastify/cookie's signer),
 * httpOnly, SameSite=Strict, path /staff, Secure over HTTPS.
 *
 * Every state-changing route (each POST, login and logout included) must pass three checks,
 * because SameSite=Strict stops other sites but not a page on a sibling subdomain of the ward's
 * domain: a JSON content type (415 otherwise: a form or `text/plain` cannot be sent), an Origin
 * header naming this very host (403), and a CSRF token from GET /staff/api/csrf in the
 * `x-csrf-token` header (403; @fastify/csrf-protection, the token bound to the login session).
 *
 * Login lockout: each attempt for a username from one address is counted atomically *before*
 * the password is checked; past `maxLoginFailures` in the window the answer is 429 without
 * checking, however many attempts arrive at once. A store that cannot be reached (Redis down)
 * answers 503 with a message, never 500.
 */
import { randomBytes } from 'node:crypto';
import { fastifyCookie, sign as signCookie, unsign as unsignCookie } from '@fastify/cookie';
import { fastifyCsrfProtection } from '@fastify/csrf-protection';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../conversation/logger.js';
import { maskPersonalNumbers } from '../conversation/redact.js';
import { StoreUnavailableError } from '../store/session-store.js';
import type { DeadLetter } from '../store/outbox.js';
import type { Report, Ticket } from '../store/ticket-store.js';
import { renderConsolePage } from './console-page.js';
import type { DeskError, DeskResult, Handoff, ReportResult } from './create-handoff.js';
import type { StaffRef } from './staff-accounts.js';

export interface StaffRoutesOptions {
  handoff: Handoff;
  /** STAFF_SESSION_SECRET (at least 16 characters). */
  sessionSecret: string;
  log: Logger;
  /** Channel name → what staff see, from the channel definitions. */
  channelLabels?: Record<string, string>;
  /** Replies the delivery outbox gave up on, newest first (store/outbox.ts): the console lists them. */
  undelivered?: (limit: number) => Promise<DeadLetter[]>;
  /**
   * More pages behind the staff login (the impact dashboard, the community kit), each given a way
   * to know who is asking; each checks the role it needs. Registered inside this plugin, so they
   * share its cookie, CSRF and error handling.
   */
  pages?: Array<(auth: StaffAuth) => FastifyPluginAsync>;
  /** A console login lasts this long. Default 12 hours (a working day). */
  sessionTtlSeconds?: number;
  /** Wrong passwords per username and address before 429. Default 5. */
  maxLoginFailures?: number;
  /** How long the 429 lasts, counted from the first attempt. Default 15 minutes. */
  loginWindowSeconds?: number;
  /** SSE comment sent this often so proxies keep the stream open. Default 25 s. */
  heartbeatMs?: number;
  now?: () => number;
}

/** What a page behind the staff login is given: who is logged in, from the request's cookie. */
export interface StaffAuth {
  /** The staff member logged in on this request, or null (no cookie, expired, removed account). */
  who(request: FastifyRequest): Promise<StaffRef | null>;
}

export const STAFF_COOKIE = 'staff_session';
export const CSRF_COOKIE = 'staff_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const MAX_REPLY_LENGTH = 2000;

/** Shown by the console as is (Vietnamese): what staff should do when the store is away. */
const UNAVAILABLE_MESSAGE = 'Hệ thống lưu trữ tạm thời không kết nối được. Vui lòng thử lại sau ít phút; người dân vẫn được hướng dẫn gọi đường dây nóng.';

/** What a CSRF token is bound to: the login cookie, or (before login) no login at all. */
function userInfoOf(sessionCookie: string | undefined): string {
  return sessionCookie ? `session:${sessionCookie}` : 'no-session';
}

export class StaffConfigError extends Error {
  readonly code = 'staff_config_invalid';
}

/** What the console sees of a ticket: the call-back number masked (shown in full on request). */
export function ticketView(ticket: Ticket, now: number): Omit<Ticket, 'phone'> & { phoneMasked?: string; waitingMs: number } {
  const { phone, ...rest } = ticket;
  return { ...rest, ...(phone ? { phoneMasked: maskPersonalNumbers(phone) } : {}), waitingMs: Math.max(0, (ticket.claimedAt ?? ticket.closedAt ?? now) - ticket.openedAt) };
}

export function reportView(report: Report): Omit<Report, 'phone'> & { phoneMasked?: string } {
  const { phone, ...rest } = report;
  return { ...rest, ...(phone ? { phoneMasked: maskPersonalNumbers(phone) } : {}) };
}

const STATUS_OF: Record<DeskError, number> = {
  not_found: 404,
  already_claimed: 409,
  not_holder: 409,
  closed: 409,
  already_resolved: 409,
  no_phone: 404,
  delivery_failed: 502,
  // The platform would refuse it (Zalo OA: more than 7 days since the citizen wrote, or unfollowed).
  window_closed: 409,
  unfollowed: 409,
};

export function staffRoutes(options: StaffRoutesOptions): FastifyPluginAsync {
  const { handoff, log } = options;
  if (!options.sessionSecret || options.sessionSecret.length < 16) throw new StaffConfigError('STAFF_SESSION_SECRET must be set (at least 16 characters) to serve the staff console.');
  const secret = options.sessionSecret;
  const store = handoff.staffStore;
  const accounts = handoff.accounts;
  const sessionTtl = options.sessionTtlSeconds ?? 12 * 3600;
  const maxFailures = options.maxLoginFailures ?? 5;
  const loginWindow = options.loginWindowSeconds ?? 15 * 60;
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  const now = options.now ?? Date.now;
  const staffOf = new WeakMap<FastifyRequest, StaffRef>();
  const streams = new Set<FastifyReply>();

  function cookie(request: FastifyRequest, value: string, maxAge: number): string {
    return fastifyCookie.serialize(STAFF_COOKIE, value, { httpOnly: true, sameSite: 'strict', path: '/staff', secure: request.protocol === 'https', maxAge });
  }

  function tokenOf(request: FastifyRequest): string | null {
    const raw = request.cookies?.[STAFF_COOKIE];
    const unsigned = raw ? unsignCookie(raw, secret) : undefined;
    return unsigned?.valid && unsigned.value && /^[0-9a-f]{48}$/.test(unsigned.value) ? unsigned.value : null;
  }

  async function who(request: FastifyRequest): Promise<StaffRef | null> {
    const token = tokenOf(request);
    const username = token ? await store.sessionUser(token) : null;
    const account = username ? await accounts.get(username) : null;
    return account ? { username: account.username, name: account.name, role: account.role } : null;
  }

  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const account = await who(request);
    if (!account) {
      await reply.code(401).send({ error: 'unauthorized' });
      return;
    }
    staffOf.set(request, { username: account.username, name: account.name, role: account.role });
  }

  /** The request comes from a page of this very host (not a sibling subdomain, not another site). */
  function sameOrigin(request: FastifyRequest): boolean {
    const origin = request.headers.origin;
    if (!origin || origin === 'null') return false;
    try {
      const from = new URL(origin);
      const here = new URL(`${request.protocol}://${request.host}`);
      return from.host === here.host && (request.protocol !== 'https' || from.protocol === 'https:');
    } catch {
      return false;
    }
  }

  const me = (request: FastifyRequest): StaffRef => staffOf.get(request) as StaffRef;

  function answer(reply: FastifyReply, result: DeskResult): FastifyReply {
    if (result.ok) return reply.send({ ticket: ticketView(result.ticket, now()) });
    return reply.code(STATUS_OF[result.code]).send({ error: result.code, ...(result.ticket ? { ticket: ticketView(result.ticket, now()) } : {}) });
  }

  function answerReport(reply: FastifyReply, result: ReportResult): FastifyReply {
    if (result.ok) return reply.send({ report: reportView(result.report) });
    return reply.code(STATUS_OF[result.code]).send({ error: result.code, ...(result.report ? { report: reportView(result.report) } : {}) });
  }

  return async (app) => {
    // Parses cookies (and loads the cookie serializer). The session cookie is signed with the
    // staff secret by @fastify/cookie's own signer, so this works whether or not the app
    // registered the plugin already, with whatever secret it chose.
    if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie);
    await app.register(fastifyCsrfProtection, {
      cookieKey: CSRF_COOKIE,
      cookieOpts: { path: '/staff', sameSite: 'strict', httpOnly: true },
      // A token is good only with the login it was made for (no cookie tossing from a sibling).
      getUserInfo: (request: FastifyRequest) => userInfoOf(request.cookies?.[STAFF_COOKIE]),
      getToken: (request: FastifyRequest) => request.headers[CSRF_HEADER] as string | undefined,
      csrfOpts: { hmacKey: secret },
    });

    app.setErrorHandler((error: FastifyError, _request, reply) => {
      if (error instanceof StoreUnavailableError) {
        log.error({ err: error.message }, 'staff desk: store unavailable');
        return reply.code(503).header('retry-after', '5').send({ error: 'unavailable', message: UNAVAILABLE_MESSAGE });
      }
      if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') return reply.code(403).send({ error: 'bad_csrf_token' });
      if (error.validation) return reply.code(400).send({ error: 'invalid_request' });
      if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError || error.statusCode === 400) return reply.code(400).send({ error: 'invalid_json' });
      // Anything else is the app's to answer (channels/http-errors.ts).
      throw error;
    });

    // Every state-changing call: JSON only, from this host, with the CSRF token.
    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'POST' || !request.url.startsWith('/staff/api/')) return;
      if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) return reply.code(415).send({ error: 'json_required' });
      if (!sameOrigin(request)) return reply.code(403).send({ error: 'bad_origin' });
      await new Promise<void>((resolve, reject) => {
        app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()));
      });
    });

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
        .send(renderConsolePage({ nonce, demo: handoff.demo, channelLabels: options.channelLabels ?? {} }));
    });

    app.get('/staff/api/csrf', async (request, reply) => {
      const token = reply.generateCsrf({ userInfo: userInfoOf(request.cookies?.[STAFF_COOKIE]), secure: request.protocol === 'https' } as never);
      return reply.header('cache-control', 'no-store').send({ token });
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
        const attemptId = `${name}|${request.ip}`;
        // Counted before the check: of sixty attempts at once only the first few are checked.
        const attempt = await store.countAttempt(attemptId, loginWindow);
        if (attempt.count > maxFailures) return reply.code(429).header('retry-after', String(attempt.retryAfterSeconds)).send({ error: 'too_many_attempts' });
        const account = await accounts.verify(name, password);
        if (!account) {
          await handoff.audit.record({ staff: name, action: 'login_failed' });
          return reply.code(401).send({ error: 'wrong_credentials' });
        }
        await store.clearAttempts(attemptId);
        const token = randomBytes(24).toString('hex');
        await store.startSession(token, account.username, sessionTtl);
        await handoff.audit.record({ staff: account.username, action: 'login' });
        const signed = signCookie(token, secret);
        const csrf = reply.generateCsrf({ userInfo: userInfoOf(signed), secure: request.protocol === 'https' } as never);
        return reply.header('set-cookie', cookie(request, signed, sessionTtl)).send({ username: account.username, name: account.name, role: account.role, csrf });
      },
    );

    app.post('/staff/api/logout', async (request, reply) => {
      const token = tokenOf(request);
      if (token) {
        const username = await store.sessionUser(token);
        await store.endSession(token);
        if (username) await handoff.audit.record({ staff: username, action: 'logout' });
      }
      return reply.header('set-cookie', cookie(request, '', 0)).code(204).send();
    });

    // Everything below needs a logged-in staff member.
    await app.register(async (api) => {
      api.addHook('onRequest', authenticate);

      const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{10}$' } } } as const;
      const noBody = { type: 'object', additionalProperties: false, properties: {} } as const;
      const id = (request: FastifyRequest): string => (request.params as { id: string }).id;

      api.get('/staff/api/me', async (request) => ({ ...me(request), demo: handoff.demo }));

      api.get('/staff/api/staff', async () => ({ staff: (await accounts.list()).map((a) => ({ username: a.username, name: a.name, role: a.role })) }));

      // Replies of the assistant that could not be delivered (texts masked when they were kept).
      api.get('/staff/api/undelivered', async () => ({ undelivered: options.undelivered ? await options.undelivered(100) : [] }));

      api.get('/staff/api/tickets', async () => ({ tickets: (await handoff.desk.list()).map((t) => ticketView(t, now())), quickReplies: handoff.quickReplies, quickRepliesByLang: handoff.quickRepliesByLang }));

      api.get('/staff/api/tickets/:id', { schema: { params: idParams } }, async (request, reply) => {
        const found = await handoff.desk.get(id(request));
        if (!found) return reply.code(404).send({ error: 'not_found' });
        const channelStatus = await handoff.desk.channelStatus(found.ticket);
        return { ticket: ticketView(found.ticket, now()), transcript: found.transcript, ...(channelStatus ? { channelStatus } : {}) };
      });

      api.post('/staff/api/tickets/:id/claim', { schema: { params: idParams, body: noBody } }, async (request, reply) => answer(reply, await handoff.desk.claim(id(request), me(request))));

      api.post(
        '/staff/api/tickets/:id/reply',
        { schema: { params: idParams, body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', minLength: 1, maxLength: MAX_REPLY_LENGTH } } } } },
        async (request, reply) => {
          const text = (request.body as { text: string }).text.trim();
          if (!text) return reply.code(400).send({ error: 'empty_reply' });
          return answer(reply, await handoff.desk.reply(id(request), me(request), text));
        },
      );

      api.post('/staff/api/tickets/:id/hand-back', { schema: { params: idParams, body: noBody } }, async (request, reply) => answer(reply, await handoff.desk.handBack(id(request), me(request))));

      api.post('/staff/api/tickets/:id/close', { schema: { params: idParams, body: noBody } }, async (request, reply) => answer(reply, await handoff.desk.close(id(request), me(request))));

      api.post(
        '/staff/api/tickets/:id/transfer',
        { schema: { params: idParams, body: { type: 'object', required: ['to'], additionalProperties: false, properties: { to: { type: 'string', minLength: 1, maxLength: 64 } } } } },
        async (request, reply) => {
          const to = await accounts.get((request.body as { to: string }).to);
          if (!to || to.username === me(request).username) return reply.code(400).send({ error: 'unknown_staff' });
          return answer(reply, await handoff.desk.transfer(id(request), me(request), { username: to.username, name: to.name, role: to.role }));
        },
      );

      api.post('/staff/api/tickets/:id/phone', { schema: { params: idParams, body: noBody } }, async (request, reply) => {
        const shown = await handoff.desk.revealPhone(id(request), me(request));
        return shown.ok ? reply.header('cache-control', 'no-store').send({ phone: shown.phone }) : reply.code(STATUS_OF[shown.code]).send({ error: shown.code });
      });

      api.get('/staff/api/reports', async () => ({ reports: (await handoff.desk.reports()).map(reportView) }));

      api.get('/staff/api/reports/:id', { schema: { params: idParams } }, async (request, reply) => {
        const report = await handoff.desk.report(id(request));
        return report ? { report: reportView(report) } : reply.code(404).send({ error: 'not_found' });
      });

      api.post('/staff/api/reports/:id/seen', { schema: { params: idParams, body: noBody } }, async (request, reply) => answerReport(reply, await handoff.desk.markSeen(id(request), me(request))));

      api.post(
        '/staff/api/reports/:id/resolve',
        { schema: { params: idParams, body: { type: 'object', additionalProperties: false, properties: { reply: { type: 'string', maxLength: MAX_REPLY_LENGTH } } } } },
        async (request, reply) => answerReport(reply, await handoff.desk.resolve(id(request), me(request), (request.body as { reply?: string }).reply)),
      );

      api.post('/staff/api/reports/:id/phone', { schema: { params: idParams, body: noBody } }, async (request, reply) => {
        const shown = await handoff.desk.revealReportPhone(id(request), me(request));
        return shown.ok ? reply.header('cache-control', 'no-store').send({ phone: shown.phone }) : reply.code(STATUS_OF[shown.code]).send({ error: shown.code });
      });

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

    for (const page of options.pages ?? []) await app.register(page({ who }));

    log.info({}, 'staff console routes registered at /staff');
  };
}
