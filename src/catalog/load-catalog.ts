/**
 * @module Loads and validates the catalog in a content directory: `unit.yaml`,
 * `procedures/*.yaml` and `synonyms.yaml`. Every problem names its file, line and column, so
 * `flows check` and server start can refuse broken content with a message an editor can act on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { z } from 'zod';
import { readYamlFile, zodProblems, type Problem, type YamlSource } from '../flow/yaml-source.js';
import { catalogEntrySchema, synonymsSchema, unitSchema } from './schema.js';
import type { Synonyms } from './text-analyser.js';
import { englishProblems } from './english-check.js';
import { numbersOf } from '../engine/numbers.js';
import { fold } from '../engine/fold.js';
import { holidayCalendar, misplacedDates } from './holidays.js';
import { notWhenCases, type CatalogEntry, type Unit, type UnitFile } from './types.js';

export type { Problem } from '../flow/yaml-source.js';
export type { Synonyms } from './text-analyser.js';

/** A validated catalog. Entries are sorted by id; `byId` indexes the same objects. */
export interface Catalog {
  entries: CatalogEntry[];
  byId: ReadonlyMap<string, CatalogEntry>;
  unit: Unit;
  synonyms: Synonyms;
  /** Entry id → the file it came from, as problems name it (`content/procedures/<id>.yaml`). */
  files: ReadonlyMap<string, string>;
  /**
   * Citizens' questions labelled with the entries that answer them (`content/questions/*.tsv`):
   * what the finder's question model learns from. Absent or empty: the finder is lexical only.
   */
  questions?: readonly LabelledQuestion[];
}

/** A question and the entries that answer it; no ids = out of scope (labelled `-`). */
export interface LabelledQuestion {
  text: string;
  ids: readonly string[];
}

export interface LoadCatalogOptions {
  /**
   * The date entries are checked against (a `reviewed_on` after it is a mistake). Defaults to
   * the current UTC date; tests inject one.
   */
  today?: Date | string;
  /**
   * Return a catalog of the files that did validate even when others did not. Only for tools
   * (eval, find) that should keep working while content is being written; the server and
   * `flows check` must leave this off and refuse content with problems.
   */
  allowProblems?: boolean;
}

export interface LoadCatalogResult {
  /** Present when there are no problems (or when `allowProblems` is set). */
  catalog?: Catalog;
  problems: Problem[];
}

/**
 * Reads `<dir>/unit.yaml`, `<dir>/procedures/*.yaml` and `<dir>/synonyms.yaml` (optional).
 * Checks each file against its schema, that an entry's id equals its file name, that ids are
 * unique, that URLs are https, and that dates are real and not after `today`. File names in
 * problems are relative to `dir`'s parent (e.g. `content/procedures/khai-sinh.yaml`).
 */
