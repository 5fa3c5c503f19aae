/** @module One of a fixed list of answers, typed with or without accents; saves the option as written in the flow. */
import { z } from 'zod';
import { fold } from '../fold.js';
import { defineInputTest } from './define-input-test.js';

export const choiceTest = defineInputTest({
  type: 'choice',
  options: z.object({ options: z.array(z.string().min(1)).min(1) }).strict(),
  check(text, { options }) {
    const folded = fold(text);
    const index = /^\d+$/.test(folded) ? Number(folded) - 1 : -1;
    const found = options[index] ?? options.find((option) => fold(option) === folded);
    return found !== undefined ? { ok: true, value: found } : { ok: false };
  },
});
