/**
 * @module Turns catalog text and citizens' queries into search terms: folded syllables, accent
 * keys (so exact-accent matches rank higher), and syllable bigrams (so the two-syllable word
 * "khai sinh" beats "sinh" and "khai" found apart), with the abbreviations, everyday phrases and
 * filler words of `content/synonyms.yaml` applied.
 */
import { accentKey, foldSyllable, foldText, segmentSyllables } from './normalise-vietnamese.js';

/** `content/synonyms.yaml` with every value as a list (see `catalog/schema.ts` for the file). */
export interface Synonyms {
  abbreviations: Record<string, string[]>;
  phrases: Record<string, string[]>;
  stopwords: string[];
  /** Everyday two-syllable words that alone do not make a query about public services. */
  weak: string[];
}

export type TermKind = 'word' | 'accent' | 'bigram';

export interface QueryTerm {
  term: string;
  kind: TermKind;
  /**
   * Whether the finder expects this word to match for the query to be about that entry. False
   * for words a synonym phrase replaced ("giấy độc thân" once "tình trạng hôn nhân" is added),
   * and for bare numbers; filler words are not returned at all.
   */
  counts: boolean;
  /** For a word typed with diacritics: its accent key, to tell "số" from "sơ". */
  accent?: string;
  /** Added by a synonym phrase rather than typed. */
  expansion?: boolean;
  /** For a bigram listed as weak in synonyms: matching it is no evidence of being in scope. */
  weak?: boolean;
  /** For a bigram: its two words. */
  parts?: [string, string];
}

export interface TextAnalyser {
  /** Terms indexed for a field of an entry. */
  indexTerms(text: string): string[];
  /**
   * Terms of a citizen's query, each once. `isKnown` (a word of the catalog's vocabulary) lets
   * the analyser split words typed without their space ("khaisinh").
   */
  queryTerms(text: string, isKnown?: (term: string) => boolean): QueryTerm[];
}

/** Separator inside a bigram term; never produced by folding. */
export const BIGRAM_JOINER = '_';

interface Syllable {
  folded: string;
  accent?: string;
  stop?: boolean;
  /** Replaced by a synonym phrase: matched if it can be, not required. */
  optional?: boolean;
}

