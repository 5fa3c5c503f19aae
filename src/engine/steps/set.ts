/**
 * @module `set`: sets, clears or adds to session variables. String values are templates; `null`
 * removes a variable; `add` adds a number (a missing variable counts as 0); `append` adds the
 * rendered value to a list variable.
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: init
 * steps:
 *   init:
 *     type: set
 *     values: { doc_index: 0, missing: [], topic: "{{query}}" }
 *     add: { visits: 1 }
 *     append: { missing: "{{doc_index}}" }
 *     next: done
 *   done:
 *     type: end
 * ```
 */
import { z } from 'zod';
import { defineStep } from '../define-step.js';
import type { Json } from '../session.js';
import { nextOrEnd, target } from './common.js';

const json: z.ZodType<Json> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]));
const varName = z.string().regex(/^[a-z_][a-z0-9_]*$/i);

export const setStep = defineStep({
  type: 'set',
  schema: z
    .object({
      values: z.record(varName, json).optional(),
      add: z.record(varName, z.number()).optional(),
      append: z.record(varName, json).optional(),
      next: target.optional(),
    })
    .strict()
    .refine((p) => p.values || p.add || p.append, 'set needs values, add or append'),
  waits: false,
  targets: (p) => (p.next ? [p.next] : []),
  contentKeys: () => [],
  enter(ctx, p) {
    for (const [name, value] of Object.entries(p.values ?? {})) {
      ctx.setVar(name, value === null ? undefined : ctx.renderJson(value));
    }
    for (const [name, amount] of Object.entries(p.add ?? {})) {
      const current = ctx.getVar(name);
      ctx.setVar(name, (typeof current === 'number' ? current : 0) + amount);
    }
    for (const [name, value] of Object.entries(p.append ?? {})) {
      const current = ctx.getVar(name);
      ctx.setVar(name, [...(Array.isArray(current) ? (current as Json[]) : []), ctx.renderJson(value)]);
    }
    return nextOrEnd(p.next);
  },
});
