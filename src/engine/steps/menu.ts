/**
 * @module `menu`: a question with choices. The citizen may press a button, type the number shown,
 * or type the label (or one of its `words`) with or without accents. Choices can also come from a
 * list variable (`dynamic`: [{id, label}], shown first). Text that matches no choice is not an
 * error: it goes to `other` (or the global free-text route, usually the finder) with the text
 * saved, because "free text anywhere goes to the finder".
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: pick
 * steps:
 *   pick:
 *     type: menu
 *     text: example.question
 *     dynamic: { from: found.candidates, save: procedure_id, next: picked }
 *     choices:
 *       - { id: none, label: example.none, next: nothing, words: [không phải] }
 *       - { id: human, label: example.human, next: nothing, set: { wants_person: true } }
 *   picked:
 *     type: end
 *     text: example.picked
 *   nothing:
 *     type: end
 *     text: example.nothing
 * ```
 */
import { z } from 'zod';
import { defineStep, type StepContext, type StepResult } from '../define-step.js';
import { fold, foldLabel } from '../fold.js';
import { yesNoTest } from '../input-tests/yes-no.js';
import type { Choice } from '../messages.js';
import type { Json } from '../session.js';
import { contentKey, target } from './common.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const staticChoice = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]+$/i),
    label: contentKey,
    next: target,
    words: z.array(z.string().min(1)).optional(),
    set: z.record(z.string().regex(/^[a-z_]\w*$/i), scalar).optional(),
  })
  .strict();

const schema = z
  .object({
    text: contentKey,
    choices: z.array(staticChoice).default([]),
    /** Choices from a list variable; shown first, or right after the static choice named in `after`. */
    dynamic: z
      .object({
        from: z.string().min(1),
        save: z.string().regex(/^[a-z_]\w*$/i),
        next: target,
        after: z.string().optional(),
        /** Leave out the first items of the list (e.g. the best match, already offered as "yes"). */
        skip: z.number().int().min(0).default(0),
      })
      .strict()
      .optional(),
    other: target.optional(),
    /** Where `other` text is saved; defaults to the global free-text variable. */
    save_text: z.string().regex(/^[a-z_]\w*$/i).optional(),
  })
  .strict()
  .refine((p) => p.choices.length > 0 || p.dynamic, 'a menu needs choices or dynamic choices')
  .refine((p) => new Set(p.choices.map((c) => c.id)).size === p.choices.length, 'choice ids must be unique');

type MenuProps = z.infer<typeof schema>;

interface Shown {
  choice: Choice;
  words: string[];
  apply(ctx: StepContext): string;
}

function shownChoices(ctx: StepContext, p: MenuProps): Shown[] {
  const dynamicShown: Shown[] = [];
  const staticShown: Shown[] = [];
  const listed = ctx.getVar(p.dynamic?.from ?? '');
  if (p.dynamic && Array.isArray(listed)) {
    const dynamic = p.dynamic;
    for (const item of (listed as Json[]).slice(dynamic.skip)) {
      if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
      const { id, label } = item as Record<string, Json>;
      if (typeof id !== 'string' || typeof label !== 'string') continue;
      dynamicShown.push({
        choice: { id, label },
        words: [],
        apply: (c) => {
          c.setVar(dynamic.save, id);
          return dynamic.next;
        },
      });
    }
  }
  for (const c of p.choices) {
    staticShown.push({
      choice: { id: c.id, label: ctx.label(c.label) },
      words: c.words ?? [],
      apply: (cx) => {
        for (const [name, value] of Object.entries(c.set ?? {})) cx.setVar(name, value);
        return c.next;
      },
    });
  }
  const at = p.dynamic?.after ? staticShown.findIndex((s) => s.choice.id === p.dynamic?.after) + 1 : 0;
  // A dynamic id equal to a static one would make the press ambiguous: the static choice wins.
  const unique = dynamicShown.filter((d) => !staticShown.some((s) => s.choice.id === d.choice.id));
  return [...staticShown.slice(0, at), ...unique, ...staticShown.slice(at)];
}

/**
 * Finds the choice a typed text means: its number, its label or one of its words; failing that,
 * the same with the polite words left out on both sides ("dạ em chưa có ạ" is "chưa có").
 */
export function matchTyped(text: string, shown: Shown[], polite: ReadonlySet<string> = new Set()): Shown | undefined {
  const folded = fold(text);
  const number = /^(?:so\s*)?(\d{1,2})$/.exec(folded);
  if (number) return shown[Number(number[1]) - 1];
  const exact = shown.find((s) => foldLabel(s.choice.label) === folded || s.words.some((w) => foldLabel(w) === folded));
  if (exact || polite.size === 0) return exact;
  const plain = withoutPolite(folded, polite);
  if (!plain || plain === folded) return undefined;
  return shown.find((s) => withoutPolite(foldLabel(s.choice.label), polite) === plain || s.words.some((w) => withoutPolite(foldLabel(w), polite) === plain));
}

/** A folded text without its polite words; '' when nothing else is left (a bare "dạ" stays itself). */
function withoutPolite(folded: string, polite: ReadonlySet<string>): string {
  return folded
    .split(' ')
    .filter((w) => !polite.has(w))
    .join(' ');
}

function prompt(ctx: StepContext, p: MenuProps): StepResult {
  ctx.say(ctx.text(p.text), { choices: shownChoices(ctx, p).map((s) => s.choice) });
  return { wait: true };
}

export const menuStep = defineStep({
  type: 'menu',
  schema,
  waits: true,
  targets: (p) => [...p.choices.map((c) => c.next), ...(p.dynamic ? [p.dynamic.next] : []), ...(p.other ? [p.other] : [])],
  contentKeys: (p) => [p.text, ...p.choices.map((c) => c.label)],
  enter: prompt,
  resume(ctx, p, input) {
    const shown = shownChoices(ctx, p);
    if (input.kind === 'choice') {
      const pressed = shown.find((s) => s.choice.id === input.choiceId);
      // A button from an older message: show this question again rather than guess.
      if (!pressed) return ctx.reask();
      return { next: pressed.apply(ctx) };
    }
    const text = input.text ?? '';
    const typed = matchTyped(text, shown, ctx.polite);
    if (typed) return { next: typed.apply(ctx) };
    if (/^\s*\d{1,2}\s*$/.test(text) || yesNoTest.check(text, {}).ok) {
      // A number that is not on the list, or a bare "yes"/"no" to a question that has no such
      // choice, is a mistake, not a search.
      const back = ctx.invalidAnswer('menu');
      if (back) return { next: back };
      ctx.say(ctx.text('system.choose_from_list'));
      return ctx.reask();
    }
    return { next: ctx.routeFreeText(text, p.other, p.save_text) };
  },
});
