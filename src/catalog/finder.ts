/**
 * @module The procedure finder: MiniSearch (BM25 over name, aliases, keywords and summary) fed
 * with Vietnamese terms from `text-analyser.ts`, then re-ranked by how much of the query an
 * entry explains, which is also what tells an out-of-scope query ("kết quả xổ số") from a real one.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import type { Catalog } from './load-catalog.js';
import { createTextAnalyser, type QueryTerm } from './text-analyser.js';
import type { CatalogEntry, FindAnswer, Finder, FinderResult } from './types.js';

/** Field weights: citizens' words (aliases, keywords) count as much as the official name. */
const FIELD_BOOST = { name: 3, aliases: 2.5, keywords: 2.5, summary: 0.6 } as const;
/** Term-kind weights: a two-syllable word matched whole is worth more than its syllables apart. */
const KIND_BOOST = { word: 1, accent: 0.4, bigram: 1.6 } as const;

export interface FinderOptions {
  /**
   * Share of the query (weighted by how rare each word is in the catalog) the best entry must
   * explain for the query to count as in scope. Below it the finder answers nothing.
   */
  minCoverage?: number;
  /** Results scoring under this share of the best one are dropped as noise. */
  minRelativeScore?: number;
}

interface Scored {
  entry: CatalogEntry;
  score: number;
  coverage: number;
  /** A two-syllable word of the query matched the entry's name, aliases or keywords. */
  phraseMatched: boolean;
  /** Query terms the entry matched, for `explain`. */
  matched: string[];
}

/** A finder that can also say why it ranked as it did (for `eval:finder --verbose` and tests). */
export interface ExplainingFinder extends Finder {
  explain(query: string): { id: string; score: number; coverage: number; matched: string[] }[];
}

/**
 * Builds the index once (about a millisecond per hundred entries); `search` and `find` are then
 * synchronous and cheap enough to run on every message.
 */
