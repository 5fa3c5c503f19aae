/**
 * @module Vietnamese text normalisation for matching: Unicode forms, tone marks and đ folded,
 * old/new tone placement (hoà/hòa, thuỷ/thủy) and i/y spellings (kí/ký, lí/lý) unified, text
 * split into syllables and segments (bigrams never cross punctuation).
 */
import { splitTone, stripMarks } from '../engine/fold.js';

/** Combining vowel-quality marks (NFD): breve (ă), circumflex (â ê ô), horn (ơ ư). */
const VOWEL_MARKS = /[\u0306\u0302\u031b]/;

/**
 * A syllable that is a consonant cluster followed by a lone "y" is the same word spelt with "i"
 * (kỹ/kĩ, lý/lí, quý/quí, mỹ/mĩ); both spellings are in official use, so matching maps y → i.
 * A lone "y" (y tế) and "uy" after a consonant (thuỷ, huy) keep their y.
 */
const CONSONANT_THEN_Y = /^(qu|[bcdđghklmnprstvx]+)y$/;

/** Lower case, NFC, Telex leftovers ("dd" typed for đ at the start of a word) repaired. */
export function canonicalSyllable(syllable: string): string {
  let s = syllable.normalize('NFC').toLowerCase();
  if (s.startsWith('dd') && s.length > 2) s = `đ${s.slice(2)}`;
  return s;
}

/** Folded form used for matching: no tone, no vowel marks, đ → d, i/y unified. "Đăng Ký" → "dang ki". */
export function foldSyllable(syllable: string): string {
  const bare = stripMarks(canonicalSyllable(syllable));
  return bare.replace(CONSONANT_THEN_Y, '$1i');
}

/**
 * Accent key: the syllable's letters with vowel marks kept, plus its tone as a digit, so the
 * position of the tone mark does not matter ("hoà" and "hòa" → "hoa2", "thuỷ"/"thủy" → "thuy3").
 * Returns undefined for a syllable without any diacritic: it carries no accent information
 * beyond its folded form (the citizen may simply have typed without accents).
 */
export function accentKey(syllable: string): string | undefined {
  const { letters: base, tone } = splitTone(canonicalSyllable(syllable));
  if (tone === 0 && !VOWEL_MARKS.test(base.normalize('NFD')) && !base.includes('đ')) return undefined;
  return `${base.replace(CONSONANT_THEN_Y, '$1i')}${tone}`;
}

/** Folds a whole text: "Giấy khai sinh (bản sao)" → "giay khai sinh ban sao". */
export function foldText(text: string): string {
  return segmentSyllables(text)
    .map((segment) => segment.map(foldSyllable).join(' '))
    .join(' ');
}

/**
 * Splits text into segments (at punctuation and line breaks) of syllables (runs of letters and
 * digits). Segments matter because a two-syllable word never spans a comma: in "Đăng ký, cấp giấy"
 * "ký cấp" is not a word.
 */
export function segmentSyllables(text: string): string[][] {
  const segments: string[][] = [];
  let segment: string[] = [];
  let start = -1;
  const nfc = text.normalize('NFC');
  for (let i = 0; i <= nfc.length; i++) {
    const kind = i < nfc.length ? charKind(nfc.charCodeAt(i)) : SEPARATOR;
    if (kind === WORD) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      segment.push(nfc.slice(start, i));
      start = -1;
    }
    if (kind === SEPARATOR && segment.length > 0) {
      segments.push(segment);
      segment = [];
    }
  }
  return segments;
}

const WORD = 1;
const SPACE = 2;
const SEPARATOR = 3;
/** Character class by UTF-16 code unit, filled on first use (this runs on every catalog text). */
const kinds = new Uint8Array(65536);

function charKind(code: number): number {
  let kind = kinds[code]!;
  if (kind === 0) {
    const ch = String.fromCharCode(code);
    // Surrogate halves (emoji) separate like punctuation; a newline separates like a comma.
    kind = /[\p{L}\p{M}\p{N}]/u.test(ch) ? WORD : /\s/.test(ch) && ch !== '\n' ? SPACE : SEPARATOR;
    kinds[code] = kind;
  }
  return kind;
}
