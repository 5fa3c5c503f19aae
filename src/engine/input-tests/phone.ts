/**
 * @module A Vietnamese mobile or landline number: 10 digits starting with 0 (or +84 / 84 then
 * 9 digits), spaces, dots and dashes allowed. Saved as 0xxxxxxxxx. Never logged.
 */
import { z } from 'zod';
import { defineInputTest } from './define-input-test.js';

export const phoneTest = defineInputTest({
  type: 'phone',
  options: z.object({}).strict(),
  check(text) {
    const compact = text.trim().replace(/[\s.\-()]/g, '');
    const match = /^(?:\+?84|0)([1-9]\d{8})$/.exec(compact);
    return match ? { ok: true, value: `0${match[1]}` } : { ok: false };
  },
});
