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
  /** Out-of-scope topics near the catalog's: label → what citizens type for them (see `finder.ts`). */
  outside?: Record<string, string[]>;
  /** Questions on an entry's ground it does not answer: out of scope whatever the entry holds. */
  beyond?: Record<string, string[]>;
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

/**
 * An everyday phrase of the query and the official words a synonym added for it. The finder
 * weighs the pair as the phrase the citizen typed, matched when either side matches, so a
 * long official wording ("giấy chứng nhận quyền sử dụng đất" for "sổ đỏ") does not outweigh
 * the rest of the query.
 */
export interface PhraseGroup {
  typed: string[];
  added: string[];
}

export interface AnalysedQuery {
  terms: QueryTerm[];
  groups: PhraseGroup[];
}

export interface TextAnalyser {
  /**
   * Terms indexed for a field of an entry: words, accent keys and word pairs (bigrams); a long
   * field of secondary weight may leave out the pairs or the accents.
   */
  indexTerms(text: string, options?: { pairs?: boolean; accents?: boolean }): string[];
  /**
   * Terms of a citizen's query, each once. `isKnown` (a word of the catalog's vocabulary) lets
   * the analyser split words typed without their space ("khaisinh").
   */
  queryTerms(text: string, isKnown?: (term: string) => boolean): QueryTerm[];
  /** `queryTerms` plus the synonym phrase groups. */
  analyseQuery(text: string, isKnown?: (term: string) => boolean): AnalysedQuery;
}

/** Syllables of a query that are analysed; the rest of a long message is ignored. */
export const MAX_QUERY_SYLLABLES = 60;

/** Separator inside a bigram term; never produced by folding. */
export const BIGRAM_JOINER = '_';

interface Syllable {
  folded: string;
  accent?: string;
  stop?: boolean;
  /** Replaced by a synonym phrase: matched if it can be, not required. */
  optional?: boolean;
}

export interface AnalyserOptions {
  /**
   * Word pairs skip filler ("copy of a diploma" gives "copy diploma"): for English, whose
   * function words sit between the words that matter. Vietnamese pairs are of adjacent syllables.
   */
  pairsSkipFiller?: boolean;
}

