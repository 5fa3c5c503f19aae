/**
 * @module A 12-digit citizen identity (CCCD / căn cước) number. The first three digits are the
 * province code of birth registration (001–096); spaces are allowed. Never logged.
 */
import { z } from 'zod';
import { defineInputTest } from './define-input-test.js';

export const cccdTest = defineInputTest({
  type: 'cccd',
  options: z.object({}).strict(),
  check(text) {
    const digits = text.trim().replace(/[\s.]/g, '');
    if (!/^\d{12}$/.test(digits)) return { ok: false };
    const province = Number(digits.slice(0, 3));
    return province >= 1 && province <= 96 ? { ok: true, value: digits } : { ok: false };
  },
});
