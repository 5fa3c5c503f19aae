/**
 * @module JSON Schemas for `content/procedures/*.yaml`, `content/unit.yaml` and the content tables
 * (`replaced-documents.yaml`, `distinct-procedures.yaml`), generated from
 * the zod schemas the loader uses, so whoever edits content with yaml-language-server gets
 * completion and errors. `scripts/export-content-schema.ts` writes them to schemas/; a test
 * keeps the files current.
 */
import { z } from 'zod';
import { distinctProceduresSchema } from './alias-check.js';
import { replacedDocumentsSchema } from './replaced-documents.js';
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

export function replacedDocumentsJsonSchema(): JsonSchema {
  return toJsonSchema(replacedDocumentsSchema, 'Replaced legal texts', 'content/replaced-documents.yaml: legal texts newer ones replaced; flows check warns when an entry cites one as current.');
}

export function distinctProceduresJsonSchema(): JsonSchema {
  return toJsonSchema(distinctProceduresSchema, 'Phrases of distinct procedures', 'content/distinct-procedures.yaml: phrases that must reach one entry, or not a look-alike.');
}

/** Every schema file of schemas/ written from the content loaders, by file name. */
export function contentJsonSchemas(): Record<string, JsonSchema> {
  return {
    'procedure.schema.json': procedureJsonSchema(),
    'unit.schema.json': unitJsonSchema(),
    'replaced-documents.schema.json': replacedDocumentsJsonSchema(),
    'distinct-procedures.schema.json': distinctProceduresJsonSchema(),
  };
}
