/**
 * @module Loads content/texts.yaml: every text the assistant says, as nested keys flattened to
 * `menu.prompt`. Values are strings (templates, see engine/template.ts). Its language is the
 * default one; other languages are content/texts.<lang>.yaml (load-translations.ts).
 */
import { join } from 'node:path';
import type { Texts } from '../engine/flow-types.js';
import { readYamlFile, type Problem } from './yaml-source.js';

export function loadTexts(contentDir: string): { texts: Texts; lines: ReadonlyMap<string, number>; problems: Problem[] } {
  const { texts, lines, problems } = flattenTexts(join(contentDir, 'texts.yaml'));
  return { texts, lines: new Map([...lines].map(([key, at]) => [key, at.line])), problems };
}

/** A texts file as flat keys, with where each text is written. */
export function flattenTexts(file: string): { texts: Map<string, string>; lines: Map<string, { line: number; column: number }>; problems: Problem[] } {
  const { source, problems } = readYamlFile(file);
  const texts = new Map<string, string>();
  const lines = new Map<string, { line: number; column: number }>();
  if (!source) return { texts, lines, problems };
  const walk = (value: unknown, path: string[]) => {
    if (typeof value === 'string') {
      texts.set(path.join('.'), value);
      lines.set(path.join('.'), source.locate(path));
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else {
      const { line, column } = source.locate(path);
      problems.push({ file, line, column, where: path.join('.'), message: 'a text must be a string (or a map of texts)' });
    }
  };
  walk(source.value, []);
  return { texts, lines, problems };
}