export function createTextAnalyser(synonyms: Synonyms): TextAnalyser {
  const abbreviations = new Map<string, string[][]>();
  for (const [short, fulls] of Object.entries(synonyms.abbreviations)) {
    abbreviations.set(foldText(short).replace(/ /g, ''), fulls.map((full) => foldText(full).split(' ')));
  }
  const phrases = new Map<string, string[][]>();
  for (const [phrase, officials] of Object.entries(synonyms.phrases)) {
    phrases.set(foldText(phrase), officials.map((official) => foldText(official).split(' ')));
  }
  const stopwords = new Set(synonyms.stopwords.map(foldText));
  const weak = new Set<string>();
  for (const phrase of synonyms.weak) {
    const words = foldText(phrase).split(' ');
    for (let i = 0; i + 1 < words.length; i++) weak.add(`${words[i]}${BIGRAM_JOINER}${words[i + 1]}`);
  }
  const longest = (keys: Iterable<string>) => Math.max(1, ...[...keys].map((k) => k.split(' ').length));
  const longestPhrase = longest(phrases.keys());
  const longestStopword = longest(stopwords);

  /** Raw syllables of a segment → folded syllables, abbreviations expanded (first meaning). */
  const expand = (raw: string[], isKnown?: (term: string) => boolean): Syllable[] => {
    const out: Syllable[] = [];
    for (const r of raw) {
      const folded = foldSyllable(r);
      const full = abbreviations.get(folded);
      if (full?.[0]) {
        for (const f of full[0]) out.push({ folded: f });
        continue;
      }
      const split = isKnown && !isKnown(folded) ? splitRunTogether(folded, isKnown) : undefined;
      if (split) {
        out.push({ folded: split[0] }, { folded: split[1] });
        continue;
      }
      const accent = accentKey(r);
      out.push(accent ? { folded, accent } : { folded });
    }
    return out;
  };

  /**
   * Calls `onMatch` for the longest run starting at each syllable that `has` accepts. Runs may
   * overlap: in "tách hộ khẩu" both "tách hộ" and "hộ khẩu" are phrases.
   */
  const scan = (syllables: Syllable[], maxLength: number, has: (key: string) => boolean, onMatch: (from: number, to: number, key: string) => void) => {
    for (let i = 0; i < syllables.length; i++) {
      for (let n = Math.min(maxLength, syllables.length - i); n >= 1; n--) {
        const key = syllables.slice(i, i + n).map((s) => s.folded).join(' ');
        if (has(key)) {
          onMatch(i, i + n, key);
          break;
        }
      }
    }
  };

  const bigramsOf = (syllables: Syllable[]): string[] => {
    const out: string[] = [];
    for (let i = 0; i + 1 < syllables.length; i++) out.push(`${syllables[i]!.folded}${BIGRAM_JOINER}${syllables[i + 1]!.folded}`);
    return out;
  };

  return {
    indexTerms(text) {
      const terms: string[] = [];
      for (const raw of segmentSyllables(text)) {
        const syllables = expand(raw);
        scan(syllables, longestStopword, (k) => stopwords.has(k), (from, to) => {
          for (let j = from; j < to; j++) syllables[j]!.stop = true;
        });
        for (const s of syllables) {
          if (s.stop) continue;
          terms.push(s.folded);
          if (s.accent) terms.push(s.accent);
        }
        terms.push(...bigramsOf(syllables));
      }
      return terms;
    },

    queryTerms(text, isKnown) {
      const segments = segmentSyllables(text).map((raw) => expand(raw, isKnown));
      const added: Syllable[][] = [];
      for (const syllables of segments) {
        scan(syllables, longestPhrase, (k) => phrases.has(k), (from, to, key) => {
          for (let j = from; j < to; j++) syllables[j]!.optional = true;
          for (const official of phrases.get(key) ?? []) added.push(official.map((folded) => ({ folded })));
        });
        scan(syllables, longestStopword, (k) => stopwords.has(k), (from, to) => {
          for (let j = from; j < to; j++) syllables[j]!.stop = true;
        });
      }
      const terms = new Map<string, QueryTerm>();
      const add = (term: string, kind: TermKind, counts: boolean, extra: Partial<QueryTerm> = {}) => {
        const seen = terms.get(term);
        if (!seen) terms.set(term, { term, kind, counts, ...extra });
        else {
          if (counts) seen.counts = true;
          if (!extra.expansion) delete seen.expansion;
        }
      };
      for (const syllables of segments) {
        for (const s of syllables) {
          if (s.stop) continue;
          add(s.folded, 'word', !s.optional && !/^\d+$/.test(s.folded), s.accent ? { accent: s.accent } : {});
          if (s.accent) add(s.accent, 'accent', false);
        }
        for (let i = 0; i + 1 < syllables.length; i++) {
          const [a, b] = [syllables[i]!.folded, syllables[i + 1]!.folded];
          const bigram = `${a}${BIGRAM_JOINER}${b}`;
          add(bigram, 'bigram', false, weak.has(bigram) ? { parts: [a, b], weak: true } : { parts: [a, b] });
        }
      }
      for (const syllables of added) {
        for (const s of syllables) add(s.folded, 'word', true, { expansion: true });
        for (let i = 0; i + 1 < syllables.length; i++) {
          const [a, b] = [syllables[i]!.folded, syllables[i + 1]!.folded];
          const bigram = `${a}${BIGRAM_JOINER}${b}`;
          add(bigram, 'bigram', false, { parts: [a, b], expansion: true, ...(weak.has(bigram) ? { weak: true } : {}) });
        }
      }
      return [...terms.values()];
    },
  };
}

/** "khaisinh" → ["khai", "sinh"] when both halves and the pair are known; else undefined. */
function splitRunTogether(word: string, isKnown: (term: string) => boolean): [string, string] | undefined {
  if (word.length < 5 || /\d/.test(word)) return undefined;
  for (let i = 2; i <= word.length - 2; i++) {
    const left = word.slice(0, i);
    const right = word.slice(i);
    if (isKnown(left) && isKnown(right) && isKnown(`${left}${BIGRAM_JOINER}${right}`)) return [left, right];
  }
  return undefined;
}
