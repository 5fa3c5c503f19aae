/**
 * @module Checks an entry's English (`en:`) against its Vietnamese: lists aligned (same length,
 * same document ids, known condition and case ids), no English for a field the Vietnamese lacks,
 * the same numbers in both (a fee, a time limit, a date or an article is one fact, never
 * translated loosely), offices with their Vietnamese name in brackets; and lists the fields with
 * no English yet (shown to the citizen in Vietnamese with a note).
 */
import { fold } from '../engine/fold.js';
import { numbersOf } from '../engine/numbers.js';
import type { CatalogEntry, EnglishOnline, OnlineInfo } from './types.js';

export interface EnglishFinding {
  path: PropertyKey[];
  message: string;
}

/** A Vietnamese text and its English, with where the English is written. */
interface Pair {
  vi: string | undefined;
  en: string | undefined;
  path: PropertyKey[];
}

/** Errors: English that does not line up with the Vietnamese, or states other numbers. */
export function englishProblems(entry: CatalogEntry): EnglishFinding[] {
  const en = entry.en;
  if (!en) return [];
  const found: EnglishFinding[] = [];
  const sameLength = (path: PropertyKey[], vi: unknown[] | undefined, list: unknown[] | undefined, what: string) => {
    if (list === undefined) return;
    if (list.length !== (vi?.length ?? 0)) {
      found.push({ path, message: `en.${path.slice(1).join('.')} has ${list.length} ${what}, the Vietnamese ${vi?.length ?? 0}: the English must follow the Vietnamese one for one, in order` });
    }
  };
  sameLength(['en', 'documents'], entry.documents, en.documents, 'documents');
  sameLength(['en', 'notes'], entry.notes, en.notes, 'notes');
  sameLength(['en', 'unverified'], entry.unverified, en.unverified, 'lines');
  onlineLengths(['en', 'online'], entry.online, en.online);
  en.documents?.forEach((doc, i) => {
    const vi = entry.documents[i];
    if (vi && doc.id !== vi.id && (doc.id !== undefined || vi.id !== undefined)) {
      found.push({ path: ['en', 'documents', i, 'id'], message: `en.documents[${i}] has id "${doc.id ?? ''}" where the Vietnamese document at that place has "${vi.id ?? ''}": the lists are out of step` });
    }
  });
  for (const [list, known, what] of [
    [en.conditions, entry.conditions, 'condition'],
    [en.cases, entry.cases, 'case'],
  ] as const) {
    const ids = new Set((known ?? []).map((k) => k.id));
    list?.forEach((item, i) => {
      if (!ids.has(item.id)) found.push({ path: ['en', what === 'case' ? 'cases' : 'conditions', i, 'id'], message: `unknown ${what} "${item.id}" (the entry's: ${[...ids].join(', ') || 'none'})` });
    });
  }
  en.cases?.forEach((c, i) => {
    const vi = entry.cases?.find((k) => k.id === c.id);
    if (!vi) return;
    sameLength(['en', 'cases', i, 'notes'], vi.notes, c.notes, 'notes');
    onlineLengths(['en', 'cases', i, 'online'], vi.online, c.online);
  });

  for (const { vi, en: english, path } of pairs(entry)) {
    if (english === undefined) continue;
    const where = `en.${path.slice(1).join('.')}`;
    if (vi === undefined) {
      found.push({ path, message: `${where} translates nothing: the Vietnamese has no such field` });
      continue;
    }
    const a = numbersOf(vi);
    const b = numbersOf(english);
    if (a.join(' ') !== b.join(' ')) {
      found.push({ path, message: `${where} states other numbers than the Vietnamese (English: ${b.join(', ') || 'none'}; Vietnamese: ${a.join(', ') || 'none'}): a fee, a time limit, a date or an article is the same fact in both languages` });
    }
  }
  for (const [path, vi, english] of [
    [['en', 'handled_by'], entry.handled_by, en.handled_by],
    [['en', 'where'], entry.where, en.where],
  ] as const) {
    if (english === undefined || vi === undefined) continue;
    const bracketed = [...english.matchAll(/\(([^()]+)\)/g)].map((m) => fold(m[1] as string));
    if (!bracketed.some((inner) => inner.length > 0 && fold(vi).includes(inner))) {
      found.push({ path: [...path], message: `en.${path[1]} names no office in Vietnamese: keep its Vietnamese name in brackets, as the Vietnamese field writes it ("Commune People's Committee (UBND cấp xã)")` });
    }
  }
  return found;

  function onlineLengths(path: PropertyKey[], vi: OnlineInfo | undefined, english: EnglishOnline | undefined) {
    sameLength([...path, 'steps'], vi?.steps, english?.steps, 'steps');
  }
}

