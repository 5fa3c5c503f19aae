/**
 * @module `end`: ends the current flow, with an optional last text. In a sub-flow, the caller
 * continues at its `next`; at the top, the conversation waits for whatever the citizen writes next.
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: done
 * steps:
 *   done:
 *     type: end
 *     text: example.bye
 * ```
 */
import { z } from 'zod';
import { defineStep } from '../define-step.js';
import { contentKey } from './common.js';

export const endStep = defineStep({
  type: 'end',
  schema: z.object({ text: contentKey.optional() }).strict(),
  waits: false,
  targets: () => [],
  contentKeys: (p) => (p.text ? [p.text] : []),
  enter(ctx, p) {
    if (p.text) ctx.say(ctx.text(p.text));
    return { end: true };
  },
});
