/** @module Free text, with optional length bounds. */
import { z } from 'zod';
import { defineInputTest } from './define-input-test.js';

export const textTest = defineInputTest({
  type: 'text',
  options: z.object({ min_length: z.number().int().min(0).default(1), max_length: z.number().int().min(1).default(1000) }).strict(),
  check(text, { min_length, max_length }) {
    const value = text.trim().replace(/\s+/g, ' ');
    return value.length >= min_length && value.length <= max_length ? { ok: true, value } : { ok: false };
  },
});
