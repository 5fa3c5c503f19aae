/**
 * @module The numbers a text states, so two texts of one fact in two languages can be compared:
 * a fee, a time limit, a date or an article is the same fact in Vietnamese and in English.
 */

/**
 * The numbers a text states, as a sorted set of canonical strings: "8.000 đồng" and "8,000 dong"
 * both give 8000, "01/07/2025" gives 1, 7 and 2025, "15 giờ" and "15:00" give 15, "7:30" stays 7:30,
 * "66.7/2025" gives 66.7 and 2025. Numbers written as words are not read.
 */
export function numbersOf(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/\d+(?:[.,]\d+)*(?::\d{2})?/g)) {
    let token = match[0];
    let minutes = '';
    const time = /^(\d{1,2}):(\d{2})$/.exec(token);
    if (time) {
      token = time[1] as string;
      minutes = time[2] === '00' ? '' : `:${time[2]}`;
    }
    // 8.000 / 8,000 / 2.000.000: thousands; 1,5 / 66.7: a decimal (comma or point).
    const digits = /^\d{1,3}([.,])\d{3}(\1\d{3})*$/.test(token) ? token.replace(/[.,]/g, '') : token.replace(',', '.');
    const value = Number(digits);
    found.add(`${Number.isFinite(value) ? String(value) : digits}${minutes}`);
  }
  return [...found].sort();
}
