/**
 * @module Reading YAML with positions, so every problem in a flow or content file can name its
 * file, line and column. Used by the flow loader and the content (catalog) loader alike.
 */
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';

export interface Problem {
  file: string;
  line: number;
  column: number;
  /** e.g. `flow main, step menu` or `entry khai-sinh`; empty when not tied to one. */
  where: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = p.where ? ` [${p.where}]` : '';
  return `${p.file}:${p.line}:${p.column}${where}: ${p.message}`;
}

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The parsed value (plain JS), or undefined when the file did not parse. */
  value: unknown;
  /** Line and column of the node at `path`, or of its nearest existing parent. */
  locate(path: ReadonlyArray<PropertyKey>): { line: number; column: number };
}

export function readYamlFile(file: string, displayName = file): { source?: YamlSource; problems: Problem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { problems: [{ file: displayName, line: 1, column: 1, where: '', message: `cannot read file: ${(error as Error).message}` }] };
  }
  return parseYamlText(text, displayName);
}

export function parseYamlText(text: string, file: string): { source?: YamlSource; problems: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const problems: Problem[] = [];
  for (const error of [...doc.errors, ...doc.warnings]) {
    const pos = lines.linePos(error.pos[0]);
    problems.push({ file, line: pos.line, column: pos.col, where: '', message: error.message.split('\n')[0] ?? error.message });
  }
  if (doc.errors.length > 0) return { problems };

  const locate = (path: ReadonlyArray<PropertyKey>) => {
    let node: unknown = doc.contents;
    let best: Node | null = (doc.contents as Node | null) ?? null;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => {
          const k = item.key as { value?: unknown } | null;
          return k !== null && typeof k === 'object' && String(k.value) === String(key);
        });
        if (!pair) break;
        // Point at the key for a missing or wrong value: that is where the eye looks.
        best = (pair.value as Node | null) ?? (pair.key as Node);
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as Node | undefined;
        if (!item) break;
        best = item;
        node = item;
      } else {
        break;
      }
    }
    const offset = best?.range?.[0] ?? 0;
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  return { source: { file, doc, lines, value: doc.toJS({ maxAliasCount: 100 }), locate }, problems };
}

/** Turns zod issues into problems located in the YAML, relative to `basePath`. */
export function zodProblems(
  source: YamlSource,
  error: z.ZodError,
  where: string,
  basePath: ReadonlyArray<PropertyKey> = [],
): Problem[] {
  return error.issues.map((issue) => {
    const path = [...basePath, ...issue.path];
    const { line, column } = source.locate(path);
    const field = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { file: source.file, line, column, where, message: `${field}${issue.message}` };
  });
}

/** Position of the first scalar equal to `value` under the node at `path` (falls back to the node). */
export function locateValue(source: YamlSource, path: ReadonlyArray<PropertyKey>, value: string): { line: number; column: number } {
  const node = source.doc.getIn(path as unknown[], true) as Node | undefined;
  let found: Node | undefined;
  const walk = (n: unknown): void => {
    if (found || !n || typeof n !== 'object') return;
    if (isMap(n)) for (const pair of n.items) walk(pair.value);
    else if (isSeq(n)) for (const item of n.items) walk(item);
    else if ((n as { value?: unknown }).value === value) found = n as Node;
  };
  walk(node);
  if (found?.range) {
    const pos = source.lines.linePos(found.range[0]);
    return { line: pos.line, column: pos.col };
  }
  return source.locate(path);
}
