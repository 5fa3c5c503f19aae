/**
 * @module `flow`: enters a sub-flow; when it ends, the conversation continues at `next`.
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: enter
 * steps:
 *   enter:
 *     type: flow
 *     flow: example
 *     start_at: inner
 *     next: after
 *   inner:
 *     type: end
 *     text: example.inner
 *   after:
 *     type: end
 *     text: example.after
 * ```
 */
import { z } from 'zod';
import { defineStep } from '../define-step.js';
import { target } from './common.js';

export const flowStep = defineStep({
  type: 'flow',
  schema: z
    .object({
      flow: z.string().regex(/^[a-z0-9_-]+$/i),
      /** A step of the sub-flow other than its start. */
      start_at: z.string().regex(/^[a-z0-9_-]+$/i).optional(),
      next: target,
    })
    .strict(),
  waits: false,
  targets: (p) => [p.start_at ? `@${p.flow}.${p.start_at}` : `@${p.flow}`, p.next],
  contentKeys: () => [],
  // The engine handles entering and returning (it owns the frame stack); see create-engine.ts.
  enter() {
    throw new Error('flow steps are run by the engine itself');
  },
});
