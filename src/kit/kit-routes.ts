/**
 * @module The community kit, a page behind the staff login (any role):
 *
 *   GET /staff/kit            the kit: poster maker with a preview, QR cards, the cashless-fee poster, demo scripts
 *   GET /staff/kit/poster     one procedure's A4 poster (`?procedure=&channel=&source=&bot=&link=`), to print or save as PDF;
 *                             with `&check=1`, `{ ok, message? }` (200): whether it can be made, for the kit page
 *   GET /staff/kit/cards      a sheet of 12 small QR cards for the one-stop desk (`?channel=&source=&bot=`)
 *   GET /staff/kit/cashless   the "Nộp lệ phí không dùng tiền mặt" poster
 *
 * The web chat's address on posters is PUBLIC_URL, or the address the kit was opened on. A query
 * the kit cannot make a poster of (unknown procedure, Telegram without a bot name, a bad tag) is 400
 * with the reason.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { dayOf } from '../analytics/analytics-event.js';
import type { AnalyticsStore } from '../analytics/analytics-store.js';
import { buildReport } from '../analytics/build-report.js';
import type { StaffWho } from '../analytics/report-routes.js';
import { displayUnit } from '../catalog/unit-display.js';
import type { Assistant } from '../load-assistant.js';
import { kitLink, KitLinkError, posterChannels } from './kit-links.js';
import { cashlessPosterHtml, posterHtml, qrCardsHtml } from './posters.js';
import { renderKitPage } from './kit-page.js';

export interface KitRoutesOptions {
  assistant: Pick<Assistant, 'catalog' | 'texts'>;
  publicUrl?: string;
  /** The dashboard's store: the QR cards are the most viewed procedures of the last 90 days first. */
  store?: AnalyticsStore;
  now?: () => number;
}

/** The catalog's guide on paying online, shown on the cashless-fee poster. */
export const CASHLESS_GUIDE_ID = 'thanh-toan-truc-tuyen';

export function kitRoutes(options: KitRoutesOptions): (auth: StaffWho) => FastifyPluginAsync {
  const { catalog, texts } = options.assistant;
  const now = options.now ?? Date.now;
  return (auth) => async (app) => {
    async function staff(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
      if (await auth.who(request)) return true;
      await reply.code(401).type('text/html; charset=utf-8').header('cache-control', 'no-store').send('<!doctype html><html lang="vi"><meta charset="utf-8"><title>Bộ công cụ</title><p>Vui lòng đăng nhập tại <a href="/staff">/staff</a> rồi mở lại trang này.</p></html>');
      return false;
    }
    const html = (reply: FastifyReply, nonce: string, body: string, scripts = false) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('content-security-policy', `default-src 'none'; ${scripts ? `script-src 'nonce-${nonce}'; connect-src 'self'; ` : ''}style-src 'nonce-${nonce}'; img-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'`)
        .send(body);
    const baseOf = (request: FastifyRequest) => options.publicUrl ?? `${request.protocol}://${request.host}`;
    const q = (request: FastifyRequest) => request.query as Record<string, string | undefined>;
    const linkOf = (request: FastifyRequest, channel: string, id: string, name: string) => {
      const query = q(request);
      return kitLink({
        channel,
        procedure: id,
        procedureName: name,
        ...(query.source ? { source: query.source } : {}),
        ...(query.bot ? { bot: query.bot } : {}),
        baseUrl: baseOf(request),
        ...(query.link ? { link: query.link } : {}),
      });
    };
    const refuse = (reply: FastifyReply, error: unknown) => {
      if (error instanceof KitLinkError) return reply.code(400).type('text/plain; charset=utf-8').send(error.message);
      throw error;
    };
    const unit = () => displayUnit(catalog.unit, texts);
    const labelOf = (channel: string) => posterChannels().find((c) => c.name === channel)?.label ?? channel;

    app.get('/staff/kit', async (request, reply) => {
      if (!(await staff(request, reply))) return reply;
      const nonce = randomBytes(16).toString('base64');
      return html(
        reply,
        nonce,
        renderKitPage({ nonce, unitName: catalog.unit.name, entries: catalog.entries.map((e) => ({ id: e.id, name: e.name })), channels: posterChannels(), webBase: baseOf(request) }),
        true,
      );
    });

    app.get('/staff/kit/poster', async (request, reply) => {
      if (!(await staff(request, reply))) return reply;
      const query = q(request);
      const entry = catalog.byId.get(query.procedure ?? '');
      if (!entry) return reply.code(400).type('text/plain; charset=utf-8').send('Unknown procedure.');
      const channel = query.channel ?? 'web';
      if (query.check === '1') {
        try {
          linkOf(request, channel, entry.id, entry.name);
          return reply.header('cache-control', 'no-store').send({ ok: true });
        } catch (error) {
          if (error instanceof KitLinkError) return reply.header('cache-control', 'no-store').send({ ok: false, message: error.message });
          throw error;
        }
      }
      try {
        const link = linkOf(request, channel, entry.id, entry.name);
        const nonce = randomBytes(16).toString('base64');
        return html(reply, nonce, await posterHtml({ unit: unit(), entry, channel, channelLabel: labelOf(channel), link, ...(query.source ? { source: query.source } : {}) }, { nonce }));
      } catch (error) {
        return refuse(reply, error);
      }
    });

    app.get('/staff/kit/cards', async (request, reply) => {
      if (!(await staff(request, reply))) return reply;
      const channel = q(request).channel ?? 'web';
      const today = dayOf(now());
      const from = dayOf(now() - 89 * 86_400_000);
      const viewed = options.store ? (await buildReport(options.store, { from, to: today, granularity: 'month' })).topProcedures.map((p) => p.id) : [];
      const procedures = catalog.entries.filter((e) => e.kind === 'procedure');
      const ordered = [...viewed.map((id) => procedures.find((e) => e.id === id)).filter((e) => e !== undefined), ...procedures.filter((e) => !viewed.includes(e.id))].slice(0, 12);
      try {
        const cards = ordered.map((entry) => ({ entry, url: linkOf(request, channel, entry.id, entry.name).url ?? '' }));
        if (cards.some((c) => !c.url)) return reply.code(400).type('text/plain; charset=utf-8').send('QR cards need a channel with links: web, Telegram (with bot), or a Zalo link.');
        const nonce = randomBytes(16).toString('base64');
        return html(reply, nonce, await qrCardsHtml(unit(), labelOf(channel), cards, { nonce }));
      } catch (error) {
        return refuse(reply, error);
      }
    });

    app.get('/staff/kit/cashless', async (request, reply) => {
      if (!(await staff(request, reply))) return reply;
      const guide = catalog.byId.get(CASHLESS_GUIDE_ID);
      if (!guide) return reply.code(404).type('text/plain; charset=utf-8').send(`The catalog has no ${CASHLESS_GUIDE_ID} entry.`);
      const nonce = randomBytes(16).toString('base64');
      const guideUrl = kitLink({ channel: 'web', procedure: guide.id, procedureName: guide.name, baseUrl: baseOf(request), source: 'ap-phich-le-phi' }).url;
      return html(reply, nonce, await cashlessPosterHtml({ unit: unit(), guide, ...(guideUrl ? { guideUrl } : {}) }, { nonce }));
    });
  };
}

