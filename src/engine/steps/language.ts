/**
 * @module `language`: sets the language the conversation is answered in from now on (its texts,
 * its globals, the services' texts), then moves on. `lang` is a language code with texts
 * (content/texts.<lang>.yaml; the default language's are content/texts.yaml) or a template that
 * gives one ("{{_detected.lang}}"). With `keep_chosen: true` it only sets a language when none was
 * chosen yet, so a detection never overrides the citizen's own choice. An unknown or empty
 * language changes nothing.
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: english
 * steps:
 *   english:
 *     type: language
 *     lang: en
 *     next: hello
 *   hello:
 *     type: say
 *     text: example.hello
 *     next: detected
 *   detected:
 *     type: language
 *     lang: "{{_detected.lang}}"
 *     keep_chosen: true
 *     next: bye
 *   bye:
 *     type: end
 * ```
 */
import { z } from 'zod';
import { defineStep } from '../define-step.js';
import { nextOrEnd, target } from './common.js';

/** A literal language code ("en", "vi"), checked against the languages with texts. */
const CODE = /^[a-z]{2,3}$/;

export const languageStep = defineStep({
  type: 'language',
  schema: z
    .object({
      lang: z.string().regex(/^(?:[a-z]{2,3}|\{\{\s*[\w.]+\s*\}\})$/, 'expected a language code such as en, or one template tag'),
      keep_chosen: z.boolean().default(false),
      next: target.optional(),
    })
    .strict(),
  waits: false,
  targets: (p) => (p.next ? [p.next] : []),
  contentKeys: () => [],
  languages: (p) => (CODE.test(p.lang) ? [p.lang] : []),
  enter(ctx, p) {
    const lang = ctx.render(p.lang).trim();
    if (lang && !(p.keep_chosen && ctx.languageChosen)) ctx.setLanguage(lang);
    return nextOrEnd(p.next);
  },
});
