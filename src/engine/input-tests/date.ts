/** @module A real calendar date written dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy); saved as YYYY-MM-DD. */
import { z } from 'zod';
import { defineInputTest } from './define-input-test.js';

export const dateTest = defineInputTest({
  type: 'date',
  options: z.object({ min_year: z.number().int().default(1900), max_year: z.number().int().default(2100) }).strict(),
  check(text, { min_year, max_year }) {
    const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim());
    if (!match) return { ok: false };
    const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (year < min_year || year > max_year) return { ok: false };
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { ok: false };
    return { ok: true, value: date.toISOString().slice(0, 10) };
  },
});
