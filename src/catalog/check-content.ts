/**
 * @module The content check behind `flows check`: every problem of `loadCatalog`, plus warnings
 * (the content is still served, but an editor should act): entries whose facts were last checked
 * too long ago, facts with no source, conditional documents the checklist cannot decide, replaced
 * legal texts cited as current (`replaced-documents.yaml`), aliases that lead to another entry
 * and phrases of `distinct-procedures.yaml` that reach a look-alike, and a holiday list that
 * misses next year.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { readYamlFile, zodProblems, type YamlSource } from '../flow/yaml-source.js';
import { aliasWarnings, distinctProceduresSchema, distinctWarnings } from './alias-check.js';
import { createFinder } from './finder.js';
import { catalogLinks, checkLinkOffline } from './link-report.js';
import { loadCatalog, isoDay, type Problem } from './load-catalog.js';
import { replacedCitations, replacedDocumentsSchema } from './replaced-documents.js';
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
  const display = (path: string) => relative(join(dir, '..'), path);
  const replaced = readTable(join(dir, 'replaced-documents.yaml'), display, replacedDocumentsSchema, problems);
  const distinct = readTable(join(dir, 'distinct-procedures.yaml'), display, distinctProceduresSchema, problems);
  const finder = catalog ? createFinder(catalog) : undefined;
  const byEntry = new Map<string, { path: PropertyKey[]; message: string }[]>();
  for (const warning of finder && catalog ? aliasWarnings(catalog.entries, finder) : []) {
    byEntry.set(warning.entry as string, [...(byEntry.get(warning.entry as string) ?? []), warning]);
  }
  for (const entry of catalog?.entries ?? []) {
    const file = catalog?.files.get(entry.id) ?? entry.id;
    const found = [...entryWarnings(entry), ...(replaced ? replacedCitations(entry, replaced.value, today) : []), ...(byEntry.get(entry.id) ?? []), ...linkWarnings(entry)];
    if (found.length === 0) continue;
    const source = readYamlFile(join(dir, 'procedures', `${entry.id}.yaml`), file).source;
    for (const { path, message } of found) {
      const { line, column } = source?.locate(path) ?? { line: 1, column: 1 };
      warnings.push({ file, line, column, where: `entry ${entry.id}`, message });
    }
  }
  if (distinct && finder && catalog) {
    for (const { path, message } of distinctWarnings(distinct.value, finder, new Set(catalog.byId.keys()))) {
      const { line, column } = distinct.source.locate(path);
      warnings.push({ file: distinct.source.file, line, column, where: 'distinct-procedures', message });
    }
  }
  if (catalog) warnings.push(...holidayWarnings(catalog.unit.holiday_years, today, join(dir, 'unit.yaml'), relative(join(dir, '..'), join(dir, 'unit.yaml'))));
  return { problems, stale, warnings };
}

/**
 * The Government announces a year's days off in the autumn before it: from October, a unit file
 * without next year's days (or any year without this year's) gets a reminder.
 */
function holidayWarnings(years: Record<string, unknown>, today: string, path: string, file: string): Problem[] {
  const year = Number(today.slice(0, 4));
  const wanted = [year, ...(Number(today.slice(5, 7)) >= 10 ? [year + 1] : [])].filter((y) => !(String(y) in years));
  if (wanted.length === 0) return [];
  const { line, column } = readYamlFile(path, file).source?.locate(['holidays']) ?? { line: 1, column: 1 };
  return wanted.map((y) => ({ file, line, column, where: 'unit', message: `holidays: no days listed for ${y} (add the Government's notice; Tết and Giỗ Tổ are computed meanwhile)` }));
}

/** The citizen-facing links of an entry whose form is wrong or retired (`content links` says more). */
function linkWarnings(entry: CatalogEntry): { path: PropertyKey[]; message: string }[] {
  return catalogLinks([entry])
    .filter((link) => !link.field.startsWith('source'))
    .flatMap((link) => {
      const finding = checkLinkOffline(link);
      // A link without its `link:` record is listed by `content links`; here only wrong forms.
      if (finding.severity === 'ok' || (finding.severity === 'warning' && !link.link)) return [];
      const path = link.field === 'online.url' ? ['online', 'url'] : ['cases', (entry.cases ?? []).findIndex((c) => link.field === `cases.${c.id}.online.url`), 'online', 'url'];
      return [{ path, message: `${link.field}: ${finding.message ?? 'link to check'} (npm run cli -- content links)` }];
    });
}

/** An optional content table, validated; problems go to `problems`, and a missing file is no table. */
function readTable<S extends z.ZodType>(path: string, display: (path: string) => string, schema: S, problems: Problem[]): { value: z.infer<S>; source: YamlSource } | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = readYamlFile(path, display(path));
  problems.push(...parsed.problems);
  if (!parsed.source) return undefined;
  const result = schema.safeParse(parsed.source.value);
  if (!result.success) {
    problems.push(...zodProblems(parsed.source, result.error, display(path)));
    return undefined;
  }
  return { value: result.data, source: parsed.source };
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