export function createFinder(catalog: Catalog, options: FinderOptions = {}): ExplainingFinder {
  const minCoverage = options.minCoverage ?? 0.55;
  const minRelativeScore = options.minRelativeScore ?? 0.15;
  const analyser = createTextAnalyser(catalog.synonyms);

  // Document frequency of every indexed term, for the coverage weights and for telling typos
  // (unknown words, worth a fuzzy lookup) from words the catalog knows.
  const documentFrequency = new Map<string, number>();
  const termsCache = new Map<string, string[]>();
  const indexTerms = (text: string) => {
    let terms = termsCache.get(text);
    if (!terms) {
      terms = analyser.indexTerms(text);
      termsCache.set(text, terms);
    }
    return terms;
  };
  for (const entry of catalog.entries) {
    const seen = new Set<string>();
    for (const field of Object.keys(FIELD_BOOST) as (keyof typeof FIELD_BOOST)[]) {
      for (const term of indexTerms(fieldText(entry, field))) seen.add(term);
    }
    for (const term of seen) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const entryCount = Math.max(1, catalog.entries.length);
  // A word the catalog has never seen is the strongest sign a query is about something else
  // ("xổ số", "taxi"), so it weighs more than the rarest known word.
  const idf = (term: string) => {
    const df = documentFrequency.get(term);
    return df === undefined ? 1.5 * Math.log(1 + 2 * entryCount) : Math.log(1 + entryCount / df);
  };
  const isKnown = (term: string) => documentFrequency.has(term);

  const index = new MiniSearch<CatalogEntry>({
    idField: 'id',
    fields: Object.keys(FIELD_BOOST),
    extractField: (entry, field) => (field === 'id' ? entry.id : fieldText(entry, field as keyof typeof FIELD_BOOST)),
    tokenize: indexTerms,
    processTerm: (term) => term,
  });
  index.addAll(catalog.entries);
  termsCache.clear();

  const rank = (query: string, all = false): Scored[] => {
    const terms = analyser.queryTerms(query, isKnown);
    const words = terms.filter((t) => t.kind === 'word');
    if (words.length === 0) return [];
    const counted = words.some((t) => t.counts) ? words.filter((t) => t.counts) : words;
    const totalWeight = counted.reduce((sum, t) => sum + idf(t.term), 0);
    const byTerm = new Map<string, QueryTerm>(terms.map((t) => [t.term, t]));

    const hits = index.search(terms.map((t) => t.term).join(' '), {
      tokenize: (text) => text.split(' '),
      processTerm: (term) => term,
      combineWith: 'OR',
      boost: FIELD_BOOST,
      boostTerm: (term) => {
        const t = byTerm.get(term);
        if (!t) return 1;
        // Words a synonym added help, but must not outweigh what the citizen typed.
        return KIND_BOOST[t.kind] * (t.kind === 'word' && !t.counts ? 0.5 : 1) * (t.expansion ? 0.6 : 1);
      },
      fuzzy: (term) => fuzziness(term, byTerm.get(term), isKnown),
      weights: { fuzzy: 0.6, prefix: 0 },
    });

    const scored = hits.map((hit: SearchResult): Scored => {
      const strength = matchStrength(hit, terms);
      const covered = counted.reduce((sum, t) => sum + idf(t.term) * (strength.get(t.term) ?? 0), 0);
      let coverage = totalWeight > 0 ? covered / totalWeight : 0;
      // A query of several words is about an entry only if some two-syllable word of it matches
      // the entry's own name, aliases or keywords: "dự báo thời tiết" shares three common
      // syllables with a summary somewhere, but no word.
      const phraseMatched = terms.some((t) => t.kind === 'bigram' && !t.weak && strength.get(t.term) === 1);
      if (counted.length > 1 && !phraseMatched) coverage *= 0.5;
      return {
        entry: catalog.byId.get(hit.id as string)!,
        score: hit.score * (0.2 + coverage) ** 2,
        coverage,
        phraseMatched,
        matched: hit.queryTerms,
      };
    });
    scored.sort((a, b) => b.score - a.score || a.entry.id.localeCompare(b.entry.id));
    const best = scored[0];
    if (all) return scored;
    const inScope = (s: Scored) => s.coverage >= minCoverage || (s.phraseMatched && s.coverage >= minCoverage * 0.6);
    if (!best || !inScope(best)) return [];
    return scored.filter((s) => s.coverage >= minCoverage * 0.5 && s.score >= best.score * minRelativeScore);
  };

  const toResult = (s: Scored): FinderResult => ({ id: s.entry.id, name: s.entry.name, score: Math.round(s.score * 100) / 100 });

  return {
    search(query, limit = 5) {
      return rank(query).slice(0, Math.max(0, limit)).map(toResult);
    },
    explain(query) {
      return rank(query, true).map((s) => ({ ...toResult(s), coverage: Math.round(s.coverage * 100) / 100, matched: s.matched }));
    },
    find(query) {
      const ranked = rank(query).slice(0, 5);
      return { outcome: outcomeOf(ranked), results: ranked.map(toResult) };
    },
  };
}

/**
 * Confident: the best entry explains most of the query and clearly beats the next one. The
 * flow still confirms a confident match ("Có phải anh/chị muốn…?"); ambiguous asks which.
 */
function outcomeOf(ranked: Scored[]): FindAnswer['outcome'] {
  const [best, second] = ranked;
  if (!best) return 'none';
  if (best.coverage < 0.75) return 'ambiguous';
  if (second && second.score > best.score * 0.7) return 'ambiguous';
  return 'confident';
}

/**
 * How well each query term matched an entry: 1 in its name, aliases or keywords, 0.5 only in
 * its summary (a summary mentions many things the entry is not about); half that again for a
 * fuzzy (typo) match.
 */
function matchStrength(hit: SearchResult, terms: QueryTerm[]): Map<string, number> {
  const strength = new Map<string, number>();
  const raise = (term: string, value: number) => {
    if (value > (strength.get(term) ?? 0)) strength.set(term, value);
  };
  const queryTerms = new Set(hit.queryTerms);
  for (const [docTerm, fields] of Object.entries(hit.match)) {
    // match is keyed by the document's term; map a fuzzy match back to the query term it
    // answered, and count it half: "chao" is not quite "chau".
    const exact = queryTerms.has(docTerm);
    const queryTerm = exact ? docTerm : closestQueryTerm(docTerm, terms, queryTerms);
    if (queryTerm) raise(queryTerm, (fields.some((f) => f !== 'summary') ? 1 : 0.5) * (exact ? 1 : 0.5));
  }
  for (const t of terms) {
    // A word typed with diacritics that matched only without them is another word ("số" is
    // not "sơ"), or a wrong accent: half.
    if (t.kind === 'word' && t.accent && strength.has(t.term) && !strength.has(t.accent)) {
      strength.set(t.term, strength.get(t.term)! * 0.5);
    }
  }
  for (const t of terms) {
    // A matched bigram covers its words, so "khai sin" (matched as "khai sinh") covers "sin".
    const value = t.kind === 'bigram' && t.parts ? strength.get(t.term) : undefined;
    if (value !== undefined) for (const part of t.parts!) raise(part, value);
  }
  return strength;
}

/** For a fuzzy match, the query term (among those that matched) nearest to the document term. */
function closestQueryTerm(docTerm: string, terms: QueryTerm[], matched: Set<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const t of terms) {
    if (!matched.has(t.term)) continue;
    const d = editDistance(t.term, docTerm, 2);
    if (d < bestDistance) {
      best = t.term;
      bestDistance = d;
    }
  }
  return bestDistance <= 2 ? best : undefined;
}

/** Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** Typos are looked up fuzzily only for words and bigrams the catalog does not know. */
function fuzziness(term: string, t: QueryTerm | undefined, isKnown: (term: string) => boolean): number | false {
  if (!t || t.kind === 'accent' || isKnown(term) || /\d/.test(term)) return false;
  // Vietnamese syllables are short: one edit in a four-letter word is usually another word.
  if (t.kind === 'word') return term.length >= 5 ? 1 : false;
  return term.length >= 7 ? 1 : false;
}

function fieldText(entry: CatalogEntry, field: keyof typeof FIELD_BOOST): string {
  switch (field) {
    case 'name':
      return entry.name;
    case 'aliases':
      return entry.aliases.join('\n');
    case 'keywords':
      return entry.keywords.join('\n');
    case 'summary':
      return entry.summary;
  }
}
