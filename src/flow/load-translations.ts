/**
 * @module Loads the texts of the other languages, `content/texts.<lang>.yaml` (texts.en.yaml), and
 * checks each against content/texts.yaml, whose language is the default one: a key the default
 * texts do not have is an error (a typo, or a text nothing shows), and so is a text that reads a
 * value its default text does not (`{{unit.name}}`) or states other numbers (113, 60 ngày: a
 * fact is the same in every language). A key the language lacks is listed in `missing`: the
 * citizen reads the default text with a one-line note, and `flows check` lists it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Texts } from '../engine/flow-types.js';
import { numbersOf } from '../engine/numbers.js';
import { templatePaths } from '../engine/template.js';
import { flattenTexts } from './load-texts.js';
import type { Problem } from './yaml-source.js';

/** `texts.en.yaml` → "en". */
const FILE = /^texts\.([a-z]{2,3})\.yaml$/;

export interface MissingText {
  lang: string;
  key: string;
  /** Where the default text is written, so the editor sees what to translate. */
  file: string;
  line: number;
}

export interface LoadedTranslations {
  /** Language code → its texts (only the keys written; the engine falls back per key). */
  translations: Map<string, Texts>;
  problems: Problem[];
  missing: MissingText[];
}

export function loadTranslations(contentDir: string, base: Texts, baseLines: ReadonlyMap<string, number> = new Map()): LoadedTranslations {
  const translations = new Map<string, Texts>();
  const problems: Problem[] = [];
  const missing: MissingText[] = [];
  let names: string[];
  try {
    names = readdirSync(contentDir).filter((f) => FILE.test(f)).sort();
  } catch {
    return { translations, problems, missing };
  }
  for (const name of names) {
    const lang = (FILE.exec(name) as RegExpExecArray)[1] as string;
    const file = join(contentDir, name);
    const { texts, lines, problems: read } = flattenTexts(file);
    problems.push(...read);
    for (const [key, template] of texts) {
      const { line, column } = lines.get(key) ?? { line: 1, column: 1 };
      const vi = base.get(key);
      if (vi === undefined) {
        problems.push({ file, line, column, where: key, message: `"${key}" is not a key of texts.yaml: every text is written there first` });
        continue;
      }
      const known = new Set(templatePaths(vi));
      const extra = templatePaths(template).filter((path) => !known.has(path));
      if (extra.length > 0) problems.push({ file, line, column, where: key, message: `reads ${extra.map((p) => `{{${p}}}`).join(', ')}, which texts.yaml's "${key}" does not: a value it may not be given` });
      const a = numbersOf(vi).join(' ');
      const b = numbersOf(template).join(' ');
      if (a !== b) problems.push({ file, line, column, where: key, message: `states other numbers than texts.yaml (${b || 'none'}; texts.yaml: ${a || 'none'}): a number is the same fact in every language` });
    }
    for (const key of base.keys()) {
      if (!texts.has(key)) missing.push({ lang, key, file: join(contentDir, 'texts.yaml'), line: baseLines.get(key) ?? 1 });
    }
    translations.set(lang, texts);
  }
  return { translations, problems, missing };
}
