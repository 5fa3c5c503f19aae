/**
 * @module Folding Vietnamese text for matching commands and choice labels: lower case, tone marks
 * and đ removed, punctuation dropped, spaces collapsed. "Gặp cán bộ!" and "gap can bo" fold alike.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/]+/gu, ' ')
    .trim();
}

const labels = new Map<string, string>();
const LABEL_CACHE_LIMIT = 2000;

/**
 * `fold` for labels and words from flows and content, which come back on every turn. Never for
 * what citizens write: that must not be kept in memory beyond the turn.
 */
export function foldLabel(label: string): string {
  let folded = labels.get(label);
  if (folded === undefined) {
    folded = fold(label);
    if (labels.size >= LABEL_CACHE_LIMIT) labels.clear();
    labels.set(label, folded);
  }
  return folded;
}

/** Tone marks (NFD) → tone digit, so where a tone mark is placed (hoà/hòa) does not matter. */
const TONE_DIGITS: Readonly<Record<string, string>> = { '\u0300': '2', '\u0301': '1', '\u0309': '3', '\u0303': '4', '\u0323': '5' };

export interface PhraseWord {
  folded: string;
  /** Letters with their vowel marks plus the tone digit; absent for a word typed without any diacritic. */
  accent?: string;
}

/** The words of a text, each folded and, when it carries diacritics, with its accent key. */
export function phraseWords(text: string): PhraseWord[] {
  return text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map((word) => {
      const folded = fold(word);
      let tone = '';
      let letters = '';
      for (const ch of word.normalize('NFD')) {
        const digit = TONE_DIGITS[ch];
        if (digit) tone = digit;
        else letters += ch;
      }
      const base = letters.normalize('NFC');
      return base === folded && tone === '' ? { folded } : { folded, accent: `${base}${tone}` };
    });
}

/**
 * Whether `phrase` occurs in `words` as whole consecutive words. A word the citizen typed without
 * diacritics matches by its folded form ("chay nha" is "cháy nhà"); a word typed with diacritics
 * must carry the phrase's own ("đang chạy" is not "đang cháy"). With `accented`, every word must
 * be typed with the phrase's accents ("cháy" alone; "chay" is ăn chay as often as cháy).
 */
export function containsPhrase(words: PhraseWord[], phrase: PhraseWord[], accented = false): boolean {
  if (phrase.length === 0) return false;
  for (let i = 0; i + phrase.length <= words.length; i++) {
    let all = true;
    for (let j = 0; j < phrase.length && all; j++) {
      const typed = words[i + j]!;
      const wanted = phrase[j]!;
      const bare = typed.accent === undefined;
      all = typed.folded === wanted.folded && (bare ? !accented || wanted.accent === undefined : typed.accent === (wanted.accent ?? typed.folded));
    }
    if (all) return true;
  }
  return false;
}
