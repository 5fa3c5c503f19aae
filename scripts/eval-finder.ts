/**
 * @module `npm run eval:finder [queries.tsv ...]`: top-1, top-3 and out-of-scope rejection of the
 * finder and of the naive baseline, set by set (default: every set of test/catalog/querysets/,
 * the held-out sets of test/catalog/ and the shared dev set). Each line: query TAB accepted ids
 * (comma-separated; "-" = out of scope). `--verbose` lists misses (never on an untuned set
 * before tuning is over: see test/catalog/querysets/README.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createFinder } from '../src/catalog/finder.js';
import { loadCatalog } from '../src/catalog/load-catalog.js';
import { createNaiveFinder } from '../src/catalog/naive-finder.js';
import type { Finder } from '../src/catalog/types.js';
import { formatProblem } from '../src/flow/yaml-source.js';

interface Case {
  query: string;
  accepted: string[];
}

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
// --lexical: the finder without its question model; --hold FILE: train the model without FILE's
// questions (a set measured while it is also training data would say nothing).
const lexical = args.includes('--lexical');
const held = args.flatMap((a, i) => (args[i - 1] === '--hold' ? [a] : []));
const root = join(import.meta.dirname, '..');
const contentDir = join(root, 'content');
const setsOf = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.tsv')).sort().map((f) => join(dir, f)) : []);
const given = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--hold');
const files =
  given.length > 0
    ? given
    : [...setsOf(join(root, 'test/catalog/querysets')), ...setsOf(join(root, 'content/questions')), ...setsOf(join(root, 'test/catalog')), '/work/shared/eval/dev-queries.tsv'].filter((f) => existsSync(f));

const { catalog, problems } = loadCatalog(contentDir, { allowProblems: true });
for (const p of problems) console.error(`warning: ${formatProblem(p)}`);
if (!catalog) {
  console.error('cannot evaluate: the catalog did not load');
  process.exit(1);
}

function casesOf(file: string): Case[] {
  return readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((line) => {
    const [query = '', ids = '-'] = line.split('\t');
      return { query, accepted: ids.trim() === '-' ? [] : ids.split(',').map((s) => s.trim()) };
    });
}

function evaluate(label: string, finder: Finder, cases: Case[]): string {
  let inScope = 0;
  let top1 = 0;
  let top3 = 0;
  let outOfScope = 0;
  let rejected = 0;
  const misses: string[] = [];
  for (const c of cases) {
    const ids = finder.search(c.query, 5).map((r) => r.id);
    if (c.accepted.length === 0) {
      outOfScope++;
      if (ids.length === 0) rejected++;
      else misses.push(`  OOS  ${c.query} → ${ids.slice(0, 3).join(', ')}`);
      continue;
    }
    inScope++;
    const hit1 = c.accepted.includes(ids[0] ?? '');
    const hit3 = ids.slice(0, 3).some((id) => c.accepted.includes(id));
    if (hit1) top1++;
    if (hit3) top3++;
    if (!hit1) misses.push(`  ${hit3 ? 'top3' : 'MISS'} ${c.query} (want ${c.accepted.join('|')}) → ${ids.slice(0, 3).join(', ') || '[]'}`);
  }
  const pct = (n: number, d: number) => `${d === 0 ? '-' : ((100 * n) / d).toFixed(1)}%`;
  if (verbose) {
    console.log(`${label}:`);
    for (const m of misses) console.log(m);
  }
  return `top-1 ${pct(top1, inScope).padStart(6)} (${top1}/${inScope})`.padEnd(24) + `top-3 ${pct(top3, inScope).padStart(6)}`.padEnd(14) + `OOS ${rejected}/${outOfScope}`.padEnd(10);
}

const heldOut = new Set(held.flatMap((file) => casesOf(file).map((c) => c.query.trim())));
const questions = lexical ? [] : (catalog.questions ?? []).filter((q) => !heldOut.has(q.text));
const trained = new Set(questions.map((q) => q.text));
const finder = createFinder({ ...catalog, questions });
const naive = createNaiveFinder(catalog);
console.log(`catalog: ${catalog.entries.length} entries; OOS = out-of-scope queries rejected`);
console.log(lexical ? 'finder: lexical only (--lexical)' : `finder: with its question model, trained on ${questions.length} labelled questions${held.length > 0 ? ` (held out: ${held.map((f) => basename(f)).join(', ')})` : ''}`);
console.log(`${'set'.padEnd(34)}${'finder'.padEnd(48)}| baseline (names only)`);
for (const file of files) {
  const cases = casesOf(file);
  const missing = new Set(cases.flatMap((c) => c.accepted).filter((id) => !catalog.byId.has(id)));
  if (missing.size > 0) console.log(`note: ids not in the catalog (their queries count as misses): ${[...missing].join(', ')}`);
  // A set the model learnt from is marked: its figures are training figures, not a measurement.
  const name = basename(file, '.tsv') + (cases.some((c) => trained.has(c.query.trim())) ? ' (trained)' : '');
  const mine = evaluate(`${name}: finder`, finder, cases);
  const theirs = evaluate(`${name}: baseline`, naive, cases);
  console.log(`${name.padEnd(34)}${mine.padEnd(48)}| ${theirs}`);
}
