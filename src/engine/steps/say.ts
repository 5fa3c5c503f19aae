/**
 * @module `say`: sends a text from content, with optional links, then moves on.
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: hello
 * steps:
 *   hello:
 *     type: say
 *     text: example.hello
 *     links:
 *       - { label: example.portal, url: "https://dichvucong.gov.vn" }
 *     next: bye
 *   bye:
 *     type: end
 * ```
 */
import { z } from 'zod';
import { defineStep } from '../define-step.js';
import { contentKey, link, nextOrEnd, target } from './common.js';

export const sayStep = defineStep({
  type: 'say',
  schema: z.object({ text: contentKey, links: z.array(link).optional(), next: target.optional() }).strict(),
  waits: false,
  targets: (p) => (p.next ? [p.next] : []),
  contentKeys: (p) => [p.text, ...(p.links ?? []).map((l) => l.label)],
  enter(ctx, p) {
    const links = (p.links ?? [])
      .map((l) => ({ label: ctx.text(l.label), url: ctx.render(l.url).trim() }))
      .filter((l) => /^https?:\/\/\S+$/.test(l.url));
    const text = ctx.text(p.text);
    if (text || links.length > 0) ctx.say(text, links.length > 0 ? { links } : undefined);
    return nextOrEnd(p.next);
  },
});