export function loadCatalog(dir: string, options: LoadCatalogOptions = {}): LoadCatalogResult {
  const today = isoDay(options.today ?? new Date());
  const display = (file: string) => relative(join(dir, '..'), file) || file;
  const problems: Problem[] = [];

  const unitFile = readValidated(join(dir, 'unit.yaml'), display, unitSchema, 'unit', problems);
  const unit = unitFile && toUnit(unitFile, Number(today.slice(0, 4)), join(dir, 'unit.yaml'), display, problems);

  const synonymsFile = join(dir, 'synonyms.yaml');
  const synonymsRaw = listFiles(dir).includes('synonyms.yaml')
    ? readValidated(synonymsFile, display, synonymsSchema, 'synonyms', problems)
    : synonymsSchema.parse({});
  const synonyms = synonymsRaw ? toSynonyms(synonymsRaw) : toSynonyms(synonymsSchema.parse({}));

  const procedureDir = join(dir, 'procedures');
  const names = listFiles(procedureDir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (names.length === 0) {
    problems.push({ file: display(procedureDir), line: 1, column: 1, where: '', message: 'no procedure entries (*.yaml) found' });
  }
  const entries: CatalogEntry[] = [];
  const files = new Map<string, string>();
  const firstFileOfId = new Map<string, string>();
  const fileIds = new Set(names.map((name) => basename(name).replace(/\.ya?ml$/, '')));
  for (const name of names) {
    const file = join(procedureDir, name);
    const fileId = basename(name).replace(/\.ya?ml$/, '');
    const parsed = readYamlFile(file, display(file));
    problems.push(...parsed.problems);
    const source = parsed.source;
    if (!source) continue;
    const where = `entry ${fileId}`;
    const result = catalogEntrySchema.safeParse(source.value);
    if (!result.success) {
      problems.push(...locatedZodProblems(source, result.error, where));
      continue;
    }
    const entry = result.data;
    const before = problems.length;
    if (entry.id !== fileId) {
      problems.push(at(source, ['id'], where, `id "${entry.id}" must equal the file name "${fileId}"`));
    }
    const other = firstFileOfId.get(entry.id);
    if (other) problems.push(at(source, ['id'], where, `duplicate id "${entry.id}" (also in ${other})`));
    else firstFileOfId.set(entry.id, source.file);
    notWhenCases(entry).forEach(({ see }, i) => {
      if (see !== undefined && (see === entry.id || !fileIds.has(see))) {
        problems.push(at(source, Array.isArray(entry.not_when) ? ['not_when', i, 'see'] : ['not_when', 'see'], where, `not_when.see: "${see}" is not another entry of the catalog`));
      }
    });
    if (entry.reviewed_on > today) {
      problems.push(at(source, ['reviewed_on'], where, `reviewed_on ${entry.reviewed_on} is in the future (today is ${today})`));
    }
    for (const problem of [...referenceProblems(entry), ...englishProblems(entry)]) problems.push(at(source, problem.path, where, problem.message));
    if (problems.length === before || options.allowProblems) {
      entries.push(entry);
      if (!files.has(entry.id)) files.set(entry.id, source.file);
    }
  }

  const questions = readQuestions(join(dir, 'questions'), display, new Set(entries.map((e) => e.id)), problems);

  if ((problems.length > 0 && !options.allowProblems) || !unit) return { problems };
  entries.sort((a, b) => a.id.localeCompare(b.id));
  const byId = new Map<string, CatalogEntry>();
  for (const entry of entries) if (!byId.has(entry.id)) byId.set(entry.id, entry);
  return { catalog: { entries: [...byId.values()], byId, unit, synonyms, files, questions }, problems };
}

/**
 * `<dir>/*.tsv`, each line `question TAB ids` (comma-separated; `-` = out of scope), `#` lines
 * are comments. An id no entry has is a problem at its line.
 */
function readQuestions(dir: string, display: (file: string) => string, ids: ReadonlySet<string>, problems: Problem[]): LabelledQuestion[] {
  const questions: LabelledQuestion[] = [];
  for (const name of listFiles(dir).filter((f) => f.endsWith('.tsv')).sort()) {
    const file = join(dir, name);
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim() || line.startsWith('#')) return;
        const [text = '', labels = ''] = line.split('\t');
        const where = `question ${i + 1}`;
        const problem = (message: string) => problems.push({ file: display(file), line: i + 1, column: 1, where, message });
        if (!text.trim() || !labels.trim()) return problem('a question line is `question TAB ids` (ids comma-separated, `-` = out of scope)');
        const listed = labels.trim() === '-' ? [] : labels.split(',').map((id) => id.trim());
        const unknown = listed.filter((id) => !ids.has(id));
        if (unknown.length > 0) return problem(`unknown entry id ${unknown.map((id) => `"${id}"`).join(', ')}`);
        questions.push({ text: text.trim(), ids: listed });
      });
  }
  return questions;
}

/**
 * The links inside one entry: document ids unique, `if` naming a condition, `instead_of` naming an
 * earlier document, each condition used, case ids unique.
 */
function referenceProblems(entry: CatalogEntry): { path: PropertyKey[]; message: string }[] {
  const found: { path: PropertyKey[]; message: string }[] = [];
  const conditions = new Set((entry.conditions ?? []).map((c) => c.id));
  const used = new Set<string>();
  const earlier = new Set<string>();
  entry.documents.forEach((doc, i) => {
    const path = ['documents', i];
    if (doc.id !== undefined) {
      if (earlier.has(doc.id)) found.push({ path: [...path, 'id'], message: `duplicate document id "${doc.id}"` });
    }
    const deciders = [doc.if, doc.instead_of, doc.on_request ? true : undefined, doc.at_desk ? true : undefined].filter((d) => d !== undefined);
    if (deciders.length > 1) found.push({ path, message: 'a document takes one of `if`, `instead_of`, `on_request` or `at_desk`, not several' });
    if (doc.if !== undefined) {
      used.add(doc.if);
      if (!conditions.has(doc.if)) found.push({ path: [...path, 'if'], message: `unknown condition "${doc.if}" (conditions: ${[...conditions].join(', ') || 'none'})` });
    }
    if (doc.instead_of !== undefined && !earlier.has(doc.instead_of)) {
      found.push({ path: [...path, 'instead_of'], message: `instead_of "${doc.instead_of}" must name the id of an earlier document` });
    }
    if (doc.id !== undefined) earlier.add(doc.id);
  });
  (entry.conditions ?? []).forEach((condition, i) => {
    if (!used.has(condition.id)) found.push({ path: ['conditions', i, 'id'], message: `condition "${condition.id}" is used by no document` });
  });
  const cases = new Set<string>();
  (entry.cases ?? []).forEach((c, i) => {
    if (cases.has(c.id)) found.push({ path: ['cases', i, 'id'], message: `duplicate case id "${c.id}"` });
    cases.add(c.id);
  });
  return found;
}

