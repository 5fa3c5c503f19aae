/**
 * @module `npm run cli -- find [--jsonl] [query]`: the finder from the command line. With
 * `--jsonl`, each stdin line is a query and stdout gets exactly one JSON object per line
 * (`{"query", "results": [{"id","name","score"}]}`, at most 5, best first, [] when out of scope)
 * and nothing else; without it, a readable list. Streams are parameters so tests feed it text.
 */
import { createInterface } from 'node:readline';
import { createFinder } from '../../catalog/finder.js';
import { loadCatalog } from '../../catalog/load-catalog.js';
import type { FindAnswer, Finder } from '../../catalog/types.js';
import { formatProblem } from '../../flow/yaml-source.js';

const USAGE = 'usage: find [--jsonl] [query]   (no query: one query per line on stdin)';

/**
 * Runs the `find` command; resolves to the exit code (0 ok, 1 catalog unusable, 2 bad usage).
 * Content problems are reported on `errors` and the finder still runs on the entries that
 * loaded, so a half-written entry does not stop anyone searching the rest.
 */
export async function runFind(
  args: string[],
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  catalogDir: string,
  errors: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const jsonl = args.includes('--jsonl');
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--jsonl');
  if (unknown.length > 0) {
    errors.write(`unknown option ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const query = args.filter((a) => a !== '--jsonl').join(' ');

  const { catalog, problems } = loadCatalog(catalogDir, { allowProblems: true });
  for (const p of problems) errors.write(`${formatProblem(p)}\n`);
  if (!catalog) {
    errors.write('find: the catalog could not be loaded\n');
    return 1;
  }
  const finder = createFinder(catalog);
  const answer = (q: string) => output.write(jsonl ? jsonLine(q, finder) : readable(q, finder.find(q)));

  if (query.trim()) {
    answer(query);
    return 0;
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) answer(line);
  return 0;
}

function jsonLine(query: string, finder: Finder): string {
  return `${JSON.stringify({ query, results: finder.search(query, 5) })}\n`;
}

const OUTCOME_LABEL: Record<FindAnswer['outcome'], string> = {
  confident: 'khớp rõ',
  ambiguous: 'chưa chắc, cần hỏi lại',
  none: 'không có thủ tục phù hợp',
};

function readable(query: string, answer: FindAnswer): string {
  const lines = [`« ${query} » → ${OUTCOME_LABEL[answer.outcome]}`];
  answer.results.forEach((r, i) => lines.push(`  ${i + 1}. ${r.name}  [${r.id}]  ${r.score}`));
  return `${lines.join('\n')}\n`;
}
