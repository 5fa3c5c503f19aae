/**
 * @module Zod schemas for `content/procedures/<id>.yaml`, `content/unit.yaml` and
 * `content/synonyms.yaml`; they mirror the interfaces in `catalog/types.ts` (checked at compile
 * time below) and are exported to JSON Schema for the editor by `scripts/export-content-schema.ts`.
 */
import { z } from 'zod';
import { FACT_FIELDS, type CatalogEntry, type UnitFile } from './types.js';

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused, not rolled over). */
export const isoDate = z
  .string()
  // The pattern also goes into the JSON Schema; abort: a string not even shaped like a date gets one message.
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a real date written YYYY-MM-DD', abort: true })
  .refine(isRealIsoDate, { message: 'expected a real date written YYYY-MM-DD' });

/** Only https: the bot sends these links to citizens, and a plain-http portal link is a phishing risk. */
export const httpsUrl = z
  .string()
  .regex(/^https:\/\//, { message: 'expected an https:// URL', abort: true })
  .refine(isHttpsUrl, { message: 'expected an https:// URL' });

const text = z.string().trim().min(1, { message: 'must not be empty' });

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'expected a kebab-case ascii id (a-z, 0-9, -)' });

const documentSchema = z.strictObject({
  id: slug.optional(),
  name: text,
  form: text.optional(),
  count: z.number().int().positive().optional(),
  when: text.optional(),
  if: slug.optional(),
  instead_of: slug.optional(),
  on_request: z.boolean().optional(),
  at_desk: z.boolean().optional(),
  explain: text.optional(),
});

const feeSchema = z.strictObject({
  summary: text,
  items: z
    .array(z.strictObject({ case: text, amount_vnd: z.number().int().nonnegative().nullable(), note: text.optional() }))
    .optional(),
  exemptions: z.array(text).optional(),
});

const linkSchema = z.strictObject({
  opens: z.enum(['procedure', 'search', 'portal']),
  confirmed_by: z.enum(['portal-copy', 'public-code', 'unconfirmed']),
  source: text.optional(),
  checked_on: isoDate,
});

const onlineSchema = z.strictObject({
  level: z.enum(['full', 'partial', 'none']),
  url: httpsUrl.optional(),
  link: linkSchema.optional(),
  portal: text.optional(),
  steps: z.array(text).optional(),
  notes: text.optional(),
});

const sourceSchema = z
  .strictObject({
    url: httpsUrl.optional(),
    doc: text.optional(),
    article: text.optional(),
    supports: z.array(z.enum(FACT_FIELDS)),
    note: text.optional(),
  })
  .refine((s) => s.url !== undefined || s.doc !== undefined, { message: 'a source needs a url or a doc' });

const caseSchema = z.strictObject({
  id: slug,
  name: text,
  words: z.array(text).optional(),
  online: onlineSchema.optional(),
  processing_time: text.optional(),
  fee_summary: text.optional(),
  notes: z.array(text).optional(),
});

const englishOnlineSchema = z.strictObject({
  portal: text.optional(),
  steps: z.array(text).optional(),
  notes: text.optional(),
});

/** `en:` of an entry: aligned with the Vietnamese lists (checked in load-catalog.ts). */
const englishSchema = z.strictObject({
  name: text.optional(),
  summary: text.optional(),
  aliases: z.array(text).optional(),
  keywords: z.array(text).optional(),
  not_when: z.array(text).optional(),
  handled_by: text.optional(),
  where: text.optional(),
  documents: z
    .array(z.strictObject({ id: slug.optional(), name: text.optional(), form: text.optional(), when: text.optional(), explain: text.optional() }))
    .optional(),
  conditions: z.array(z.strictObject({ id: slug, ask: text })).optional(),
  cases: z
    .array(
      z.strictObject({
        id: slug,
        name: text.optional(),
        online: englishOnlineSchema.optional(),
        processing_time: text.optional(),
        fee_summary: text.optional(),
        notes: z.array(text).optional(),
      }),
    )
    .optional(),
  online: englishOnlineSchema.optional(),
  processing_time: text.optional(),
  fee_summary: text.optional(),
  notes: z.array(text).optional(),
  unverified: z.array(text).optional(),
});

/** One case an entry does not apply to: what a question says then, and the entry that applies (`NotWhen`). */
const notWhenSchema = z.strictObject({ says: z.array(text).min(1), see: slug.optional() });