export function createTextAnalyser(synonyms: Synonyms, analyserOptions: AnalyserOptions = {}): TextAnalyser {
  const skipFiller = analyserOptions.pairsSkipFiller === true;
  const abbreviations = new Map<string, string[][]>();
  for (const [short, fulls] of Object.entries(synonyms.abbreviations)) {
    abbreviations.set(foldText(short).replace(/ /g, ''), fulls.map((full) => foldText(full).split(' ')));
  }
  const stopwords = new Set(synonyms.stopwords.map(foldText));
  // Filler is matched without accents ("toi" is "tôi"), except that a word typed with accents
  // that no filler word has is not filler: "cải" (cải chính) is not "cái", "đỏ" is not "đó".
  const stopwordAccents = new Set<string>();
  for (const stopword of synonyms.stopwords) {
    for (const segment of segmentSyllables(stopword)) {
      for (const syllable of segment) {
        const key = accentKey(syllable);
        if (key) stopwordAccents.add(key);
      }
    }
  }
  const isFillerSyllable = (accent: string | undefined) => accent === undefined || stopwordAccents.has(accent);
  const phrases = new Map<string, string[][]>();
  // A phrase written with accents meets a syllable typed with the same accents, or typed without
  // any: "hố" (a pothole) is not "hồ" sơ or "hộ" khẩu, "tù" (prison) is not "từ", "cô mất" (an
  // aunt died) is not "có mất" tiền. Phrases that fold alike keep each its own accents.
  const phraseAccents = new Map<string, (string | undefined)[][]>();
  for (const [phrase, officials] of Object.entries(synonyms.phrases)) {
    const key = foldText(phrase);
    phrases.set(key, [...(phrases.get(key) ?? []), ...officials.map((official) => foldText(official).split(' '))]);
    const accents = segmentSyllables(phrase).flat().map((syllable) => accentKey(syllable));
    phraseAccents.set(key, [...(phraseAccents.get(key) ?? []), accents]);
  }
  // In a query typed with accents, a syllable without any is typed so on purpose: "chứng minh
  // thu nhập" is not "chứng minh thư".
  const accentsAgree = (key: string, matched: Syllable[], accented: boolean) =>
    phraseAccents.get(key)?.some((accents) =>
      matched.every((s, j) => (s.accent === undefined ? !accented || accents[j] === undefined : accents[j] === undefined || accents[j] === s.accent)),
    ) ?? true;
  const weak = new Set<string>();
  for (const phrase of synonyms.weak) {
    const words = foldText(phrase).split(' ');
    for (let i = 0; i + 1 < words.length; i++) weak.add(`${words[i]}${BIGRAM_JOINER}${words[i + 1]}`);
  }

  // Unicode normalisation per syllable is the slowest step; a catalog has a few thousand distinct syllables.
  const folds = new Map<string, string>();
  const accents = new Map<string, string | undefined>();
  const fold = (raw: string) => {
    let folded = folds.get(raw);
    if (folded === undefined) {
      folded = foldSyllable(raw);
      // Bounded: citizens' queries must not grow the cache without limit.
      if (folds.size < 100_000) folds.set(raw, folded);
    }
    return folded;
  };
  const accentOf = (raw: string) => {
    if (accents.has(raw)) return accents.get(raw);
    const key = accentKey(raw);
    if (accents.size < 100_000) accents.set(raw, key);
    return key;
  };

  /**
   * A syllable of catalog text → its folded syllables (an abbreviation gives several) and its
   * accent key (none for an abbreviation). Cached: catalog text repeats its syllables endlessly.
   */
  const syllableCache = new Map<string, { folded: string[]; accent?: string }>();
  const analyseSyllable = (raw: string) => {
    let analysed = syllableCache.get(raw);
    if (!analysed) {
      const f = foldSyllable(raw);
      const full = abbreviations.get(f)?.[0];
      const accent = full ? undefined : accentKey(raw);
      analysed = full ? { folded: full } : accent ? { folded: [f], accent } : { folded: [f] };
      if (syllableCache.size < 100_000) syllableCache.set(raw, analysed);
    }
    return analysed;
  };

  // The same pair string object for every occurrence: its hash is computed once, which makes
  // the index build markedly faster than building a fresh string per occurrence.
  const pairs = new Map<string, Map<string, string>>();
  let pairCount = 0;
  const pairOf = (a: string, b: string) => {
    let byRight = pairs.get(a);
    if (!byRight) pairs.set(a, (byRight = new Map()));
    let pair = byRight.get(b);
    if (pair === undefined) {
      pair = `${a}${BIGRAM_JOINER}${b}`;
      if (pairCount++ < 500_000) byRight.set(b, pair);
    }
    return pair;
  };

  /** Raw syllables of a segment → folded syllables, abbreviations expanded (first meaning). */
  const expand = (raw: string[], isKnown?: (term: string) => boolean): Syllable[] => {
    const out: Syllable[] = [];
    for (const r of raw) {
      const folded = fold(r);
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
      const accent = accentOf(r);
      out.push(accent ? { folded, accent } : { folded });
    }
    return out;
  };

  /** First syllable of every key → the longest key starting with it, so most syllables are skipped at once. */
  const startsOf = (keys: Iterable<string>) => {
    const starts = new Map<string, number>();
    for (const key of keys) {
      const words = key.split(' ');
      starts.set(words[0]!, Math.max(starts.get(words[0]!) ?? 0, words.length));
    }
    return starts;
  };
  const phraseStarts = startsOf(phrases.keys());
  const stopwordStarts = startsOf(stopwords);

  /**
   * Calls `onMatch` for the longest run starting at each syllable that `has` accepts. Runs may
   * overlap: in "tách hộ khẩu" both "tách hộ" and "hộ khẩu" are phrases.
   */
  const scan = (syllables: Syllable[], starts: Map<string, number>, has: (key: string) => boolean, onMatch: (from: number, to: number, key: string) => void) => {
    for (let i = 0; i < syllables.length; i++) {
      const maxLength = starts.get(syllables[i]!.folded);
      if (maxLength === undefined) continue;
      for (let n = Math.min(maxLength, syllables.length - i); n >= 1; n--) {
        let key = syllables[i]!.folded;
        for (let j = i + 1; j < i + n; j++) key += ` ${syllables[j]!.folded}`;
        if (has(key)) {
          onMatch(i, i + n, key);
          break;
        }
      }
    }
  };

  return {
    indexTerms(text, options = {}) {
      const withPairs = options.pairs ?? true;
      const withAccents = options.accents ?? true;
      const terms: string[] = [];
      const folded: string[] = [];
      const accented: (string | undefined)[] = [];
      const stop: boolean[] = [];
      for (const raw of segmentSyllables(text)) {
        folded.length = 0;
        accented.length = 0;
        stop.length = 0;
        for (const r of raw) {
          const a = analyseSyllable(r);
          for (const f of a.folded) {
            folded.push(f);
            accented.push(a.accent);
            stop.push(false);
          }
        }
        for (let i = 0; i < folded.length; i++) {
          const maxLength = stopwordStarts.get(folded[i]!);
          if (maxLength === undefined) continue;
          for (let n = Math.min(maxLength, folded.length - i); n >= 1; n--) {
            if (stopwords.has(n === 1 ? folded[i]! : folded.slice(i, i + n).join(' '))) {
              for (let j = i; j < i + n; j++) stop[j] = isFillerSyllable(accented[j]);
              break;
            }
          }
        }
        for (let i = 0; i < folded.length; i++) {
          if (stop[i]) continue;
          terms.push(folded[i]!);
          if (withAccents && accented[i]) terms.push(accented[i]!);
        }
        if (withPairs) for (let i = 0; i + 1 < folded.length; i++) terms.push(pairOf(folded[i]!, folded[i + 1]!));
        if (withPairs && skipFiller) {
          let previous = -1;
          for (let i = 0; i < folded.length; i++) {
            if (stop[i]) continue;
            if (previous >= 0 && previous < i - 1) terms.push(pairOf(folded[previous]!, folded[i]!));
            previous = i;
          }
        }
      }
      return terms;
    },

    queryTerms(text, isKnown) {
      return this.analyseQuery(text, isKnown).terms;
    },

    analyseQuery(text, isKnown) {
      // A chat message can be long; the finder's work grows with its words, so only the first
      // MAX_QUERY_SYLLABLES count (a request is stated early, greetings and all).
      let budget = MAX_QUERY_SYLLABLES;
      const segments: Syllable[][] = [];
      for (const raw of segmentSyllables(text.slice(0, MAX_QUERY_SYLLABLES * 10))) {
        if (budget <= 0) break;
        const kept = raw.slice(0, budget);
        budget -= kept.length;
        segments.push(expand(kept, isKnown));
      }
      const added: Syllable[][] = [];
      const groups: PhraseGroup[] = [];
      const all = segments.flat();
      const accented = all.length >= 3 && all.filter((s) => s.accent !== undefined).length * 2 >= all.length;
      for (const syllables of segments) {
        const onPhrase = (run: Syllable[]) => (from: number, to: number, key: string) => {
          const matched = run.slice(from, to);
          if (matched.every((s) => s.optional)) return; // already found in the first pass
          if (!accentsAgree(key, matched, accented)) return;
          for (const s of matched) s.optional = true;
          const officials = phrases.get(key) ?? [];
          for (const official of officials) added.push(official.map((folded) => ({ folded })));
          groups.push({ typed: matched.map((s) => s.folded), added: [...new Set(officials.flat())] });
        };
        scan(syllables, phraseStarts, (k) => phrases.has(k), onPhrase(syllables));
        scan(syllables, stopwordStarts, (k) => stopwords.has(k), (from, to) => {
          for (let j = from; j < to; j++) syllables[j]!.stop = isFillerSyllable(syllables[j]!.accent);
        });
        // Second pass without the filler, so "bố mất" also fits "bố em mất".
        const content = syllables.filter((s) => !s.stop);
        if (content.length < syllables.length) scan(content, phraseStarts, (k) => phrases.has(k), onPhrase(content));
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
      for (const all of segments) {
        for (const s of all) {
          if (s.stop) continue;
          add(s.folded, 'word', !s.optional && !/^\d+$/.test(s.folded), s.accent ? { accent: s.accent } : {});
          if (s.accent) add(s.accent, 'accent', false);
        }
        const pairsOf = (syllables: Syllable[]) => {
          for (let i = 0; i + 1 < syllables.length; i++) {
            const [a, b] = [syllables[i]!.folded, syllables[i + 1]!.folded];
            const bigram = `${a}${BIGRAM_JOINER}${b}`;
            add(bigram, 'bigram', false, weak.has(bigram) ? { parts: [a, b], weak: true } : { parts: [a, b] });
          }
        };
        pairsOf(all);
        if (skipFiller) pairsOf(all.filter((s) => !s.stop));
      }
      for (const syllables of added) {
        for (const s of syllables) add(s.folded, 'word', false, { expansion: true });
        for (let i = 0; i + 1 < syllables.length; i++) {
          const [a, b] = [syllables[i]!.folded, syllables[i + 1]!.folded];
          const bigram = `${a}${BIGRAM_JOINER}${b}`;
          add(bigram, 'bigram', false, { parts: [a, b], expansion: true, ...(weak.has(bigram) ? { weak: true } : {}) });
        }
      }
      return { terms: [...terms.values()], groups };
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
