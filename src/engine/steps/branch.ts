/**
 * @module `branch`: goes to the first case whose condition holds, else to the mandatory `else`.
 * A condition names a variable (dotted paths allowed) and one test: `equals`, `not_equals`, `in`,
 * `exists` (true: set and not empty), `lt`, `lte`, `gt`, `gte` (numbers; `{{var}}` allowed).
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: check
 * steps:
 *   check:
 *     type: branch
 *     cases:
 *       - when: { var: found.outcome, equals: confident }
 *         next: sure
 *       - when: { var: doc_index, gte: "{{doc_count}}" }
 *         next: done
 *     else: unsure
 *   sure:
 *     type: end
 *     text: example.sure
 *   unsure:
 *     type: end
 *     text: example.unsure
 *   done:
 *     type: end
 * ```
 */
import { z } from 'zod';
import { defineStep, type StepContext } from '../define-step.js';
import { target } from './common.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const numeric = z.union([z.number(), z.string()]);

const condition = z
  .object({
    var: z.string().regex(/^[a-z_][\w.]*$/i),
    equals: scalar.optional(),
    not_equals: scalar.optional(),
    in: z.array(scalar).optional(),
    exists: z.boolean().optional(),
    lt: numeric.optional(),
    lte: numeric.optional(),
    gt: numeric.optional(),
    gte: numeric.optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length === 2, 'a condition has `var` and exactly one test');

type Condition = z.infer<typeof condition>;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function toNumber(ctx: StepContext, value: string | number): number {
  return typeof value === 'number' ? value : Number(ctx.render(value));
}

export function holds(ctx: StepContext, c: Condition): boolean {
  const value = ctx.getVar(c.var);
  if ('equals' in c) return value === c.equals || (value === undefined && c.equals === null);
  if ('not_equals' in c) return value !== c.not_equals;
  if (c.in) return c.in.includes(value as never);
  if (c.exists !== undefined) return c.exists === !isEmpty(value);
  if (typeof value !== 'number') return false;
  if (c.lt !== undefined) return value < toNumber(ctx, c.lt);
  if (c.lte !== undefined) return value <= toNumber(ctx, c.lte);
  if (c.gt !== undefined) return value > toNumber(ctx, c.gt);
  if (c.gte !== undefined) return value >= toNumber(ctx, c.gte);
  return false;
}

export const branchStep = defineStep({
  type: 'branch',
  schema: z.object({ cases: z.array(z.object({ when: condition, next: target }).strict()).min(1), else: target }).strict(),
  waits: false,
  targets: (p) => [...p.cases.map((c) => c.next), p.else],
  contentKeys: () => [],
  enter(ctx, p) {
    const match = p.cases.find((c) => holds(ctx, c.when));
    return { next: match ? match.next : p.else };
  },
});
