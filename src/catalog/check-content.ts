/**
 * @module The content check behind `flows check`: every problem of `loadCatalog`, plus the
 * entries whose facts were last checked too long ago (warnings: the content is still served,
 * but someone should re-read the source).
 */
import { loadCatalog, isoDay, type Problem } from './load-catalog.js';

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
  return { problems, stale };
}

/** Whole days from one YYYY-MM-DD date to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
