/**
 * @module `call`: calls a named service injected by the host (find procedures, load a card...),
 * saves its data in a variable, and routes on its outcome. A failing service goes to `on_error`
 * and emits an `error` event; the conversation goes on. Variables starting with `_` last one turn
 * only (large, re-computable data such as a rendered card never reaches the store).
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: search
 * steps:
 *   search:
 *     type: call
 *     service: find
 *     args: { query: "{{query}}" }
 *     save: found
 *     routes: { confident: sure, none: nothing }
 *     next: unsure
 *     on_error: nothing
 *   sure:
 *     type: end
 *     text: example.sure
 *   unsure:
 *     type: end
 *     text: example.unsure
 *   nothing:
 *     type: end
 *     text: example.nothing
 * ```
 */
import { z } from 'zod';
import { defineStep } from '../define-step.js';
import type { Json } from '../session.js';
import { target } from './common.js';

const json: z.ZodType<Json> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]));

export const callStep = defineStep({
  type: 'call',
  schema: z
    .object({
      service: z.string().min(1),
      args: z.record(z.string(), json).default({}),
      save: z.string().regex(/^_?[a-z][a-z0-9_]*$/i).optional(),
      routes: z.record(z.string(), target).optional(),
      next: target,
      on_error: target,
    })
    .strict(),
  waits: false,
  targets: (p) => [p.next, p.on_error, ...Object.values(p.routes ?? {})],
  contentKeys: () => [],
  services: (p) => [p.service],
  enter(ctx, p) {
    const args = ctx.renderJson(p.args) as Record<string, Json>;
    const result = ctx.callService(p.service, args);
    if (!result.ok) return { next: p.on_error };
    if (p.save) ctx.setVar(p.save, result.data ?? null);
    const routed = result.outcome !== undefined ? p.routes?.[result.outcome] : undefined;
    return { next: routed ?? p.next };
  },
});
