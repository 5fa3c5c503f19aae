/**
 * @module Loads content/texts.yaml: every text the assistant says, as nested keys flattened to
 * `menu.prompt`. Values are strings (templates, see engine/template.ts).
 */
import { join } from 'node:path';
import type { Texts } from '../engine/flow-types.js';
import { readYamlFile, type Problem } from './yaml-source.js';

export function loadTexts(contentDir: string): { texts: Texts; problems: Problem[] } {
  const file = join(contentDir, 'texts.yaml');
  const { source, problems } = readYamlFile(file);
  const texts = new Map<string, string>();
  if (!source) return { texts, problems };
  const walk = (value: unknown, path: string[]) => {
    if (typeof value === 'string') {
      texts.set(path.join('.'), value);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else {
      const { line, column } = source.locate(path);
      problems.push({ file, line, column, where: path.join('.'), message: 'a text must be a string (or a map of texts)' });
    }
  };
  walk(source.value, []);
  return { texts, problems };
}
