/** Writes schemas/procedure.schema.json and schemas/unit.schema.json from the catalog loader's schemas. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { procedureJsonSchema, unitJsonSchema } from '../src/catalog/content-json-schema.js';

mkdirSync('schemas', { recursive: true });
writeFileSync('schemas/procedure.schema.json', `${JSON.stringify(procedureJsonSchema(), null, 2)}\n`);
writeFileSync('schemas/unit.schema.json', `${JSON.stringify(unitJsonSchema(), null, 2)}\n`);
console.log('wrote schemas/procedure.schema.json and schemas/unit.schema.json');