/** The Vietnamese fields of an entry that have no English yet, as paths under `en` ("documents.2.explain"). */
export function missingEnglish(entry: CatalogEntry): string[] {
  const missing: string[] = [];
  const en = entry.en;
  if (!en?.aliases?.length && entry.aliases.length > 0) missing.push('aliases');
  if (!en?.keywords?.length && entry.keywords.length > 0) missing.push('keywords');
  for (const { vi, en: english, path } of pairs(entry)) {
    if (vi !== undefined && english === undefined) missing.push(path.slice(1).join('.'));
  }
  return missing;
}

/** Every (Vietnamese, English) text pair of an entry the citizen reads. */
function pairs(entry: CatalogEntry): Pair[] {
  const en = entry.en;
  const out: Pair[] = [];
  const add = (vi: string | undefined, english: string | undefined, ...path: PropertyKey[]) => out.push({ vi, en: english, path: ['en', ...path] });
  const list = (vi: string[] | undefined, english: string[] | undefined, ...path: PropertyKey[]) => {
    const length = Math.max(vi?.length ?? 0, english?.length ?? 0);
    for (let i = 0; i < length; i += 1) add(vi?.[i], english?.[i], ...path, i);
  };
  const online = (vi: OnlineInfo | undefined, english: EnglishOnline | undefined, ...path: PropertyKey[]) => {
    add(vi?.portal, english?.portal, ...path, 'portal');
    list(vi?.steps, english?.steps, ...path, 'steps');
    add(vi?.notes, english?.notes, ...path, 'notes');
  };
  add(entry.name, en?.name, 'name');
  add(entry.summary, en?.summary, 'summary');
  add(entry.handled_by, en?.handled_by, 'handled_by');
  add(entry.where, en?.where, 'where');
  add(entry.processing_time, en?.processing_time, 'processing_time');
  add(entry.fee.summary, en?.fee_summary, 'fee_summary');
  entry.documents.forEach((doc, i) => {
    const e = en?.documents?.[i];
    add(doc.name, e?.name, 'documents', i, 'name');
    add(doc.form, e?.form, 'documents', i, 'form');
    add(doc.when, e?.when, 'documents', i, 'when');
    add(doc.explain, e?.explain, 'documents', i, 'explain');
  });
  (en?.documents ?? []).slice(entry.documents.length).forEach((e, j) => {
    const i = entry.documents.length + j;
    for (const field of ['name', 'form', 'when', 'explain'] as const) if (e[field] !== undefined) add(undefined, e[field], 'documents', i, field);
  });
  (entry.conditions ?? []).forEach((c) => {
    const i = en?.conditions?.findIndex((e) => e.id === c.id) ?? -1;
    add(c.ask, i >= 0 ? en?.conditions?.[i]?.ask : undefined, 'conditions', i >= 0 ? i : c.id, 'ask');
  });
  (entry.cases ?? []).forEach((c) => {
    const i = en?.cases?.findIndex((e) => e.id === c.id) ?? -1;
    const e = i >= 0 ? en?.cases?.[i] : undefined;
    const at = i >= 0 ? i : c.id;
    add(c.name, e?.name, 'cases', at, 'name');
    add(c.processing_time, e?.processing_time, 'cases', at, 'processing_time');
    add(c.fee_summary, e?.fee_summary, 'cases', at, 'fee_summary');
    list(c.notes, e?.notes, 'cases', at, 'notes');
    online(c.online, e?.online, 'cases', at, 'online');
  });
  online(entry.online, en?.online, 'online');
  list(entry.notes, en?.notes, 'notes');
  list(entry.unverified, en?.unverified, 'unverified');
  return out;
}
