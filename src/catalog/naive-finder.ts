/**
 * @module A deliberately simple finder, the baseline `eval:finder` measures the real one
 * against: accent-folded word overlap with entry names only, no synonyms, no typos.
 */
import type { Catalog } from './load-catalog.js';
import { foldText } from './normalise-vietnamese.js';
import type { FindAnswer, Finder, FinderResult } from './types.js';

export function createNaiveFinder(catalog: Catalog): Finder {
  const names = catalog.entries.map((entry) => ({ entry, words: new Set(foldText(entry.name).split(' ')) }));
  const search = (query: string, limit = 5): FinderResult[] => {
    const words = new Set(foldText(query).split(' ').filter(Boolean));
    return names
      .map(({ entry, words: nameWords }) => {
        let overlap = 0;
        for (const w of words) if (nameWords.has(w)) overlap++;
        return { id: entry.id, name: entry.name, score: overlap / Math.sqrt(nameWords.size) };
      })
      .filter((r) => r.score > 0)
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
      .slice(0, limit);
  };
  return {
    search,
    find(query): FindAnswer {
      const results = search(query, 5);
      return { outcome: results.length === 0 ? 'none' : 'ambiguous', results };
    },
  };
}
