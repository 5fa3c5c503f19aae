/**
 * @module A catalog entry as the citizen reads it in a language: for the default language the entry
 * itself; for English every text the citizen reads taken from `en:` (documents named in English
 * with their Vietnamese name in square brackets, "Birth registration form [Tờ khai đăng ký khai
 * sinh]", because that is what the desk will say), and every text `en:` lacks kept in Vietnamese
 * and recorded, so the answer that shows it adds the one-line note. Facts are never re-worded
 * here: the English fee, time and office are the entry's own `en:` fields, checked at load
 * against the Vietnamese (english-check.ts); numbers, URLs, codes, levels and legal texts are the
 * entry's own.
 */
import type { CatalogCase, CatalogEntry, EnglishOnline, OnlineInfo } from './types.js';

/** Which answer a missing text shows up in: the card, its details, the online guide, the checklist. */
export type Area = 'card' | 'details' | 'online' | 'checklist';

export interface EntryView {
  /** The entry with its texts in the language (same shape, so the services read one thing). */
  entry: CatalogEntry;
  /** The answers in which some text is shown in Vietnamese because `en:` lacks it. */
  untranslated: ReadonlySet<Area>;
  /** The card's title: "Birth registration (Đăng ký khai sinh)", square brackets when a name has round ones; the name alone in Vietnamese. */
  title: string;
}

export function entryIn(entry: CatalogEntry, lang: string, defaultLanguage = 'vi'): EntryView {
  if (lang === defaultLanguage || lang !== 'en') return { entry, untranslated: new Set(), title: entry.name };
  const en = entry.en ?? {};
  const untranslated = new Set<Area>();
  /** The English when written, else the Vietnamese (recorded for `areas`). */
  const pick = <T extends string | undefined>(vi: T, english: string | undefined, ...areas: Area[]): T => {
    if (vi === undefined) return vi;
    if (english !== undefined) return english as T;
    for (const area of areas) untranslated.add(area);
    return vi;
  };
  const list = (vi: string[] | undefined, english: string[] | undefined, ...areas: Area[]) => vi?.map((line, i) => pick(line, english?.[i], ...areas));
  const online = (vi: OnlineInfo, english: EnglishOnline | undefined, ...areas: Area[]): OnlineInfo => {
    const portal = pick(vi.portal, english?.portal, ...areas);
    const steps = list(vi.steps, english?.steps, ...areas);
    const notes = pick(vi.notes, english?.notes, ...areas);
    return { ...vi, ...(portal !== undefined ? { portal } : {}), ...(steps ? { steps } : {}), ...(notes !== undefined ? { notes } : {}) };
  };
  const name = pick(entry.name, en.name, 'card', 'details', 'online', 'checklist');
  const where = pick(entry.where, en.where, 'card');
  const notes = list(entry.notes, en.notes, 'details');
  const unverified = list(entry.unverified, en.unverified, 'details');
  const view: CatalogEntry = {
    ...entry,
    name,
    summary: pick(entry.summary, en.summary, 'card'),
    handled_by: pick(entry.handled_by, en.handled_by, 'card'),
    ...(where !== undefined ? { where } : {}),
    processing_time: pick(entry.processing_time, en.processing_time, 'card'),
    fee: { ...entry.fee, summary: pick(entry.fee.summary, en.fee_summary, 'card') },
    documents: entry.documents.map((doc, i) => {
      const e = en.documents?.[i];
      const form = pick(doc.form, e?.form, 'details', 'checklist');
      const when = pick(doc.when, e?.when, 'details', 'checklist');
      const explain = pick(doc.explain, e?.explain, 'checklist');
      const docName = e?.name !== undefined ? `${e.name} [${doc.name}]` : pick(doc.name, undefined, 'details', 'checklist');
      return { ...doc, name: docName, ...(form !== undefined ? { form } : {}), ...(when !== undefined ? { when } : {}), ...(explain !== undefined ? { explain } : {}) };
    }),
    ...(entry.conditions ? { conditions: entry.conditions.map((c) => ({ ...c, ask: pick(c.ask, en.conditions?.find((e) => e.id === c.id)?.ask, 'checklist') })) } : {}),
    ...(entry.cases
      ? {
          cases: entry.cases.map((c): CatalogCase => {
            const e = en.cases?.find((k) => k.id === c.id);
            const time = pick(c.processing_time, e?.processing_time, 'details', 'online');
            const fee = pick(c.fee_summary, e?.fee_summary, 'details', 'online');
            const caseNotes = list(c.notes, e?.notes, 'details');
            return {
              ...c,
              name: pick(c.name, e?.name, 'card', 'online'),
              ...(c.online ? { online: online(c.online, e?.online, 'online') } : {}),
              ...(time !== undefined ? { processing_time: time } : {}),
              ...(fee !== undefined ? { fee_summary: fee } : {}),
              ...(caseNotes ? { notes: caseNotes } : {}),
            };
          }),
        }
      : {}),
    online: online(entry.online, en.online, 'online'),
    ...(notes ? { notes } : {}),
    ...(unverified ? { unverified } : {}),
  };
  // Round brackets unless either name has its own, then square ones (never two in a row).
  const title = en.name === undefined ? name : /[()]/.test(en.name + entry.name) ? `${en.name} [${entry.name}]` : `${en.name} (${entry.name})`;
  return { entry: view, untranslated, title };
}
