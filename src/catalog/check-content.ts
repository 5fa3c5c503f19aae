/**
 * @module The content check behind `flows check`: every problem of `loadCatalog`, plus warnings
 * (the content is still served, but an editor should act): entries whose facts were last checked
 * too long ago, facts with no source, and conditional documents the checklist cannot decide.
 */
import { join } from 'node:path';
import { readYamlFile } from '../flow/yaml-source.js';
import { loadCatalog, isoDay, type Problem } from './load-catalog.js';
import { FACT_FIELDS, type CatalogEntry } from './types.js';

export interface CheckContentOptions {
  /** The date ages are measured from. */
  today: Date | string;
  /** An entry whose `reviewed_on` is more than this many days before `today` is listed as stale. */
  maxAgeDays: number;
}

export interface StaleEntry {
  id: string;
  /** Where the date is written, e.g. `content/procedures/khai-sinh.yaml`. */
  file: string;
  reviewedOn: string;
  ageDays: number;
}

export interface CheckContentResult {
  /** Errors: the content must not be served until they are fixed. */
  problems: Problem[];
  /** Warnings, oldest first. */
  stale: StaleEntry[];
  /** Other warnings, as file:line problems (facts without a source, undecidable documents...). */
  warnings: Problem[];
}

export function checkContent(dir: string, options: CheckContentOptions): CheckContentResult {
  const today = isoDay(options.today);
  // allowProblems: an entry with an unrelated error can still be reported as stale.
  const { catalog, problems } = loadCatalog(dir, { today, allowProblems: true });
  const stale: StaleEntry[] = [];
  for (const entry of catalog?.entries ?? []) {
    const ageDays = daysBetween(entry.reviewed_on, today);
    if (ageDays > options.maxAgeDays) {
      stale.push({ id: entry.id, file: catalog?.files.get(entry.id) ?? entry.id, reviewedOn: entry.reviewed_on, ageDays });
    }
  }
  stale.sort((a, b) => b.ageDays - a.ageDays || a.id.localeCompare(b.id));
  const warnings: Problem[] = [];
  for (const entry of catalog?.entries ?? []) {
    const file = catalog?.files.get(entry.id) ?? entry.id;
    const found = entryWarnings(entry);
    if (found.length === 0) continue;
    const source = readYamlFile(join(dir, 'procedures', `${entry.id}.yaml`), file).source;
    for (const { path, message } of found) {
      const { line, column } = source?.locate(path) ?? { line: 1, column: 1 };
      warnings.push({ file, line, column, where: `entry ${entry.id}`, message });
    }
  }
  return { problems, stale, warnings };
}

/** What an editor should fix in one entry that does not stop it being served. */
export function entryWarnings(entry: CatalogEntry): { path: PropertyKey[]; message: string }[] {
  const found: { path: PropertyKey[]; message: string }[] = [];
  const supported = new Set((entry.sources ?? []).flatMap((s) => s.supports));
  for (const field of FACT_FIELDS) {
    if (field === 'code' && entry.code === undefined) continue;
    if (field === 'documents' && entry.documents.length === 0) continue;
    if (!supported.has(field)) found.push({ path: [field], message: `${field}: no source supports this fact (add it to a source's \`supports\`, or list the fact under \`unverified\`)` });
  }
  entry.documents.forEach((doc, i) => {
    if (doc.when !== undefined && doc.if === undefined && doc.instead_of === undefined && !doc.on_request) {
      found.push({ path: ['documents', i, 'when'], message: 'conditional document: say how the checklist decides it (`if` a condition, `instead_of` a document, or `on_request`)' });
    }
  });
  return found;
}

/** Whole days from one YYYY-MM-DD date to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
