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
