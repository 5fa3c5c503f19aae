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
}

/**
 * Builds the index once (about a millisecond per hundred entries); `search` and `find` are then
 * synchronous and cheap enough to run on every message.
 */
export function createFinder(catalog: Catalog, options: FinderOptions = {}): Finder {
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
  const idf = (term: string) => Math.log(1 + entryCount / (documentFrequency.get(term) ?? 0.5));
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

  const rank = (query: string): Scored[] => {
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
        return KIND_BOOST[t.kind] * (t.kind === 'word' && !t.counts ? 0.5 : 1);
      },
      fuzzy: (term) => fuzziness(term, byTerm.get(term), isKnown),
      weights: { fuzzy: 0.6, prefix: 0 },
    });

    const scored = hits.map((hit: SearchResult): Scored => {
      const matched = new Set(hit.queryTerms);
      const covered = counted.reduce((sum, t) => sum + (matched.has(t.term) ? idf(t.term) : 0), 0);
      const coverage = totalWeight > 0 ? covered / totalWeight : 0;
      return { entry: catalog.byId.get(hit.id as string)!, score: hit.score * (0.2 + coverage) ** 2, coverage };
    });
    scored.sort((a, b) => b.score - a.score || a.entry.id.localeCompare(b.entry.id));
    const best = scored[0];
    if (!best || best.coverage < minCoverage) return [];
    return scored.filter((s) => s.coverage >= minCoverage * 0.6 && s.score >= best.score * minRelativeScore);
  };

  const toResult = (s: Scored): FinderResult => ({ id: s.entry.id, name: s.entry.name, score: Math.round(s.score * 100) / 100 });

  return {
    search(query, limit = 5) {
      return rank(query).slice(0, Math.max(0, limit)).map(toResult);
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

/** Typos are looked up fuzzily only for words and bigrams the catalog does not know. */
function fuzziness(term: string, t: QueryTerm | undefined, isKnown: (term: string) => boolean): number | false {
  if (!t || t.kind === 'accent' || isKnown(term) || /\d/.test(term)) return false;
  if (t.kind === 'word') return term.length >= 4 ? 1 : false;
  return term.length >= 8 ? 1 : false;
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
