import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandsJsonSchema, flowJsonSchema } from '../../src/flow/flow-json-schema.js';
import { stepTypes } from '../../src/engine/steps/index.js';

describe('flow JSON Schema', () => {
  it('is current in schemas/ (run `npm run flows:schema` after changing a step type)', () => {
    expect(JSON.parse(readFileSync('schemas/flow.schema.json', 'utf8'))).toEqual(flowJsonSchema());
    expect(JSON.parse(readFileSync('schemas/commands.schema.json', 'utf8'))).toEqual(commandsJsonSchema());
  });

  it('offers every step type with its fields', () => {
    const steps = (flowJsonSchema().properties as { steps: { additionalProperties: { oneOf: { properties: Record<string, { const?: string }> }[] } } }).steps;
    const types = steps.additionalProperties.oneOf.map((s) => s.properties.type?.const);
    expect(types.sort()).toEqual([...stepTypes.keys()].sort());
    const menu = steps.additionalProperties.oneOf.find((s) => s.properties.type?.const === 'menu');
    expect(Object.keys(menu?.properties ?? {})).toEqual(expect.arrayContaining(['text', 'choices', 'dynamic', 'other']));
  });
});
