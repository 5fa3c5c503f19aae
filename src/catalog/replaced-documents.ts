/**
 * @module The table of replaced legal texts (`content/replaced-documents.yaml`) and the check that
 * an entry does not cite one of them as current: in `legal_basis` or in the `doc` of a source that
 * supports a fact, from the
 * day its replacement applies, unless the same line names the replacement too.
 */
import { z } from 'zod';
import { foldText } from './normalise-vietnamese.js';
import { httpsUrl, isoDate } from './schema.js';
import type { CatalogEntry } from './types.js';

const text = z.string().trim().min(1, { message: 'must not be empty' });
/** "175/2024/NĐ-CP", "38/2013/QH13": number, year and the issuer's suffix. */
const documentNumber = z.string().regex(/^\d{1,4}\/\d{4}\/[\p{L}\d-]+$/u, { message: 'expected a document number like 175/2024/NĐ-CP' });

export const replacedDocumentsSchema = z.strictObject({
  replaced: z.array(
    z.strictObject({
      old: documentNumber,
      old_name: text,
      /** Other ways entries cite it without its number ("Luật Việc làm 2013"). */
      names: z.array(text).optional(),
      new: documentNumber,
      new_name: text,
      /** The day the replacement applies. */
      from: isoDate,
      /** The source is secondary: the warning says "reported". */
      reported: z.boolean().optional(),
      source: z
        .strictObject({ url: httpsUrl.optional(), doc: text.optional(), article: text.optional(), note: text.optional() })
        .refine((s) => s.url !== undefined || s.doc !== undefined, { message: 'a source needs a url or a doc' }),
    }),
  ),
});

export type ReplacedDocuments = z.infer<typeof replacedDocumentsSchema>;
export type ReplacedDocument = ReplacedDocuments['replaced'][number];

/** A number as written in an entry: "175/2024", optionally "/NĐ-CP". */
const CITED_NUMBER = /(\d{1,4})\/(\d{4})(?:\/([\p{L}\d-]+))?/gu;

/** What kind of text a suffix belongs to, and the words that name that kind before a number. */
const KINDS: { suffix: RegExp; words: RegExp }[] = [
  { suffix: /^nd-cp$/, words: /(nghi dinh|nd)$/ },
  { suffix: /^tt/, words: /(thong tu|tt)$/ },
  { suffix: /^qh\d+$/, words: /(luat|bo luat|nghi quyet|nq)$/ },
];

function normaliseSuffix(suffix: string): string {
  return foldText(suffix.replace(/-/g, ' ')).replace(/ /g, '-');
}

/** Whether `line` cites the document `number` ("175/2024/NĐ-CP"), with or without its suffix. */
export function cites(line: string, number: string, names: readonly string[] = []): boolean {
  const [num, year, suffix = ''] = number.split('/');
  const wanted = normaliseSuffix(suffix);
  const kind = KINDS.find((k) => k.suffix.test(wanted));
  for (const match of line.matchAll(CITED_NUMBER)) {
    if (Number(match[1]) !== Number(num) || match[2] !== year) continue;
    if (match[3] !== undefined) {
      if (normaliseSuffix(match[3]) === wanted) return true;
      continue;
    }
    // No suffix: the kind word just before the number, if any, must fit ("Thông tư 175/2024" is not a decree).
    const before = foldText(line.slice(0, match.index).replace(/\b(so|số)\s*$/iu, '')).trim();
    const otherKind = KINDS.find((k) => k !== kind && k.words.test(before));
    if (!otherKind) return true;
  }
  const folded = ` ${foldText(line)} `;
  return names.some((name) => folded.includes(` ${foldText(name)} `));
}

export interface ReplacedCitation {
  path: PropertyKey[];
  message: string;
}

/** Every line of `entry` that cites a replaced document as current on `today` (YYYY-MM-DD). */
export function replacedCitations(entry: CatalogEntry, table: ReplacedDocuments, today: string): ReplacedCitation[] {
  const lines: { path: PropertyKey[]; line: string }[] = [
    ...entry.legal_basis.map((line, i) => ({ path: ['legal_basis', i], line })),
    // A source that supports nothing was read for comparison ("the old law said…"), not cited as current.
    ...(entry.sources ?? []).flatMap((source, i) => (source.doc && source.supports.length > 0 ? [{ path: ['sources', i, 'doc'], line: source.doc }] : [])),
  ];
  const found: ReplacedCitation[] = [];
  for (const row of table.replaced) {
    if (row.from > today) continue;
    for (const { path, line } of lines) {
      if (!cites(line, row.old, row.names) || cites(line, row.new)) continue;
      const from = row.from.split('-').reverse().join('/');
      const where = row.source.url ?? [row.source.doc, row.source.article].filter(Boolean).join(', ');
      found.push({
        path,
        message: `cites ${row.old_name}, ${row.reported ? 'reported as replaced' : 'replaced'} by ${row.new_name} from ${from} (${where}): cite the new text, or write both ("${row.new} thay thế ${row.old}")`,
      });
    }
  }
  return found;
}
