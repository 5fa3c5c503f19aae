/**
 * @module The content check behind `flows check`: every problem of `loadCatalog`, plus warnings
 * (the content is still served, but an editor should act): entries whose facts were last checked
 * too long ago, facts with no source, conditional documents the checklist cannot decide, replaced
 * legal texts cited as current (`replaced-documents.yaml`), aliases that lead to another entry
 * and phrases of `distinct-procedures.yaml` that reach a look-alike, a holiday list that misses
 * next year, text that contradicts the entry's online level ("toàn bộ trực tuyến" on an entry the
 * citizen must still visit: the card would say both), and hearsay ("được cho là") outside
 * `unverified`.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { readYamlFile, zodProblems, type YamlSource } from '../flow/yaml-source.js';
import { aliasWarnings, distinctProceduresSchema, distinctWarnings } from './alias-check.js';
import { createFinder } from './finder.js';
import { catalogLinks, checkLinkOffline } from './link-report.js';
import { loadCatalog, isoDay, type Problem } from './load-catalog.js';
import { loadPhrasebook, type Phrasebook } from './load-phrasebook.js';
import { replacedCitations, replacedDocumentsSchema } from './replaced-documents.js';
import { FACT_FIELDS, type CatalogEntry, type OnlineLevel } from './types.js';

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
  const { phrasebook, problems: phrasebookProblems } = loadPhrasebook(dir, catalog);
  problems.push(...phrasebookProblems);
  for (const entry of catalog?.entries ?? []) {
    const file = catalog?.files.get(entry.id) ?? entry.id;
    const found = [...entryWarnings(entry, phrasebook.checks), ...(replaced ? replacedCitations(entry, replaced.value, today) : []), ...(byEntry.get(entry.id) ?? []), ...linkWarnings(entry)];
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
export function entryWarnings(entry: CatalogEntry, checks?: Phrasebook['checks']): { path: PropertyKey[]; message: string }[] {
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
  if (checks) found.push(...onlineContradictions(entry, checks), ...hedges(entry, checks));
  return found;
}

type Finding = { path: PropertyKey[]; message: string };

/** Lower case, NFC, words separated by single spaces, with a space at each end (for whole-word search). */
function words(text: string): string {
  return ` ${text.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

/** Whether `text` states one of `phrases`, not turned round by a negation just before it. */
function states(text: string, phrases: string[], negations: string[]): string | undefined {
  const t = words(text);
  for (const phrase of phrases) {
    const p = words(phrase);
    for (let at = t.indexOf(p); at >= 0; at = t.indexOf(p, at + 1)) {
      // "không giải quyết hoàn toàn trực tuyến": the negation may sit a few words before.
      const before = t.slice(0, at + 1).trim().split(' ').slice(-3);
      if (!before.some((w) => negations.some((n) => words(n).trim() === w))) return phrase;
    }
  }
  return undefined;
}

/**
 * Text about filing that contradicts the online level it is shown with: per case when the entry
 * has cases (each case's own online text), else the entry's notes, online notes and steps.
 */
function onlineContradictions(entry: CatalogEntry, checks: Phrasebook['checks']): Finding[] {
  const scopes: { level: OnlineLevel; texts: { path: PropertyKey[]; text: string }[] }[] = [];
  const onlineTexts = (base: PropertyKey[], online: CatalogEntry['online']) => [
    ...(online.notes ? [{ path: [...base, 'notes'], text: online.notes }] : []),
    ...(online.steps ?? []).map((text, i) => ({ path: [...base, 'steps', i], text })),
  ];
  if (entry.cases?.length) {
    entry.cases.forEach((c, i) => {
      const online = c.online ?? entry.online;
      scopes.push({
        level: online.level,
        texts: [...(c.notes ?? []).map((text, j) => ({ path: ['cases', i, 'notes', j], text })), ...onlineTexts(c.online ? ['cases', i, 'online'] : ['online'], online)],
      });
    });
  } else {
    scopes.push({ level: entry.online.level, texts: [...(entry.notes ?? []).map((text, i) => ({ path: ['notes', i], text })), ...onlineTexts(['online'], entry.online)] });
  }
  const found: Finding[] = [];
  for (const scope of scopes) {
    for (const { path, text } of scope.texts) {
      const whollyOnline = states(text, checks.fully_online, checks.negations);
      if (whollyOnline && scope.level !== 'full') {
        found.push({ path, message: `says "${whollyOnline}" but online.level is ${scope.level}: the card would say both; split the entry into \`cases:\` (each with its own online) or fix the level` });
      }
      const inPerson = states(text, checks.in_person, checks.negations);
      if (inPerson && scope.level === 'full') {
        found.push({ path, message: `says "${inPerson}" but online.level is full: the card would say both; split the entry into \`cases:\` or fix the level` });
      }
    }
  }
  return found;
}

/** Hearsay in anything the citizen reads: state the rule and from when, or list it under `unverified`. */
function hedges(entry: CatalogEntry, checks: Phrasebook['checks']): Finding[] {
  const texts: { path: PropertyKey[]; text: string }[] = [
    { path: ['summary'], text: entry.summary },
    ...(entry.notes ?? []).map((text, i) => ({ path: ['notes', i], text })),
    ...entry.documents.flatMap((d, i) => [d.explain, d.when, d.name].flatMap((text, k) => (text ? [{ path: ['documents', i, ['explain', 'when', 'name'][k]!], text }] : []))),
    ...(entry.online.notes ? [{ path: ['online', 'notes'], text: entry.online.notes }] : []),
  ];
  const found: Finding[] = [];
  for (const { path, text } of texts) {
    const said = states(text, checks.hedges, []);
    if (said) found.push({ path, message: `"${said}" is hearsay a citizen cannot act on: state what the law says and from when (with its source), or move it under \`unverified\`` });
  }
  return found;
}

/** Whole days from one YYYY-MM-DD date to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
