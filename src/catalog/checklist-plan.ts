/**
 * @module The document checklist as a pure function of an entry and the answers given so far:
 * which question comes next and what is missing. The session keeps only the answers, one word per
 * question asked, in the order asked; everything else is recomputed from the catalog entry.
 *
 * The rules follow the entry's fields (see `CatalogDocument`):
 *  - `on_request`: never asked, never missing; the summary mentions it.
 *  - `at_desk`: provided where the file is handed in: never asked, never missing; the summary
 *    says it is there.
 *  - `if: <condition>`: the condition is asked first, once, in plain words; "no" means the
 *    document is not needed (never missing).
 *  - `instead_of: <id>`: asked only when that document is lacking; having it covers that one.
 *  - `when` without any of these (an entry not yet converted): asked with a third answer,
 *    "không cần", which is never missing.
 *  - "chưa rõ" (`unsure`) answers a document or a condition: the document, or every document of
 *    that condition, is listed as one to ask the desk about: never had, never missing. An
 *    alternative of a document the citizen is unsure of is not asked.
 */
import type { CatalogCondition, CatalogEntry } from './types.js';

/** have / lack / na (not needed) answer a document; yes / no answer a condition; unsure answers either. */
export type ChecklistAnswer = 'have' | 'lack' | 'na' | 'yes' | 'no' | 'unsure';

export type ChecklistQuestion =
  | { kind: 'condition'; condition: CatalogCondition }
  | { kind: 'document' | 'optional'; index: number; position: number };

type Status = 'have' | 'lack' | 'na' | 'not_needed' | 'skipped' | 'on_request' | 'at_desk' | 'unsure';

export interface ChecklistPlan {
  /** The next question, or undefined when every question has been answered. */
  next?: ChecklistQuestion;
  /** Indexes of the documents still missing: answered "lack" and covered by no alternative. */
  missing: number[];
  /** Indexes of the documents the desk asks for only when it cannot find the data itself. */
  onRequest: number[];
  /** Indexes of the documents provided at the desk (a form it has, a sheet it prints). */
  atDesk: number[];
  /** Indexes of the documents answered "chưa rõ", or whose condition was. */
  unsure: number[];
  /** How many documents can be asked (all but `on_request` and `at_desk`), for "3/5". */
  total: number;
  /** The alternatives of a missing document that the citizen lacks too. */
  lackingAlternatives(index: number): number[];
}

const CONDITION_ANSWERS = new Set<string>(['yes', 'no', 'unsure']);
const DOCUMENT_ANSWERS = new Set<string>(['have', 'lack', 'unsure']);
const OPTIONAL_ANSWERS = new Set<string>(['have', 'lack', 'na', 'unsure']);

export function planChecklist(entry: CatalogEntry, answers: readonly string[]): ChecklistPlan {
  const docs = entry.documents;
  const status: (Status | undefined)[] = docs.map(() => undefined);
  const conditions = new Map<string, 'yes' | 'no' | 'unsure'>();
  const indexOfId = new Map(docs.flatMap((d, i) => (d.id ? [[d.id, i] as const] : [])));
  const alternativesOf = (i: number) => docs.flatMap((d, j) => (d.instead_of !== undefined && d.instead_of === docs[i]!.id ? [j] : []));
  const onRequest = docs.flatMap((d, i) => (d.on_request ? [i] : []));
  const atDesk = docs.flatMap((d, i) => (d.at_desk ? [i] : []));
  const total = docs.length - onRequest.length - atDesk.length;

  let cursor = 0;
  // An answer of the wrong kind (the catalog changed between two turns) is dropped, not misread.
  const take = (valid: Set<string>) => {
    while (cursor < answers.length) {
      const answer = answers[cursor++] as string;
      if (valid.has(answer)) return answer as ChecklistAnswer;
    }
    return undefined;
  };

  const covered = (i: number): boolean => alternativesOf(i).some((j) => status[j] === 'have' || (status[j] === 'lack' && covered(j)));
  const lackingAlternatives = (i: number): number[] => alternativesOf(i).flatMap((j) => (status[j] === 'lack' && !covered(j) ? [j, ...lackingAlternatives(j)] : []));
  const result = (next?: ChecklistQuestion): ChecklistPlan => ({
    ...(next ? { next } : {}),
    missing: docs.flatMap((d, i) => (status[i] === 'lack' && d.instead_of === undefined && !covered(i) ? [i] : [])),
    onRequest,
    atDesk,
    unsure: docs.flatMap((_d, i) => (status[i] === 'unsure' ? [i] : [])),
    total,
    lackingAlternatives,
  });

  let position = 0;
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i]!;
    if (doc.on_request) {
      status[i] = 'on_request';
      continue;
    }
    if (doc.at_desk) {
      status[i] = 'at_desk';
      continue;
    }
    position++;
    if (doc.if !== undefined) {
      const condition = entry.conditions?.find((c) => c.id === doc.if);
      if (condition && !conditions.has(condition.id)) {
        const answer = take(CONDITION_ANSWERS);
        if (!answer) return result({ kind: 'condition', condition });
        conditions.set(condition.id, answer as 'yes' | 'no' | 'unsure');
      }
      if (condition && conditions.get(condition.id) === 'no') {
        status[i] = 'not_needed';
        continue;
      }
      if (condition && conditions.get(condition.id) === 'unsure') {
        status[i] = 'unsure';
        continue;
      }
    }
    if (doc.instead_of !== undefined) {
      const replaced = indexOfId.get(doc.instead_of);
      if (replaced === undefined || status[replaced] !== 'lack') {
        status[i] = 'skipped';
        continue;
      }
    }
    const optional = doc.when !== undefined && doc.if === undefined && doc.instead_of === undefined;
    const answer = take(optional ? OPTIONAL_ANSWERS : DOCUMENT_ANSWERS);
    if (!answer) return result({ kind: optional ? 'optional' : 'document', index: i, position });
    status[i] = answer as Status;
  }
  return result();
}
