/**
 * @module `say`: sends a text from content, with optional links, then moves on. With `each`, it
 * sends the text once per item of a list variable (the item in the one-turn variable named by
 * `as`), for answers a service has already cut into phone-sized messages; links go with the last
 * one. An empty list, like an empty text, sends nothing.
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
 *     next: parts
 *   parts:
 *     type: say
 *     text: example.part
 *     each: { from: parts, as: _part }
 *     next: bye
 *   bye:
 *     type: end
 * ```
 */
import { z } from 'zod';
import { defineStep } from '../define-step.js';
import type { Link } from '../messages.js';
import { contentKey, link, nextOrEnd, target } from './common.js';

export const sayStep = defineStep({
  type: 'say',
  schema: z
    .object({
      text: contentKey,
      links: z.array(link).optional(),
      /** The list to say the text for, item by item; `as` must be a one-turn variable (`_name`). */
      each: z.object({ from: z.string().regex(/^[a-z_][\w.]*$/i), as: z.string().regex(/^_[a-z][a-z0-9_]*$/i, 'expected a one-turn variable such as _part') }).strict().optional(),
      next: target.optional(),
    })
    .strict(),
  waits: false,
  targets: (p) => (p.next ? [p.next] : []),
  contentKeys: (p) => [p.text, ...(p.links ?? []).map((l) => l.label)],
  enter(ctx, p) {
    const links: Link[] = (p.links ?? [])
      .map((l) => ({ label: ctx.label(l.label), url: ctx.render(l.url).trim() }))
      .filter((l) => /^https?:\/\/\S+$/.test(l.url));
    const send = (text: string, withLinks: boolean) => {
      if (text || (withLinks && links.length > 0)) ctx.say(text, withLinks && links.length > 0 ? { links } : undefined);
    };
    if (!p.each) {
      send(ctx.text(p.text), true);
      return nextOrEnd(p.next);
    }
    const list = ctx.getVar(p.each.from);
    const items = Array.isArray(list) ? list : [];
    items.forEach((item, i) => {
      ctx.setVar(p.each!.as, item as never);
      send(ctx.text(p.text), i === items.length - 1);
    });
    ctx.setVar(p.each.as, undefined);
    return nextOrEnd(p.next);
  },
});
