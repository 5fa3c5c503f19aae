/**
 * @module `handoff`: asks the host to bring in a person. It emits `handoff_requested` with the
 * context staff need (the variables listed in `context`: what was asked, the procedure, the
 * checklist); the host opens the ticket and adds its own replies (place in the queue, wait,
 * office hours). The step's `text` is said first, then the flow goes on at `next`.
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: person
 * steps:
 *   person:
 *     type: handoff
 *     reason: asked
 *     text: example.person
 *     context: [query, procedure_id]
 * ```
 */
import { z } from 'zod';
import { defineStep } from '../define-step.js';
import type { Json } from '../session.js';
import { contentKey, nextOrEnd, target } from './common.js';

export const handoffStep = defineStep({
  type: 'handoff',
  schema: z
    .object({
      reason: z.enum(['asked', 'failures', 'report', 'not_found']),
      text: contentKey.optional(),
      context: z.array(z.string().regex(/^[a-z_]\w*$/i)).default([]),
      next: target.optional(),
    })
    .strict(),
  waits: false,
  targets: (p) => (p.next ? [p.next] : []),
  contentKeys: (p) => (p.text ? [p.text] : []),
  enter(ctx, p) {
    if (p.text) ctx.say(ctx.text(p.text));
    const context: Record<string, Json> = {};
    for (const name of p.context) {
      const value = ctx.getVar(name);
      if (value !== undefined) context[name] = value as Json;
    }
    ctx.requestHandoff(p.reason, context);
    return nextOrEnd(p.next);
  },
});
