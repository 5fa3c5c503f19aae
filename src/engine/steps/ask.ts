/**
 * @module `ask`: asks for a typed answer, checks it with an input test (text, number, yes_no,
 * phone, cccd, date, choice), saves the normalised value and moves on. An invalid answer gets
 * the re-prompt (`error`, or the test's default text); after too many in a row (`max_failures`,
 * else the global setting) the citizen is offered a person instead of looping.
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: phone
 * steps:
 *   phone:
 *     type: ask
 *     text: example.ask_phone
 *     test: { type: phone }
 *     save: phone
 *     error: example.bad_phone
 *     max_failures: 2
 *     on_fail: gave_up
 *     next: thanks
 *   thanks:
 *     type: end
 *     text: example.thanks
 *   gave_up:
 *     type: end
 *     text: example.gave_up
 * ```
 */
import { z } from 'zod';
import { defineStep } from '../define-step.js';
import { inputTests } from '../input-tests/index.js';
import { contentKey, target } from './common.js';

const testSpec = z
  .object({ type: z.string() })
  .passthrough()
  .superRefine((spec, issue) => {
    const test = inputTests.get(spec.type);
    if (!test) {
      issue.addIssue({ code: 'custom', path: ['type'], message: `unknown input test "${spec.type}"; known: ${[...inputTests.keys()].join(', ')}` });
      return;
    }
    const { type: _type, ...options } = spec;
    const parsed = test.options.safeParse(options);
    if (!parsed.success) for (const i of parsed.error.issues) issue.addIssue({ code: 'custom', path: i.path, message: i.message });
  });

export const askStep = defineStep({
  type: 'ask',
  schema: z
    .object({
      text: contentKey,
      test: testSpec,
      save: z.string().regex(/^[a-z_]\w*$/i),
      error: contentKey.optional(),
      max_failures: z.number().int().min(1).optional(),
      on_fail: target.optional(),
      next: target,
    })
    .strict(),
  waits: true,
  targets: (p) => [p.next, ...(p.on_fail ? [p.on_fail] : [])],
  contentKeys: (p) => [p.text, p.error ?? `input.invalid.${p.test.type}`],
  enter(ctx, p) {
    ctx.say(ctx.text(p.text));
    return { wait: true };
  },
  resume(ctx, p, input) {
    const test = inputTests.get(p.test.type);
    if (!test) throw new Error(`unknown input test ${p.test.type}`);
    const { type: _type, ...rawOptions } = p.test;
    const result = input.kind === 'text' ? test.check(input.text ?? '', test.options.parse(rawOptions)) : ({ ok: false } as const);
    if (result.ok) {
      ctx.setVar(p.save, result.value);
      return { next: p.next };
    }
    const giveUp = ctx.invalidAnswer(p.test.type, p.max_failures, p.on_fail);
    if (giveUp) return { next: giveUp };
    ctx.say(ctx.text(p.error ?? `input.invalid.${p.test.type}`));
    return { wait: true };
  },
});
