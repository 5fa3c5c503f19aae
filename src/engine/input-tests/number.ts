/**
 * @module A number in a range, written as Vietnamese write them: "1.000.000" (dots group
 * thousands), "2,5" or "2.5" (a decimal with one or two digits after the mark).
 */
import { z } from 'zod';
import { defineInputTest } from './define-input-test.js';

function parseVietnameseNumber(text: string): number | null {
  const s = text.trim().replace(/\s/g, '');
  if (/^-?\d+$/.test(s)) return Number(s);
  if (/^-?\d{1,3}(\.\d{3})+$/.test(s)) return Number(s.replace(/\./g, ''));
  if (/^-?\d+[.,]\d{1,2}$/.test(s)) return Number(s.replace(',', '.'));
  return null;
}

export const numberTest = defineInputTest({
  type: 'number',
  options: z.object({ min: z.number().optional(), max: z.number().optional(), integer: z.boolean().default(false) }).strict(),
  check(text, { min, max, integer }) {
    const value = parseVietnameseNumber(text);
    if (value === null || !Number.isFinite(value)) return { ok: false };
    if (integer && !Number.isInteger(value)) return { ok: false };
    if (min !== undefined && value < min) return { ok: false };
    if (max !== undefined && value > max) return { ok: false };
    return { ok: true, value };
  },
});
