/**
 * @module The procedure catalog's types: what one entry of `content/procedures/<id>.yaml` holds,
 * the unit (ward) file, and the finder's interface. The zod schemas in `catalog/schema.ts`
 * validate files against these shapes.
 */

export type EntryKind = 'procedure' | 'guide';
export type OnlineLevel = 'full' | 'partial' | 'none';

export interface CatalogDocument {
  /** Short kebab-case id, needed when another document names this one in `instead_of`. */
  id?: string;
  /** e.g. "Tờ khai đăng ký kết hôn (theo mẫu)". */
  name: string;
  /** How it is handed in: bản chính, bản sao, bản sao có chứng thực, xuất trình, bản điện tử... */
  form?: string;
  count?: number;
  /**
   * When it is needed, as the card shows it ("nếu đã từng kết hôn"); omitted = always. A document
   * with `when` must also say how the checklist decides it: `if`, `instead_of` or `on_request`.
   */
  when?: string;
  /** Needed only if the citizen answers "yes" to this entry's condition (`conditions[].id`). */
  if?: string;
  /**
   * Replaces the document with this id: asked only when the citizen lacks that one, and having
   * it covers that one ("văn bản người làm chứng" instead of "giấy chứng sinh").
   */
  instead_of?: string;
  /**
   * Asked for only when the desk cannot find the data in a database ("chỉ khi không tra được"):
   * the checklist does not ask it and never counts it as missing; the summary mentions it.
   */
  on_request?: boolean;
  /**
   * Provided where the file is handed in (a form the one-stop desk has, a sheet the officer
   * prints): the checklist does not ask it and never counts it as missing; the summary says so.
   */
  at_desk?: boolean;
  /** Answer to "what is this?" in the checklist: one or two plain sentences. */
  explain?: string;
}

/** A yes/no question that decides whether some documents are needed ("Bé sinh ra nhờ mang thai hộ?"). */
export interface CatalogCondition {
  id: string;
  /** Asked before the documents that depend on it, in plain words, answered "Có" / "Không". */
  ask: string;
}

/**
 * A case of one procedure that differs in how it is filed (căn cước: first card vs lost card).
 * Fields given here replace the entry's own for that case.
 */
export interface CatalogCase {
  id: string;
  /** What the citizen picks: "Cấp lại do bị mất thẻ". */
  name: string;
  /**
   * What citizens write that names this case ("mất căn cước", "mất CCCD"): a search holding
   * one of them (and no other case's) opens the card on this case.
   */
  words?: string[];
  online?: OnlineInfo;
  processing_time?: string;
  fee_summary?: string;
  notes?: string[];
}

/** The fields of an entry that state facts, each of which needs a source. */
export const FACT_FIELDS = ['code', 'handled_by', 'documents', 'fee', 'processing_time', 'online', 'legal_basis'] as const;
export type FactField = (typeof FACT_FIELDS)[number];

/** Where a fact was read: a page (url) or a legal text (doc + article), and which facts it supports. */
export interface SourceRef {
  url?: string;
  /** "Luật Hộ tịch số 60/2014/QH13", "Nghị định 217/2026/NĐ-CP". */
  doc?: string;
  /** "Điều 16", "Điều 54 khoản 1 điểm b". */
  article?: string;
  /** The entry's facts this source confirms (an empty list: read, confirms nothing specific). */
  supports: FactField[];
  /** What it says or how it was read, for the next reviewer. */
  note?: string;
}

export interface FeeInfo {
  /** One or two sentences a citizen reads first: "Miễn lệ phí." / "8.000 đồng/bản sao." */
  summary: string;
  /** Cases and amounts; amount_vnd null when set locally (HĐND tỉnh) and not known here. */
  items?: { case: string; amount_vnd: number | null; note?: string }[];
  exemptions?: string[];
}

/** What a portal link opens, and how its form and id were confirmed (`npm run cli -- content links`). */
export interface LinkCheck {
  /**
   * `procedure`: the procedure's own page; `search`: the portal's search or list where the citizen
   * picks it (used when no procedure page could be confirmed; the guide says so); `portal`: the
   * portal's home page.
   */
  opens: 'procedure' | 'search' | 'portal';
  /**
   * `portal-copy`: a stored copy of the portal's own page or data names this URL for the procedure;
   * `public-code`: public code that builds or uses such links does; `unconfirmed`: neither.
   */
  confirmed_by: 'portal-copy' | 'public-code' | 'unconfirmed';
  /** Where it was read: repository and path, an index id, or a URL. */
  source?: string;
  /** YYYY-MM-DD the form was last confirmed (offline) or fetched (`content links --online`). */
  checked_on: string;
}

