/**
 * @module The rules every message the assistant sends must keep (issue 9, items 11 and 12): one
 * phone screen (1,000 characters as a channel without buttons shows it, choices and links
 * included), no template leftovers, no broken markup, no English in Vietnamese text, no choice
 * twice, no "chọn 'X'" without an X to press, no brackets inside brackets, no hearsay. A message
 * of an English conversation keeps the same rules, with "no English" turned round: no Vietnamese
 * outside brackets, quotes and the unit's own names, unless the message says it is not translated.
 */
import { renderPlainText, stripMarkup } from '../../src/channels/plain-text.js';
import { fold } from '../../src/engine/fold.js';
import type { Outbound } from '../../src/engine/messages.js';

export const MESSAGE_LIMIT = 1000;

/**
 * English words that must not appear in what a Vietnamese citizen reads (loanwords Vietnamese
 * uses as they are — menu, email, photo (bản photo), app names — are not listed).
 */
const ENGLISH = [
  'the', 'and', 'of', 'for', 'with', 'is', 'are', 'not', 'found', 'error', 'missing', 'click', 'here', 'submit', 'status',
  'ticket', 'undefined', 'null', 'true', 'false', 'please', 'file', 'link', 'page', 'step', 'card', 'checklist', 'todo',
  'fixme', 'yes', 'no', 'none', 'unknown', 'object', 'nan', 'procedure', 'document', 'documents', 'fee', 'online', 'staff',
  'queue', 'hotline', 'thanks', 'sorry', 'hello', 'welcome', 'help', 'back', 'next', 'done', 'cancel', 'passport',
];
const ENGLISH_WORDS = new Set(ENGLISH);
/** Whole words of ASCII letters (Vietnamese letters with marks, À–ỹ, end a word: "thể" holds no "th"). */
const englishWordIn = (text: string) => (text.match(/(?<![A-Za-zÀ-ỹ])[A-Za-z]+(?![A-Za-zÀ-ỹ])/g) ?? []).map((w) => w.toLowerCase()).find((w) => ENGLISH_WORDS.has(w));
const foldedLabels = new WeakMap<string[], string[]>();

export interface RuleOptions {
  /** Phrases that are hearsay ("được cho là"), from content/phrasebook.yaml. */
  hedges?: string[];
  /** Every choice label the assistant ever shows: a text telling the citizen to press one must show it. */
  labels?: string[];
  /**
   * The header of the list of facts to confirm (`card_parts.unverified`): what follows it, up to a
   * blank line, is hearsay by design, said as such.
   */
  unverifiedHeader?: string;
  /** The conversation's language: "en" checks for Vietnamese left untranslated instead of English. */
  language?: 'vi' | 'en';
  /** Names kept in Vietnamese in English text (the unit's name, address, former wards). */
  names?: string[];
  /** The notes that say a text is shown in Vietnamese because it has no English yet. */
  untranslatedNotes?: string[];
}

/** Vietnamese words English text keeps as they are (a holiday's name). */
const VIETNAMESE_IN_ENGLISH = new Set(['tết']);
/** A letter only Vietnamese writes in this text (English has none with these marks). */
const VIETNAMESE_ONLY = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹảãẽõ]/i;

/**
 * A Vietnamese word outside brackets, square brackets and quotes (where an English text keeps
 * the Vietnamese names of papers, offices and buttons on purpose), if any.
 */
export function vietnameseWordIn(text: string, names: string[] = []): string | undefined {
  let rest = text.normalize('NFC');
  for (const name of [...names].sort((a, b) => b.length - a.length)) if (name) rest = rest.split(name.normalize('NFC')).join(' ');
  // The numbers of legal texts ("63/2024/NĐ-CP", "Decision 5799/QĐ-BCA-V03") are names too.
  rest = rest.replace(/\S*\d\/\d{4}\/[\p{L}\d-]+/gu, ' ');
  // Innermost brackets first, so "(… (…) …)" goes whole.
  for (let before = ''; before !== rest; ) {
    before = rest;
    rest = rest.replace(/\([^()]*\)|\[[^[\]]*\]|"[^"]*"|“[^”]*”|«[^»]*»/g, ' ');
  }
  return (rest.match(/[\p{L}]+/gu) ?? []).find((w) => VIETNAMESE_ONLY.test(w) && !VIETNAMESE_IN_ENGLISH.has(w.toLowerCase()));
}

