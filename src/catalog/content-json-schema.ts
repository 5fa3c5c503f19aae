/**
 * @module JSON Schemas for `content/procedures/*.yaml` and `content/unit.yaml`, generated from
 * the zod schemas the loader uses, so whoever edits content with yaml-language-server gets
 * completion and errors. `scripts/export-content-schema.ts` writes them to schemas/; a test
 * keeps the files current.
 */
import { z } from 'zod';
import { catalogEntrySchema, unitSchema } from './schema.js';

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType, title: string, description: string): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return { ...json, title, description };
}

export function procedureJsonSchema(): JsonSchema {
  return toJsonSchema(
    catalogEntrySchema,
    'Procedure catalog entry',
    'One procedure or guide: content/procedures/<id>.yaml, where <id> equals the id field. Dates are YYYY-MM-DD, links https only.',
  );
}

export function unitJsonSchema(): JsonSchema {
  return toJsonSchema(unitSchema, 'Unit (ward)', 'content/unit.yaml: the ward or commune that runs the assistant.');
}
