/**
 * @module Builds the HTTP app and never listens: main.ts listens, tests use `app.inject()` or
 * `listen({ port: 0 })`. Everything the app needs is passed in (no singletons): the session store
 * (for /readyz), the channel adapters (each registers its own routes: web chat, webhooks), the
 * logger and the metrics registry.
 *
 * Routes of its own: GET /healthz (200 while the process runs), GET /readyz (503 while the store
 * cannot serve turns, e.g. Redis down, or a channel reports a problem, e.g. "telegram not
 * registered", each named in `problems`; 200 "degraded" with its problems when a part is slow but
 * serving, e.g. the delivery outbox's oldest reply waiting too long), GET /metrics (Prometheus
 * text). Errors from any route are answered in one place (channels/http-errors.ts) with a stable code.
 *
 * Security headers on every route, the channels' and the console's included (@fastify/helmet,
 * registered before any route): `X-Content-Type-Options: nosniff`, HSTS, `Referrer-Policy:
 * no-referrer`, `X-Frame-Options: SAMEORIGIN`, `Cross-Origin-Resource-Policy: same-origin`, and a
 * CSP that allows nothing (`default-src 'none'`), right for JSON and text. A page sets its own
 * nonce CSP in its handler, which replaces this one (the chat page, the console); a route that
 * must be embedded or loaded by another site relaxes frameguard and CORP (channels/security-headers.ts).
 */
import { fastify, LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { SessionStore } from '../store/session-store.js';
import { installErrorHandlers } from '../channels/http-errors.js';
import { registerSecurityHeaders } from '../channels/security-headers.js';

/** What the app needs of a channel: its routes, and what it says about itself for /readyz. */
export interface AppChannel {
  routes: FastifyPluginAsync;
  problem?(): string | undefined;
}

export interface BuildAppDeps {
  store: Pick<SessionStore, 'ready'>;
  channels: AppChannel[];
  /** pino; fastify logs requests with it (see create-logger.ts for what is redacted). */
  logger: FastifyBaseLogger;
  metrics: { registry: Registry };
  /**
   * Parts that can be degraded without making the instance unready (the delivery outbox when its
   * oldest reply waits too long): /readyz still answers 200, with status "degraded" and the problem.
   */
  degraded?: Array<{ problem(): string | undefined }>;
  /** Further route plugins (the staff console when it is enabled). */
  plugins?: FastifyPluginAsync[];
  options?: BuildAppOptions;
}

export interface BuildAppOptions {
  /** Largest request body, in bytes; larger → 413 body_too_large. Default 64 KiB. */
  bodyLimit?: number;
  /**
   * Trust X-Forwarded-For from these proxy addresses (`'127.0.0.1'`, `'10.0.0.0/8,127.0.0.1'`, a
   * list) or from any (`true`), so rate limits and logs see the citizen's address behind a reverse
   * proxy. Default false: the socket's address.
   */
  trustProxy?: boolean | string | string[];
  /** Log every request (method, path, status, time), except probes (/healthz, /readyz, /metrics). Default true. */
  logRequests?: boolean;
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

const routeTables = new WeakMap<FastifyInstance, Array<{ method: string; url: string }>>();

/** Every route of an app made by buildApp (method and URL pattern), in registration order: tests walk it. */
export function routeTable(app: FastifyInstance): ReadonlyArray<{ method: string; url: string }> {
  return routeTables.get(app) ?? [];
}

export async function buildApp(deps: BuildAppDeps): Promise<FastifyInstance> {
  const options = deps.options ?? {};
  const app = fastify({
    loggerInstance: deps.logger,
    logController: new LogController({
      disableRequestLogging: options.logRequests === false ? true : (request) => PROBES.has(request.url),
    }),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    trustProxy: options.trustProxy ?? false,
    // A stuck client must not hold a connection forever; SSE streams are exempt (hijacked).
    connectionTimeout: 0,
    requestTimeout: 30_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  installErrorHandlers(app, deps.logger);
  const routes: Array<{ method: string; url: string }> = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  await registerSecurityHeaders(app);

  app.get(
    '/healthz',
    { schema: { response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        response: {
          200: { type: 'object', required: ['status'], properties: { status: { type: 'string' }, problems: { type: 'array', items: { type: 'string' } } } },
          503: { type: 'object', required: ['status', 'problems'], properties: { status: { type: 'string' }, problems: { type: 'array', items: { type: 'string' } } } },
        },
      },
    },
    async (_request, reply) => {
      const problems = (await deps.store.ready().catch(() => false)) ? [] : ['session store unreachable'];
      for (const channel of deps.channels) {
        const problem = channel.problem?.();
        if (problem) problems.push(problem);
      }
      reply.header('cache-control', 'no-store');
      if (problems.length > 0) return reply.status(503).send({ status: 'not_ready', problems });
      const degraded = (deps.degraded ?? []).flatMap((part) => part.problem() ?? []);
      return degraded.length === 0 ? reply.status(200).send({ status: 'ready' }) : reply.status(200).send({ status: 'degraded', problems: degraded });
    },
  );

  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.header('cache-control', 'no-store').type(deps.metrics.registry.contentType).send(text);
  });

  for (const channel of deps.channels) await app.register(channel.routes);
  for (const plugin of deps.plugins ?? []) await app.register(plugin);
  return app;
}
