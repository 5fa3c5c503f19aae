/**
 * @module `erase`: forgets the conversation. The variables are cleared at once and the host is
 * asked (`erase_requested`) to delete everything it keeps about the citizen: session, dedupe
 * marks, tickets and transcripts. The flow ends here.
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: forget
 * steps:
 *   forget:
 *     type: erase
 *     text: example.erased
 * ```
 */
import { z } from 'zod';
import { defineStep } from '../define-step.js';
import { contentKey } from './common.js';

export const eraseStep = defineStep({
  type: 'erase',
  schema: z.object({ text: contentKey }).strict(),
  waits: false,
  targets: () => [],
  contentKeys: (p) => [p.text],
  enter(ctx, p) {
    ctx.say(ctx.text(p.text));
    ctx.requestErase();
    return { end: true };
  },
});
