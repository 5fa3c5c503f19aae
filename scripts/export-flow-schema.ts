/** Writes schemas/flow.schema.json and schemas/commands.schema.json from the loader's schemas. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { commandsJsonSchema, flowJsonSchema } from '../src/flow/flow-json-schema.js';

mkdirSync('schemas', { recursive: true });
writeFileSync('schemas/flow.schema.json', `${JSON.stringify(flowJsonSchema(), null, 2)}\n`);
writeFileSync('schemas/commands.schema.json', `${JSON.stringify(commandsJsonSchema(), null, 2)}\n`);
console.log('wrote schemas/flow.schema.json and schemas/commands.schema.json');
