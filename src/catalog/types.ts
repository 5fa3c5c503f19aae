/**
 * @module The procedure catalog's types: what one entry of `content/procedures/<id>.yaml` holds,
 * the unit (ward) file, and the finder's interface. The zod schemas in `catalog/schema.ts`
 * validate files against these shapes.
 */

export type EntryKind = 'procedure' | 'guide';
export type OnlineLevel = 'full' | 'partial' | 'none';

export interface CatalogDocument {
  /** e.g. "Tờ khai đăng ký kết hôn (theo mẫu)". */
  name: string;
  /** How it is handed in: bản chính, bản sao, bản sao có chứng thực, xuất trình, bản điện tử... */
  form?: string;
  count?: number;
  /** When it is needed ("nếu đã từng kết hôn"); omitted = always. */
  when?: string;
  /** Answer to "what is this?" in the checklist: one or two plain sentences. */
  explain?: string;
}

export interface FeeInfo {
  /** One or two sentences a citizen reads first: "Miễn lệ phí." / "8.000 đồng/bản sao." */
  summary: string;
  /** Cases and amounts; amount_vnd null when set locally (HĐND tỉnh) and not known here. */
  items?: { case: string; amount_vnd: number | null; note?: string }[];
  exemptions?: string[];
}

export interface OnlineInfo {
  level: OnlineLevel;
  /** The page where the citizen submits, or the portal's search page for this procedure. */
  url?: string;
  /** Portal name shown as the link label: "Cổng Dịch vụ công quốc gia", "VNeID"... */
  portal?: string;
  /** Numbered steps specific to this procedure (the generic VNeID login steps come from texts). */
  steps?: string[];
  notes?: string;
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
  handled_by: string;
  /** Where to file in person: omitted = the unit's one-stop desk (content/unit.yaml). */
  where?: string;
  documents: CatalogDocument[];
  fee: FeeInfo;
  processing_time: string;
  online: OnlineInfo;
  legal_basis: string[];
  /** Facts this entry could not confirm; the bot tells the citizen to check them at the desk. */
  unverified?: string[];
  /** Things that changed recently and that citizens often get wrong. */
  notes?: string[];
  source: string;
  /** Further sources, when the facts came from more than one. */
  sources?: string[];
  /** ISO date (YYYY-MM-DD) when the facts were last checked against the source. */
  reviewed_on: string;
}

export interface Unit {
  name: string;
  /** Short name used in greetings ("Phường 9"). */
  short_name: string;
  sample_data: boolean;
  address: string;
  desk: string;
  office_hours: { days: string; hours: string; text: string };
  /** Machine-readable opening hours: ISO weekday (1 = Monday) → ["07:30-11:30", "13:30-17:00"]. */
  opening: Record<string, string[]>;
  timezone: string;
  hotlines: { citizen: string; business?: string };
  portals: { label: string; url: string }[];
  /** ISO dates (YYYY-MM-DD) of public holidays when the desk is closed. */
  holidays: string[];
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
}
