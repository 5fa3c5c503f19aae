/**
 * @module Vietnamese text folding, the one implementation (the catalog's syllable normalisation
 * builds on it): marks and đ removed, a word's tone taken apart from its letters, and folding for
 * matching commands and choice labels (lower case, punctuation dropped, spaces collapsed:
 * "Gặp cán bộ!" and "gap can bo" fold alike).
 */

/** Combining tone marks (NFD): huyền, sắc, hỏi, ngã, nặng → tone number (ngang, no mark, is 0). */
export const TONE_MARKS: Readonly<Record<string, number>> = { '\u0300': 2, '\u0301': 1, '\u0309': 3, '\u0303': 4, '\u0323': 5 };

/** Every combining mark (tones and vowel marks) removed, đ → d, Đ → D; case and punctuation kept. */
export function stripMarks(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'));
}

/**
 * A word's letters (NFC, vowel marks and đ kept) and its tone number, wherever the tone mark was
 * placed ("hoà" and "hòa" → letters "hoa", tone 2).
 */
export function splitTone(word: string): { letters: string; tone: number } {
  let tone = 0;
  let letters = '';
  for (const ch of word.normalize('NFD')) {
    const t = TONE_MARKS[ch];
    if (t !== undefined) tone = t;
    else letters += ch;
  }
  return { letters: letters.normalize('NFC'), tone };
}

/** For commands and choice labels: lower case, marks and đ removed, punctuation to spaces (`/` kept). */
export function fold(text: string): string {
  return stripMarks(text)
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
      // The tone as a digit, so where its mark is placed (hoà/hòa) does not matter.
      const { letters: base, tone } = splitTone(word);
      return base === folded && tone === 0 ? { folded } : { folded, accent: `${base}${tone || ''}` };
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
