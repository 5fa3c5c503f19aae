/**
 * @module How a typed-answer validator is defined: it reads the citizen's text and returns the
 * normalised value to save, or says it is invalid (the ask step then re-prompts).
 */
import type { z } from 'zod';
import type { Json } from '../session.js';

export type InputTestResult = { ok: true; value: Json } | { ok: false };

export interface InputTest<O> {
  type: string;
  /** Options for this test in a flow (`test: { type: number, min: 1, max: 10 }`). */
  options: z.ZodType<O>;
  check(text: string, options: O): InputTestResult;
}

export function defineInputTest<O>(definition: InputTest<O>): InputTest<O> {
  return definition;
}
