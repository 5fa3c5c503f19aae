/** @module Schema pieces shared by step types. */
import { z } from 'zod';

/** `step`, `@flow` or `@flow.step` (see flow-types.ts). */
export const target = z.string().regex(/^@?[a-z0-9_-]+(\.[a-z0-9_-]+)?$/i, 'expected a target: step, @flow or @flow.step');

/** A key of content/texts.yaml. */
export const contentKey = z.string().regex(/^[a-z0-9_.-]+$/i, 'expected a content key such as menu.prompt');

export const link = z.object({ label: contentKey, url: z.string().min(1) }).strict();

/** Goes to `next` when given, or ends the current flow. */
export function nextOrEnd(next: string | undefined): { next: string } | { end: true } {
  return next === undefined ? { end: true } : { next };
}
