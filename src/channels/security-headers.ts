/**
 * @module The security headers of every response (@fastify/helmet, registered by buildApp before
 * any route, so the channels' and the console's routes get them too). What a route may change
 * with the `helmet` route option: `EMBEDDABLE` for what other sites frame or load. In the channel
 * kit, like the HTTP error vocabulary, because channels' routes use those options.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The CSP of every response that sets none of its own: nothing may load, nothing may frame it. */
export const DEFAULT_CSP = {
  useDefaults: false,
  directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] },
};

/**
 * `helmet` route option for what other sites embed or load: the chat page (in the iframe of
 * embed.js, on the ward's site) and embed.js itself (a cross-origin <script>). Its own CSP
 * (`frame-ancestors`) says who may frame it; X-Frame-Options would contradict it.
 */
export const EMBEDDABLE = { frameguard: false, crossOriginResourcePolicy: { policy: 'cross-origin' } } as const;

/** A page with inline `style` attributes and nothing else (the Zalo OA authorisation result). */
export const INLINE_STYLE_PAGE = {
  contentSecurityPolicy: { useDefaults: false, directives: { ...DEFAULT_CSP.directives, styleSrcAttr: ["'unsafe-inline'"] } },
} as const;

/** Registers helmet on `app` itself (helmet is fastify-plugin wrapped: its hooks reach every route registered after). */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, { contentSecurityPolicy: DEFAULT_CSP });
}
