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
