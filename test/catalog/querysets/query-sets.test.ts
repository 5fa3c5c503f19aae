/**
 * @module The finder's query sets (issue 15) are well formed and stay apart from one another. The
 * sets measured and then tuned on are training data of the question model now
 * (`content/questions/`); the held-out sets stay here, and no line of theirs is a training line.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/load-catalog.js';
import { foldText } from '../../../src/catalog/normalise-vietnamese.js';
import { REAL_CONTENT_DIR } from '../catalog-fixture.js';

// This test checks the shape of the sets, never the finder's score on them: the untuned sets must
// not be used for tuning, and a failing score here would be a reason to look at their lines.
const KINDS = ['long', 'paraphrase', 'english', 'near-oos'] as const;
// fresh, heldoutN: written after the finder was tuned by a session that never saw it (README).
const SPLITS = ['tune', 'untuned', 'fresh', 'heldout3', 'heldout4', 'heldout5', 'heldout6', 'heldout7', 'heldout8', 'heldout9', 'heldout10', 'heldout11', 'heldout12', 'heldout13', 'heldout14', 'heldout15', 'heldout16', 'heldout17', 'heldout18', 'heldout19', 'heldout20', 'heldout21', 'heldout22', 'heldout23', 'heldout24', 'heldout25', 'heldout26', 'heldout27', 'heldout28', 'heldout29', 'heldout30', 'heldout31'] as const;
/** The splits still held out (never trained on): they live here, not in content/questions. */
const HELD_OUT: readonly string[] = ['heldout28', 'heldout29', 'heldout30', 'heldout31'];
const QUESTIONS_DIR = join(REAL_CONTENT_DIR, 'questions');
const tsv = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.tsv')) : []);
/** Written after the last round and never run: checked for shape here, measured once later (README). */
const SEALED_DIR = join(import.meta.dirname, 'sealed');
const sealed = tsv(SEALED_DIR).map((f) => `sealed/${f}`);
const pathOf = (file: string) => (existsSync(join(import.meta.dirname, file)) ? join(import.meta.dirname, file) : join(QUESTIONS_DIR, file));
const MIN_QUESTIONS = 100;

interface QueryLine {
  file: string;
  line: number;
  query: string;
  accepted: string[];
}

function readSet(file: string): { header: string; lines: QueryLine[] } {
  const text = readFileSync(pathOf(file), 'utf8');
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
  it('holds every split of each kind: the held-out ones here, the ones trained on in content/questions', () => {
    expect(tsv(import.meta.dirname).sort()).toEqual(sets.filter((s) => HELD_OUT.includes(s.split)).map((s) => s.file).sort());
    expect(tsv(QUESTIONS_DIR).filter((f) => SPLITS.some((split) => f.startsWith(`${split}-`))).sort()).toEqual(sets.filter((s) => !HELD_OUT.includes(s.split)).map((s) => s.file).sort());
  });

  it.each(sealed.length > 0 ? sealed : ['(none)'])('sealed set %s: at least 100 questions with catalog ids or "-", and a header saying how it was written', (file) => {
    if (file === '(none)') return;
    const { header, lines } = readSet(file);
    expect(lines.length).toBeGreaterThanOrEqual(MIN_QUESTIONS);
    expect(header).toMatch(/written after the finder was tuned/i);
    expect(header).toMatch(/Written by:/);
    for (const l of lines) for (const id of l.accepted) expect(ids, `${file}:${l.line} names unknown id ${id}`).toContain(id);
  });

  it('every training file of content/questions has a header saying who wrote it', () => {
    for (const file of tsv(QUESTIONS_DIR)) expect(readSet(file).header, file).toMatch(/Written by:/);
  });

  it.each(sets)('$file: at least 100 questions, each labelled with catalog ids or "-", header says how it was written', ({ file }) => {
    const { header, lines } = readSet(file);
    expect(lines.length).toBeGreaterThanOrEqual(MIN_QUESTIONS);
    expect(header).toMatch(/^(fresh|heldout\d+)-/.test(file) ? /written after the finder was tuned/i : /written before any tuning/i);
    expect(header).toMatch(/Written by:/);
    for (const l of lines) {
      for (const id of l.accepted) expect(ids, `${file}:${l.line} names unknown id ${id}`).toContain(id);
      expect(new Set(l.accepted).size, `${file}:${l.line} repeats an id`).toBe(l.accepted.length);
    }
  });

  it('never asks the same question twice, across all sets and training files, with or without accents', () => {
    const seen = new Map<string, string>();
    for (const file of [...new Set([...sets.map((s) => s.file), ...tsv(QUESTIONS_DIR), ...sealed])]) {
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
