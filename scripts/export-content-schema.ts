/** Writes the content JSON Schemas (procedure, unit, replaced documents, distinct procedures) to schemas/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { contentJsonSchemas } from '../src/catalog/content-json-schema.js';

mkdirSync('schemas', { recursive: true });
for (const [file, schema] of Object.entries(contentJsonSchemas())) writeFileSync(`schemas/${file}`, `${JSON.stringify(schema, null, 2)}\n`);
console.log(`wrote ${Object.keys(contentJsonSchemas()).map((f) => `schemas/${f}`).join(', ')}`);
