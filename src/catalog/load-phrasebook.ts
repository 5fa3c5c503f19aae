/**
 * @module Loads `content/phrasebook.yaml`: what citizens write that is not a procedure's name —
 * small talk, vague topic words that fit several entries, asking to file in person — and the
 * phrases `flows check` looks for in catalog text (hedges, claims about filing online). The file
 * is optional (an empty phrasebook answers none of these); every problem names file and line.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readYamlFile, zodProblems, type Problem } from '../flow/yaml-source.js';
import type { Catalog } from './load-catalog.js';

const text = z.string().trim().min(1, { message: 'must not be empty' });
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'expected a kebab-case ascii id (a-z, 0-9, -)' });

export const phrasebookSchema = z.strictObject({
  /** Kind (thanks, greeting, who, ack, bye…) → phrases; the first kind that fits a message wins. */
  small_talk: z.record(slug, z.array(text).min(1)).default({}),
  /**
   * Messages with no letter or digit (an emoji): small-talk kind → symbols; the first kind whose
   * symbol the message holds wins, and any other such message is `ack`.
   */
  symbols: z.record(slug, z.array(text).min(1)).default({}),
  /** Words that may surround small talk or a topic word without changing it ("ạ", "nhé", "bạn"). */
  filler: z.array(text).default([]),
  /** Vague words that fit several entries ("đất", "xe"): the assistant asks which entry is meant. */
  topics: z
    .record(
      slug,
      z.strictObject({
        /** How the question names the topic: "Anh/chị hỏi về **{{label}}**…". */
        label: text,
        words: z.array(text).min(1),
        /** Catalog entry ids offered as choices, in this order (at most six are shown). */
        entries: z.array(slug).min(2),
      }),
    )
    .default({}),
  /** Asking to file in person without naming a procedure ("nộp trực tiếp"). */
  in_person: z.array(text).default([]),
  /** Phrases `flows check` looks for in catalog text. */
  checks: z
    .strictObject({
      /** Hearsay a citizen cannot act on ("được cho là"): state the rule and its date, or list it under unverified. */
      hedges: z.array(text).default([]),
      /** Says a procedure is done wholly online ("toàn bộ trực tuyến"). */
      fully_online: z.array(text).default([]),
      /** Says the citizen must still come in person ("vẫn cần đến"). */
      in_person: z.array(text).default([]),
      /** A word right before a claim that turns it round ("không" in "không giải quyết hoàn toàn trực tuyến"). */
      negations: z.array(text).default([]),
    })
    .default({ hedges: [], fully_online: [], in_person: [], negations: [] }),
});

export type Phrasebook = z.infer<typeof phrasebookSchema>;

export const EMPTY_PHRASEBOOK: Phrasebook = phrasebookSchema.parse({});

export const PHRASEBOOK_FILE = 'phrasebook.yaml';

/**
 * Reads `<dir>/phrasebook.yaml` (absent: the empty phrasebook) and checks it against the catalog:
 * every topic entry must exist. File names in problems are `content/phrasebook.yaml`.
 */
export function loadPhrasebook(dir: string, catalog?: Catalog): { phrasebook: Phrasebook; problems: Problem[] } {
  const file = join(dir, PHRASEBOOK_FILE);
  if (!existsSync(file)) return { phrasebook: EMPTY_PHRASEBOOK, problems: [] };
  const display = join(dir.split(/[\\/]/).filter(Boolean).at(-1) ?? 'content', PHRASEBOOK_FILE);
  const { source, problems } = readYamlFile(file, display);
  if (!source) return { phrasebook: EMPTY_PHRASEBOOK, problems };
  const parsed = phrasebookSchema.safeParse(source.value ?? {});
  if (!parsed.success) return { phrasebook: EMPTY_PHRASEBOOK, problems: [...problems, ...zodProblems(source, parsed.error, 'phrasebook')] };
  for (const kind of Object.keys(parsed.data.symbols)) {
    if (parsed.data.small_talk[kind]) continue;
    const { line, column } = source.locate(['symbols', kind]);
    problems.push({ file: display, line, column, where: `symbols ${kind}`, message: `"${kind}" is no kind of small_talk` });
  }
  if (catalog) {
    for (const [id, topic] of Object.entries(parsed.data.topics)) {
      topic.entries.forEach((entry, i) => {
        if (catalog.byId.has(entry)) return;
        const { line, column } = source.locate(['topics', id, 'entries', i]);
        problems.push({ file: display, line, column, where: `topic ${id}`, message: `unknown catalog entry "${entry}"` });
      });
    }
  }
  return { phrasebook: parsed.data, problems };
}