/** Computed holidays are listed from last year to this many years ahead (a server runs for years). */
const HOLIDAY_YEARS_AHEAD = 10;

/** The unit as the rest of the code reads it: the holiday list computed (see catalog/holidays.ts). */
function toUnit(file: UnitFile, year: number, path: string, display: (file: string) => string, problems: Problem[]): Unit | undefined {
  const misplaced = misplacedDates(file.holidays);
  const orphanNames = file.former_names !== undefined && file.former_names.length > 0 && file.formed === undefined;
  const english = unitEnglishProblems(file);
  if (misplaced.length > 0 || orphanNames || english.length > 0) {
    const source = readYamlFile(path, display(path)).source;
    for (const { path: where, message } of english) if (source) problems.push(at(source, where, 'unit', message));
    for (const { year: listed, field, index, date } of misplaced) {
      if (source) problems.push(at(source, ['holidays', listed, field, index], 'unit', `${date} is not in ${listed} (listed under holidays."${listed}".${field})`));
    }
    if (source && orphanNames) problems.push(at(source, ['former_names'], 'unit', 'former_names: say when and by which decision the units merged (`formed: { on, by }`): citizens are told the date'));
    return undefined;
  }
  const holidays = holidayCalendar({ years: file.holidays, opening: file.opening, from: year - 1, to: year + HOLIDAY_YEARS_AHEAD });
  return { ...file, holidays, holiday_years: file.holidays };
}

/**
 * The unit's English (`en:`) states the same hours as the Vietnamese, and keeps the Vietnamese
 * name of the desk and the address in brackets: that is what the citizen reads on the door.
 */
function unitEnglishProblems(file: UnitFile): { path: PropertyKey[]; message: string }[] {
  const en = file.en;
  if (!en) return [];
  const found: { path: PropertyKey[]; message: string }[] = [];
  for (const field of ['days', 'hours', 'text'] as const) {
    const english = en.office_hours?.[field];
    if (english !== undefined && numbersOf(english).join(' ') !== numbersOf(file.office_hours[field]).join(' ')) {
      found.push({ path: ['en', 'office_hours', field], message: `en.office_hours.${field} states other numbers than office_hours.${field}: the hours are the same fact in both languages` });
    }
  }
  for (const field of ['desk', 'address'] as const) {
    const english = en[field];
    if (english !== undefined && ![...english.matchAll(/\(([^()]+)\)/g)].some((m) => fold(file[field]).includes(fold(m[1] as string)))) {
      found.push({ path: ['en', field], message: `en.${field} keeps no Vietnamese name in brackets ("one-stop desk (Bộ phận Tiếp nhận và Trả kết quả)")` });
    }
  }
  return found;
}

/** `today` as YYYY-MM-DD (UTC for a Date). */
export function isoDay(today: Date | string): string {
  return typeof today === 'string' ? today : today.toISOString().slice(0, 10);
}

function readValidated<S extends z.ZodType>(
  file: string,
  display: (file: string) => string,
  schema: S,
  where: string,
  problems: Problem[],
): z.infer<S> | undefined {
  const parsed = readYamlFile(file, display(file));
  problems.push(...parsed.problems);
  if (!parsed.source) return undefined;
  const result = schema.safeParse(parsed.source.value);
  if (!result.success) {
    problems.push(...locatedZodProblems(parsed.source, result.error, where));
    return undefined;
  }
  return result.data;
}

/** Like `zodProblems`, but an unknown key is reported at the key itself, one problem per key. */
function locatedZodProblems(source: YamlSource, error: z.ZodError, where: string): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        problems.push(at(source, path, where, `${path.join('.')}: unknown field (a typo, or a field this version does not know)`));
      }
    } else {
      problems.push(...zodProblems(source, { issues: [issue] } as z.ZodError, where));
    }
  }
  return problems;
}

function at(source: YamlSource, path: ReadonlyArray<PropertyKey>, where: string, message: string): Problem {
  const { line, column } = source.locate(path);
  return { file: source.file, line, column, where, message };
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function toSynonyms(raw: z.infer<typeof synonymsSchema>): Synonyms {
  const lists = (record: Record<string, string | string[]>) =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, Array.isArray(value) ? value : [value]]));
  return { abbreviations: lists(raw.abbreviations), phrases: lists(raw.phrases), stopwords: raw.stopwords, weak: raw.weak, outside: raw.outside, beyond: raw.beyond };
}
