/**
 * @module Recognises the name of a unit merged into this one in what a citizen writes ("phường 9",
 * "p9 vũng tàu", "UBND phường 8 cũ", "phuong nguyen an ninh"), from `former_names` in
 * content/unit.yaml, and gives back the rest of the message for the finder.
 */
import { foldSyllable, segmentSyllables } from './normalise-vietnamese.js';

export interface FormerName {
  /** The old unit as written before the comma: "Phường 9". */
  name: string;
  /** What it belonged to, after the comma: "thành phố Vũng Tàu" ('' when not written). */
  of: string;
}

export interface FormerNameMatch extends FormerName {
  /** The message without the old name and its surroundings ("UBND", "cũ", "vũng tàu"), accents kept. */
  rest: string;
}

export interface FormerNameMatcher {
  match(text: string): FormerNameMatch | undefined;
}

/** How citizens abbreviate the kind of unit ("p9", "F.9" in the South, "x. Tân Hưng", "tt"). */
const KIND_SPELLINGS: Record<string, string[][]> = {
  phuong: [['phuong'], ['p'], ['f']],
  xa: [['xa'], ['x']],
  'thi tran': [['thi', 'tran'], ['tt']],
};

/** Words around an old name that say nothing more: "UBND phường 9 cũ (TP. Vũng Tàu)". */
const AROUND = [['ubnd'], ['uy', 'ban', 'nhan', 'dan'], ['cu'], ['tp'], ['thanh', 'pho'], ['tinh']];

/**
 * A message that names a district ("phường 9 quận 3", "p9 q.Tân Bình") is about another unit of
 * the same number, not ours.
 */
const OTHER_DISTRICT = /^(quan|huyen|q\d+|q)$/;

export function createFormerNameMatcher(formerNames: readonly string[]): FormerNameMatcher {
  const patterns = formerNames.map((full) => {
    const [head = '', ...tail] = full.split(',');
    const words = foldWords(head);
    const kind = Object.keys(KIND_SPELLINGS).find((k) => startsWith(words, k.split(' ')));
    const designator = kind ? words.slice(kind.split(' ').length) : words;
    const spellings = kind ? (KIND_SPELLINGS[kind] ?? []).flatMap((prefix) => [[...prefix, ...designator], ...(designator.length === 1 ? [[`${prefix.join('')}${designator[0]}`]] : [])]) : [designator];
    // A named unit may also be written without its kind after "UBND" ("UBND Nguyễn An Ninh"); a bare
    // number or name alone is not enough ("số 9", "đường Nguyễn An Ninh").
    if (kind && !designator.every((w) => /^\d+$/.test(w))) spellings.push(['ubnd', ...designator]);
    return { name: head.trim(), of: tail.join(',').trim(), spellings, context: foldWords(tail.join(' ')) };
  });

  return {
    match(text) {
      const original = segmentSyllables(text).flat();
      const folded = original.map(foldSyllable);
      if (folded.some((w) => OTHER_DISTRICT.test(w))) return undefined;
      for (const pattern of patterns) {
        for (const spelling of pattern.spellings) {
          const at = indexOf(folded, spelling);
          if (at < 0) continue;
          const drop = new Set<number>();
          for (let i = at; i < at + spelling.length; i += 1) drop.add(i);
          // The unit's own place name ("vũng tàu") and the filler words around an old name.
          for (const words of [pattern.context.slice(-2), ...AROUND]) {
            if (words.length === 0) continue;
            for (let i = indexOf(folded, words); i >= 0; i = indexOf(folded, words, i + 1)) {
              for (let j = i; j < i + words.length; j += 1) drop.add(j);
            }
          }
          const rest = original.filter((_, i) => !drop.has(i)).join(' ');
          return { name: pattern.name, of: pattern.of, rest };
        }
      }
      return undefined;
    },
  };
}

function foldWords(text: string): string[] {
  return segmentSyllables(text).flat().map(foldSyllable);
}

function startsWith(words: string[], prefix: string[]): boolean {
  return prefix.every((w, i) => words[i] === w);
}

function indexOf(words: string[], phrase: string[], from = 0): number {
  for (let i = from; i + phrase.length <= words.length; i += 1) {
    if (phrase.every((w, j) => words[i + j] === w)) return i;
  }
  return -1;
}
