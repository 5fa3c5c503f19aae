/**
 * @module JSON Schemas for flow files and the commands file, generated from the same zod schemas
 * the loader uses, so a ward's IT person editing a flow with yaml-language-server gets completion
 * and errors. `npm run flows:schema` writes them to schemas/; a test keeps the files current.
 */
import { z } from 'zod';
import type { AnyStepType } from '../engine/define-step.js';
import { FLOW_SPEC_VERSION } from '../engine/flow-types.js';
import { stepTypes as defaultStepTypes } from '../engine/steps/index.js';
import { commandsFileSchema } from './load-flows.js';

type JsonSchema = Record<string, unknown>;

function stepSchema(type: AnyStepType): JsonSchema {
  const base = z.toJSONSchema(type.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete base.$schema;
  const properties = { type: { const: type.type }, track: { type: 'string', description: 'analytics event emitted when the step runs' }, ...(base.properties as JsonSchema) };
  return { ...base, title: `${type.type} step`, properties, required: ['type', ...((base.required as string[]) ?? [])] };
}

export function flowJsonSchema(steps: ReadonlyMap<string, AnyStepType> = defaultStepTypes): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Conversation flow',
    type: 'object',
    additionalProperties: false,
    required: ['spec', 'flow', 'start', 'steps'],
    properties: {
      spec: { type: 'integer', minimum: 1, maximum: FLOW_SPEC_VERSION, description: 'flow spec version' },
      flow: { type: 'string', pattern: '^[a-z0-9_-]+$' },
      description: { type: 'string' },
      start: { type: 'string', description: 'id of the first step' },
      steps: { type: 'object', additionalProperties: { oneOf: [...steps.values()].map(stepSchema) } },
    },
  };
}

export function commandsJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(commandsFileSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return { ...schema, title: 'Global commands' };
}