export interface OnlineInfo {
  level: OnlineLevel;
  /** The page where the citizen submits, or the portal's search page for this procedure. */
  url?: string;
  /** How `url` was confirmed; required with `url` (flows check warns otherwise). */
  link?: LinkCheck;
  /** Portal name shown as the link label: "Cổng Dịch vụ công quốc gia", "VNeID"... */
  portal?: string;
  /** Numbered steps specific to this procedure (the generic VNeID login steps come from texts). */
  steps?: string[];
  notes?: string;
}

/**
 * The English of an entry (`en:`), for foreign residents. Lists are aligned with the Vietnamese
 * ones: `documents`, `notes`, `unverified` and `online.steps` by position (the loader refuses a
 * list of another length, and a document whose `id` differs), `conditions` and `cases` by `id`.
 * Every field is optional: where one is missing the citizen reads the Vietnamese text with a
 * one-line note, and `flows check` lists it. Facts are not translated loosely: every number of
 * an English text must be a number of its Vietnamese field and the other way round (dates stay
 * DD/MM/YYYY), and the names of documents and offices keep their Vietnamese in brackets, because
 * that is what the citizen hears at the desk (the card adds a document's Vietnamese name itself).
 */
export interface EntryEnglish {
  /** "Birth registration". */
  name?: string;
  summary?: string;
  /** What a foreign resident types: "birth certificate", "register my baby's birth". */
  aliases?: string[];
  keywords?: string[];
  /** What an English question says when the entry does not apply (`NotWhen.says`): "still keeps the register". */
  not_when?: string[];
  /** "Commune People's Committee (UBND cấp xã) where the father or mother lives". */
  handled_by?: string;
  where?: string;
  documents?: EnglishDocument[];
  conditions?: { id: string; ask: string }[];
  cases?: EnglishCase[];
  online?: EnglishOnline;
  processing_time?: string;
  fee_summary?: string;
  notes?: string[];
  unverified?: string[];
}

/**
 * What a question says when an entry does not apply, its condition being contradicted: "vẫn còn
 * lưu sổ" for re-registering a birth, which is for a register lost too (Nghị định 123/2015/NĐ-CP,
 * Điều 24). A question saying one (not right after a negation: "không còn lưu sổ") ranks the
 * entry after the others, and `see`, the entry that applies then, first.
 */
export interface NotWhen {
  says: string[];
  /** The entry that applies instead (a copy of the record, `trich-luc-ho-tich`). */
  see?: string;
}

/** An entry's `not_when` cases, as a list (none when it has none). */
export function notWhenCases(entry: { not_when?: NotWhen | NotWhen[] }): NotWhen[] {
  const cases = entry.not_when;
  return cases === undefined ? [] : Array.isArray(cases) ? cases : [cases];
}

/** One document in English, at the same position as the Vietnamese one. */
export interface EnglishDocument {
  /** The Vietnamese document's `id`, when it has one: proves the lists are aligned. */
  id?: string;
  /** "Birth registration form": the card shows "Birth registration form (Tờ khai đăng ký khai sinh)". */
  name?: string;
  form?: string;
  when?: string;
  explain?: string;
}

export interface EnglishOnline {
  /** "National Public Service Portal (Cổng Dịch vụ công quốc gia)". */
  portal?: string;
  steps?: string[];
  notes?: string;
}

export interface EnglishCase {
  id: string;
  name?: string;
  online?: EnglishOnline;
  processing_time?: string;
  fee_summary?: string;
  notes?: string[];
}

export interface CatalogEntry {
  id: string;
  kind: EntryKind;
  /** National procedure code (mã thủ tục) where one exists. */
  code?: string;
  name: string;
  group: string;
  /** One sentence: what this is for. */
  summary: string;
  /** Names citizens use for it, whole phrases ("giấy đăng ký kết hôn", "đkkh"). */
  aliases: string[];
  /** Single words or short phrases that point to it ("cưới", "lấy vợ"). */
  keywords: string[];
  /**
   * When this entry does not apply though a question names it (see `NotWhen`): one case, or
   * several, each with its own entry instead (`notWhenCases`).
   */
  not_when?: NotWhen | NotWhen[];
  handled_by: string;
  /** Where to file in person: omitted = the unit's one-stop desk (content/unit.yaml). */
  where?: string;
  documents: CatalogDocument[];
  fee: FeeInfo;
  processing_time: string;
  online: OnlineInfo;
  legal_basis: string[];
  /** Questions that decide conditional documents (see `CatalogDocument.if`). */
  conditions?: CatalogCondition[];
  /** Cases that are filed differently (see `CatalogCase`); the flow asks which one first. */
  cases?: CatalogCase[];
  /** Facts this entry could not confirm; the bot tells the citizen to check them at the desk. */
  unverified?: string[];
  /** Things that changed recently and that citizens often get wrong. */
  notes?: string[];
  /** The page an editor opens first (the procedure's record on a portal, or the main legal text). */
  source: string;
  /** Every source read, with the facts each supports; `flows check` warns about a fact with none. */
  sources?: SourceRef[];
  /** ISO date (YYYY-MM-DD) when the facts were last checked against the source. */
  reviewed_on: string;
  /** The entry in English (see `EntryEnglish`). */
  en?: EntryEnglish;
}

