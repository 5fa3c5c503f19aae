/**
 * @module The registry of step types, listed explicitly. Adding a type: write its file with a
 * YAML example in the doc comment, add it here; the step-examples test then runs the example.
 */
import type { AnyStepType } from '../define-step.js';
import { EngineError } from '../events.js';
import { askStep } from './ask.js';
import { branchStep } from './branch.js';
import { callStep } from './call.js';
import { endStep } from './end.js';
import { eraseStep } from './erase.js';
import { flowStep } from './flow.js';
import { handoffStep } from './handoff.js';
import { languageStep } from './language.js';
import { menuStep } from './menu.js';
import { sayStep } from './say.js';
import { setStep } from './set.js';

export function createStepRegistry(types: AnyStepType[]): ReadonlyMap<string, AnyStepType> {
  const registry = new Map<string, AnyStepType>();
  for (const type of types) {
    if (registry.has(type.type)) throw new EngineError('duplicate_step_type', `step type "${type.type}" is registered twice`);
    registry.set(type.type, type);
  }
  return registry;
}

export const stepTypes = createStepRegistry([sayStep, askStep, menuStep, branchStep, setStep, callStep, flowStep, handoffStep, eraseStep, languageStep, endStep]);
