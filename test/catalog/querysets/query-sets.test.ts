/** @module The finder's evaluation query sets (issue 15) are well formed and stay apart from one another */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/load-catalog.js';
import { foldText } from '../../../src/catalog/normalise-vietnamese.js';
import { REAL_CONTENT_DIR } from '../catalog-fixture.js';

// This test checks the shape of the sets, never the finder's score on them: the untuned sets must
// not be used for tuning, and a failing score here would be a reason to look at their lines.
const KINDS = ['long', 'paraphrase', 'english', 'near-oos'] as const;
// fresh: written after the finder was tuned by a session that never saw it, measured once (README).
const SPLITS = ['tune', 'untuned', 'fresh', 'heldout3', 'heldout4'] as const;
const MIN_QUESTIONS = 100;

interface QueryLine {
  file: string;
  line: number;
  query: string;
  accepted: string[];
}

function readSet(file: string): { header: string; lines: QueryLine[] } {
  const text = readFileSync(join(import.meta.dirname, file), 'utf8');
  const header = text
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .join('\n');
  const lines = text.split('\n').flatMap((raw, i) => {
    if (!raw.trim() || raw.startsWith('#')) return [];
    const [query = '', ids = '', ...rest] = raw.split('\t');
    // A stray tab or an empty label would silently become an out-of-scope line in eval:finder.
    if (rest.length > 0 || !query.trim() || !ids.trim()) throw new Error(`${file}:${i + 1}: expected "query TAB ids", got ${JSON.stringify(raw)}`);
    return [{ file, line: i + 1, query, accepted: ids === '-' ? [] : ids.split(',') }];
  });
  return { header, lines };
}

const { catalog } = loadCatalog(REAL_CONTENT_DIR, { allowProblems: true });
const ids = [...(catalog?.byId.keys() ?? [])];
const sets = SPLITS.flatMap((split) => KINDS.map((kind) => ({ split, kind, file: `${split}-${kind}.tsv` })));

describe('query sets for the finder (test/catalog/querysets)', () => {
  it('holds exactly the tune, untuned, fresh, heldout3 and heldout4 set of each kind', () => {
    const files = readdirSync(import.meta.dirname).filter((f) => f.endsWith('.tsv'));
    expect(files.sort()).toEqual(sets.map((s) => s.file).sort());
  });

  it.each(sets)('$file: at least 100 questions, each labelled with catalog ids or "-", header says how it was written', ({ file }) => {
    const { header, lines } = readSet(file);
    expect(lines.length).toBeGreaterThanOrEqual(MIN_QUESTIONS);
    expect(header).toMatch(/^(fresh|heldout\d)-/.test(file) ? /written after the finder was tuned/i : /written before any tuning/i);
    expect(header).toMatch(/Written by:/);
    for (const l of lines) {
      for (const id of l.accepted) expect(ids, `${file}:${l.line} names unknown id ${id}`).toContain(id);
      expect(new Set(l.accepted).size, `${file}:${l.line} repeats an id`).toBe(l.accepted.length);
    }
  });

  it('never asks the same question twice, across all sets, with or without accents', () => {
    const seen = new Map<string, string>();
    for (const { file } of sets) {
      for (const l of readSet(file).lines) {
        const key = foldText(l.query);
        expect(seen.get(key), `${file}:${l.line} repeats ${seen.get(key)}`).toBeUndefined();
        seen.set(key, `${file}:${l.line}`);
      }
    }
  });

  it.each(SPLITS)('%s-english.tsv asks about every catalog entry and has out-of-scope lines', (split) => {
    const lines = readSet(`${split}-english.tsv`).lines;
    const asked = new Set(lines.flatMap((l) => l.accepted));
    expect(ids.filter((id) => !asked.has(id))).toEqual([]);
    expect(lines.filter((l) => l.accepted.length === 0).length).toBeGreaterThanOrEqual(10);
  });

  it.each(SPLITS)('%s-near-oos.tsv is mostly out of scope, with about a quarter in-scope look-alikes', (split) => {
    const lines = readSet(`${split}-near-oos.tsv`).lines;
    const inScope = lines.filter((l) => l.accepted.length > 0).length / lines.length;
    expect(inScope).toBeGreaterThanOrEqual(0.2);
    expect(inScope).toBeLessThanOrEqual(0.35);
  });

  it.each(SPLITS)('%s long and paraphrase sets reach every catalog entry', (split) => {
    for (const kind of ['long', 'paraphrase']) {
      const asked = new Set(readSet(`${split}-${kind}.tsv`).lines.flatMap((l) => l.accepted));
      expect(ids.filter((id) => !asked.has(id)), `${split}-${kind}.tsv`).toEqual([]);
    }
  });
});
