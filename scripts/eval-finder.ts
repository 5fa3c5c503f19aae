/**
 * @module `npm run eval:finder [queries.tsv]`: top-1, top-3 and out-of-scope rejection of the
 * finder and of the naive baseline on a set of citizens' queries (default: the shared dev set).
 * Each line: query TAB accepted ids (comma-separated; "-" = out of scope). `--verbose` lists misses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
const file = args.find((a) => !a.startsWith('--')) ?? '/work/shared/eval/dev-queries.tsv';
const contentDir = join(import.meta.dirname, '..', 'content');

const { catalog, problems } = loadCatalog(contentDir, { allowProblems: true });
for (const p of problems) console.error(`warning: ${formatProblem(p)}`);
if (!catalog) {
  console.error('cannot evaluate: the catalog did not load');
  process.exit(1);
}

const cases: Case[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((line) => {
    const [query = '', ids = '-'] = line.split('\t');
    return { query, accepted: ids.trim() === '-' ? [] : ids.split(',').map((s) => s.trim()) };
  });
const missing = new Set(cases.flatMap((c) => c.accepted).filter((id) => !catalog.byId.has(id)));
console.log(`${cases.length} queries from ${file}; catalog has ${catalog.entries.length} entries`);
if (missing.size > 0) console.log(`note: ids not in the catalog yet (their queries count as misses): ${[...missing].join(', ')}`);

function evaluate(label: string, finder: Finder): void {
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
  console.log(
    `${label.padEnd(8)} top-1 ${pct(top1, inScope)} (${top1}/${inScope})  top-3 ${pct(top3, inScope)} (${top3}/${inScope})  out-of-scope rejected ${rejected}/${outOfScope}`,
  );
  if (verbose) for (const m of misses) console.log(m);
}

evaluate('finder', createFinder(catalog));
evaluate('baseline', createNaiveFinder(catalog));
