/**
 * @module `set`: changes session variables, with exactly one operation per step (the schema
 * refuses a step with two), so the order of operations is the order of the steps and never
 * depends on how the YAML was parsed. The operations: `values` sets each variable (string values
 * are templates, `null` removes the variable), in the order written, so a later value may read
 * an earlier one; `add` adds a number (a missing variable counts as 0); `append` adds the
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
 *     next: note
 *   note:
 *     type: set
 *     append: { missing: "{{doc_index}}" }
 *     next: count
 *   count:
 *     type: set
 *     add: { visits: 1 }
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
const OPERATIONS = ['values', 'add', 'append'] as const;

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
    .refine((p) => OPERATIONS.filter((op) => p[op] !== undefined).length === 1, {
      message: 'a set step does exactly one of `values`, `add` or `append` (write one step per operation, in the order they must happen)',
    }),
  waits: false,
  targets: (p) => (p.next ? [p.next] : []),
  contentKeys: () => [],
  enter(ctx, p) {
    // z.record keeps the keys in the order they were written.
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