/** One year of `holidays` in content/unit.yaml. */
export interface HolidayYear {
  /**
   * Days the desk is closed that year, as the Government announced them (make-up and swapped days
   * included): Tết Dương lịch, 30/4, 1/5, Quốc khánh (2/9 and the day next to it).
   */
  dates: string[];
  /** The announced Tết Nguyên đán days; without it they are computed from the lunar calendar. */
  tet?: string[];
  /** The announced Giỗ Tổ Hùng Vương day(s); without it 10/3 âm lịch is computed. */
  gio_to?: string[];
}

/** `content/unit.yaml` as written. The loader turns it into a `Unit`. */
export interface UnitFile {
  /** Full name, used in the greeting ("Ủy ban nhân dân phường Tam Thắng, Thành phố Hồ Chí Minh"). */
  name: string;
  /** Short name used in sentences ("Phường Tam Thắng"). */
  short_name: string;
  /**
   * True while the address, hotlines and office hours are sample data: every text that shows one
   * of them says so (src/catalog/unit-display.ts). The ward sets it to false once it has checked them.
   */
  sample_data: boolean;
  /** How the unit came to be, e.g. the 2025 merger of wards. */
  formed?: { on: string; by: string };
  /**
   * Units merged into this one, as "Phường 9, thành phố Vũng Tàu": a citizen who writes the old
   * name ("phường 9", "p9", "UBND phường 9 cũ") is told that this unit now serves them.
   */
  former_names?: string[];
  address: string;
  desk: string;
  office_hours: { days: string; hours: string; text: string };
  /** Machine-readable opening hours: ISO weekday (1 = Monday) → ["07:30-11:30", "13:30-17:00"]. */
  opening: Record<string, string[]>;
  timezone: string;
  hotlines: { citizen: string; business?: string };
  portals: { label: string; url: string }[];
  /** Year ("2027") → the days the desk is closed; Tết and Giỗ Tổ are computed unless announced. */
  holidays: Record<string, HolidayYear>;
  /**
   * The unit in English, for foreign residents: what replaces the Vietnamese value in English
   * texts. Offices and places keep their Vietnamese name in brackets ("one-stop desk (Bộ phận
   * Tiếp nhận và Trả kết quả)"); the same numbers (hours) as the Vietnamese, checked at load.
   */
  en?: UnitEnglish;
}

export interface UnitEnglish {
  name?: string;
  short_name?: string;
  address?: string;
  desk?: string;
  office_hours?: { days: string; hours: string; text: string };
}

/** The unit as the loader gives it: `holidays` is the computed list of closed days. */
export interface Unit extends Omit<UnitFile, 'holidays'> {
  /** ISO dates (YYYY-MM-DD) the desk is closed: listed days, Tết and Giỗ Tổ (see catalog/holidays.ts). */
  holidays: string[];
  /** The `holidays` of unit.yaml as written, year by year. */
  holiday_years: Record<string, HolidayYear>;
}

export interface FinderResult {
  id: string;
  name: string;
  score: number;
}

export type FindOutcome = 'confident' | 'ambiguous' | 'none';

export interface FindAnswer {
  outcome: FindOutcome;
  /** Best first, at most 5; empty when outcome is 'none'. */
  results: FinderResult[];
}

export interface Finder {
  /** Ranked results, at most `limit` (default 5); empty when nothing fits (out of scope). */
  search(query: string, limit?: number): FinderResult[];
  /** The results plus how sure the finder is, for the flow to confirm, clarify or say not found. */
  find(query: string): FindAnswer;
  /**
   * Builds now what is otherwise built on the first query (the English index, the question
   * models), so that the first citizen does not wait for it. A server calls it at start.
   */
  prepare?(): void;
}