/** Everything wrong with one message, as readable sentences (empty when it keeps every rule). */
export function messageProblems(msg: Outbound, options: RuleOptions = {}): string[] {
  const problems: string[] = [];
  const shown = renderPlainText(msg);
  if (shown.length > MESSAGE_LIMIT) problems.push(`${shown.length} characters as shown on Zalo (over ${MESSAGE_LIMIT})`);
  const all = [msg.text, ...(msg.choices ?? []).map((c) => c.label), ...(msg.links ?? []).map((l) => l.label)];
  for (const text of all) {
    if (/undefined|\bnull\b|\bNaN\b|\[object /.test(text)) problems.push(`leftover value in "${text.slice(0, 80)}"`);
    if (/\{\{|\}\}/.test(text)) problems.push(`template tag left in "${text.slice(0, 80)}"`);
    if (options.language === 'en') {
      const untranslated = (options.untranslatedNotes ?? []).some((note) => note && msg.text.includes(note));
      const vietnamese = untranslated ? undefined : vietnameseWordIn(text, options.names);
      if (vietnamese) problems.push(`Vietnamese word "${vietnamese}" outside brackets in "${text.slice(0, 80)}"`);
      continue;
    }
    const english = englishWordIn(text);
    if (english) problems.push(`English word "${english}" in "${text.slice(0, 80)}"`);
  }
  // Markup: only **bold** pairs and escaped \* may remain.
  const bare = msg.text.replace(/\\[\\*]/g, '');
  if ((bare.match(/\*\*/g) ?? []).length % 2 !== 0) problems.push('an unpaired ** in the text');
  if (/\*/.test(bare.replace(/\*\*/g, ''))) problems.push('a lone * in the text');
  if (/<\/?[a-z][^>]*>/i.test(msg.text)) problems.push('an HTML tag in the text');
  for (const label of (msg.choices ?? []).map((c) => c.label)) if (/\*/.test(label)) problems.push(`markup in the choice "${label}"`);
  // Each choice once.
  const labels = (msg.choices ?? []).map((c) => fold(stripMarkup(c.label)));
  const twice = labels.filter((l, i) => labels.indexOf(l) !== i);
  if (twice.length > 0) problems.push(`choice shown twice: ${twice.join(', ')}`);
  const ids = (msg.choices ?? []).map((c) => c.id);
  if (new Set(ids).size !== ids.length) problems.push('two choices with one id');
  // "chọn 'Gặp cán bộ'" only where that choice is shown. Numbered lines are the steps of a
  // portal guide: their buttons are the portal's.
  const own = options.labels ?? [];
  let ownLabels = foldedLabels.get(own);
  if (!ownLabels) foldedLabels.set(own, (ownLabels = own.map((l) => fold(stripMarkup(l)))));
  const prose = stripMarkup(msg.text).split('\n').filter((line) => !/^\d+\. /.test(line)).join('\n');
  for (const m of prose.matchAll(/(?:chọn|bấm|nhấn)\s+(?:nút\s+)?["“'‘]([^"”'’]+)["”'’]/giu)) {
    const named = fold(m[1] as string);
    const ours = ownLabels.some((l) => l === named || l.endsWith(` ${named}`) || l.includes(named));
    if (ours && !labels.some((l) => l.includes(named))) problems.push(`tells the citizen to press "${m[1]}", which is not shown`);
  }
  // Brackets: never one inside another, never two in a row ("(mẫu CC01) (theo mẫu)").
  for (const line of stripMarkup(msg.text).split('\n')) {
    let depth = 0;
    for (const ch of line) {
      if (ch === '(') depth++;
      if (ch === ')') depth--;
      if (depth > 1) {
        problems.push(`brackets inside brackets: "${line.slice(0, 120)}"`);
        break;
      }
    }
    if (/\)\s*\(/.test(line)) problems.push(`two brackets in a row: "${line.slice(0, 120)}"`);
  }
  if (options.language === 'en') return problems;
  const header = options.unverifiedHeader ? stripMarkup(options.unverifiedHeader) : undefined;
  const said = header ? stripMarkup(msg.text).replace(new RegExp(`${escapeRegExp(header)}[^]*?(\n\n|$)`, 'g'), '') : msg.text;
  const lower = ` ${said.normalize('NFC').toLowerCase().replace(/[\s.,;:()"“”'‘’!?…*\-–—/]+/g, ' ')} `;
  for (const hedge of options.hedges ?? []) {
    if (lower.includes(` ${hedge.normalize('NFC').toLowerCase()} `)) problems.push(`hearsay "${hedge}": state the rule and its date, or list it under unverified`);
  }
  return problems;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