export const catalogEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'id must be kebab-case ascii (a-z, 0-9, -)' }),
  kind: z.enum(['procedure', 'guide']),
  code: text.optional(),
  name: text,
  group: text,
  summary: text,
  aliases: z.array(text),
  keywords: z.array(text),
  not_when: z.union([notWhenSchema, z.array(notWhenSchema).min(1)]).optional(),
  handled_by: text,
  where: text.optional(),
  documents: z.array(documentSchema),
  fee: feeSchema,
  processing_time: text,
  online: onlineSchema,
  legal_basis: z.array(text),
  conditions: z.array(z.strictObject({ id: slug, ask: text })).optional(),
  cases: z.array(caseSchema).optional(),
  unverified: z.array(text).optional(),
  notes: z.array(text).optional(),
  source: httpsUrl,
  sources: z.array(sourceSchema).optional(),
  reviewed_on: isoDate,
  en: englishSchema.optional(),
});

const period = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected HH:MM-HH:MM' });

const holidayYearSchema = z.strictObject({
  dates: z.array(isoDate),
  tet: z.array(isoDate).min(1).optional(),
  gio_to: z.array(isoDate).min(1).optional(),
});

export const unitSchema = z.strictObject({
  name: text,
  short_name: text,
  sample_data: z.boolean(),
  formed: z.strictObject({ on: isoDate, by: text }).optional(),
  former_names: z.array(text).optional(),
  address: text,
  desk: text,
  office_hours: z.strictObject({ days: text, hours: text, text }),
  opening: z.record(z.string().regex(/^[1-7]$/, { message: 'expected an ISO weekday 1-7' }), z.array(period)),
  timezone: text,
  hotlines: z.strictObject({ citizen: text, business: text.optional() }),
  portals: z.array(z.strictObject({ label: text, url: httpsUrl })),
  holidays: z.record(z.string().regex(/^\d{4}$/, { message: 'expected a year, e.g. "2027"' }), holidayYearSchema),
  en: z
    .strictObject({
      name: text.optional(),
      short_name: text.optional(),
      address: text.optional(),
      desk: text.optional(),
      office_hours: z.strictObject({ days: text, hours: text, text }).optional(),
    })
    .optional(),
});

/**
 * `content/synonyms.yaml`: what citizens type → what the catalog says. `abbreviations` are whole
 * tokens expanded before matching ("dk" → "đăng ký"); `phrases` are everyday words or phrases that
 * add the official wording ("giấy độc thân" → "xác nhận tình trạng hôn nhân"). Keys and values are
 * matched without accents, so one line covers "giay doc than" and "giấy độc thân".
 */
export const synonymsSchema = z.strictObject({
  abbreviations: z.record(z.string().min(1), z.union([text, z.array(text).min(1)])).default({}),
  phrases: z.record(z.string().min(1), z.union([text, z.array(text).min(1)])).default({}),
  /** Filler words that say nothing about which procedure ("tôi", "muốn", "thủ tục"): not required to match. */
  stopwords: z.array(text).default([]),
  /**
   * Everyday compound words that also occur in procedure text ("kết quả", "điện thoại"):
   * matching one of them alone does not make a query in scope ("kết quả xổ số").
   */
  weak: z.array(text).default([]),
  /**
   * Topics near the catalog's that it does not hold ("mã số thuế", "ly hôn"): label → the words
   * a citizen uses for it. The finder ranks them like entries and answers nothing when one wins.
   */
  outside: z.record(z.string().min(1), z.array(text).min(1)).default({}),
  /**
   * Questions on an entry's own ground that the entry does not answer ("trái tuyến" beside the
   * health insurance card, "hoãn nghĩa vụ quân sự"): label → the words for them. Like `outside`,
   * but no word pair of the entry keeps such a query in scope.
   */
  beyond: z.record(z.string().min(1), z.array(text).min(1)).default({}),
});

export type SynonymsFile = z.infer<typeof synonymsSchema>;

// Compile-time guarantee that the schemas and the hand-written interfaces stay the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const entryShapeMatches: Same<z.infer<typeof catalogEntrySchema>, CatalogEntry> = true;
const unitShapeMatches: Same<z.infer<typeof unitSchema>, UnitFile> = true;
void entryShapeMatches;
void unitShapeMatches;

export function isRealIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.includes('.') && !/\s/.test(value);
  } catch {
    return false;
  }
}
