/**
 * @module The online guide's tracked portal link (issue 14, "Mở liên kết"):
 *
 *   GET /go/:entry[/:case]?c=<token>   302 to the catalog's own portal URL for that entry (or case)
 *
 * When PUBLIC_URL is set the guide links here instead of the portal (load-assistant.ts
 * `portalLink`), each conversation's link carrying its opaque token (create-analytics.ts
 * `linkToken`: channel and citizen hash, signed under the store's salt). A GET with our token from
 * a browser counts `online_link_opened`; the citizen is sent on whatever the token says.
 *
 * Not an open redirect: the target is only ever taken from the catalog, by entry id and case id;
 * nothing in the query string is a URL. An unknown entry or case, or one without an online URL,
 * is 404. HEAD requests and link-preview fetchers (a User-Agent naming a bot, crawler, spider or
 * preview) are sent on without being counted.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { onlineInfoOf } from '../catalog/engine-services.js';
import type { Catalog } from '../catalog/load-catalog.js';

/** The path of an entry's (or a case's) tracked link, under the server's public address. */
export function portalLinkPath(entryId: string, caseId?: string): string {
  return `/go/${encodeURIComponent(entryId)}${caseId ? `/${encodeURIComponent(caseId)}` : ''}`;
}

/** Fetchers that open a link to draw its preview, not a citizen following it (best effort). */
const PREVIEW_AGENT = /bot\b|bot\/|crawler|spider|preview|facebookexternalhit/i;

export function linkRoutes(options: { catalog: Pick<Catalog, 'byId'>; linkOpened(token: string, procedure: string): boolean }): FastifyPluginAsync {
  return async (app) => {
    const notFound = (reply: FastifyReply) => reply.code(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('Không tìm thấy liên kết này.');
    app.get<{ Params: { entry: string; case?: string }; Querystring: Record<string, unknown> }>('/go/:entry/:case?', async (request, reply) => {
      const entry = options.catalog.byId.get(request.params.entry);
      if (!entry) return notFound(reply);
      const chosen = request.params.case !== undefined ? entry.cases?.find((c) => c.id === request.params.case) : undefined;
      if (request.params.case !== undefined && !chosen) return notFound(reply);
      const online = onlineInfoOf(entry, chosen);
      if (online.level === 'none' || !online.url || !/^https?:\/\//i.test(online.url)) return notFound(reply);
      const token = request.query.c;
      const agent = request.headers['user-agent'] ?? '';
      if (request.method === 'GET' && typeof token === 'string' && agent && !PREVIEW_AGENT.test(agent)) options.linkOpened(token, entry.id);
      return reply.code(302).header('location', online.url).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex').send();
    });
  };
}
