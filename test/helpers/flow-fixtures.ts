/**
 * @module Writes flows and texts into a temporary folder and loads them with the real loader and
 * checker, for engine and checker tests.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '../../src/engine/define-step.js';
import { createEngine } from '../../src/engine/create-engine.js';
import type { Engine } from '../../src/engine/engine-types.js';
import type { FlowSet } from '../../src/engine/flow-types.js';
import { loadFlows } from '../../src/flow/load-flows.js';
import type { Problem } from '../../src/flow/yaml-source.js';

export const COMMANDS_YAML = (start: string) => `spec: 1
start: "${start}"
free_text: { target: "${start}", save: query }
too_many_failures: "${start}"
max_failures: 3
step_limit: 20
commands:
  menu: { words: [menu], slash: [/menu], goto: "${start}" }
  back: { words: [quay lại], slash: [/back], action: back }
`;

export function writeFlows(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flows-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function loadFixture(
  files: Record<string, string>,
  texts: Record<string, string>,
  services: Record<string, Service> = {},
): { flowSet?: FlowSet; problems: Problem[]; dir: string; engine?: Engine } {
  const dir = writeFlows(files);
  const textMap = new Map(Object.entries(texts));
  const { flowSet, problems } = loadFlows({ flowsDir: dir, texts: textMap, services: Object.keys(services) });
  const engine = flowSet ? createEngine({ flows: flowSet, texts: textMap, globals: {}, services }) : undefined;
  return { flowSet, problems, dir, ...(engine ? { engine } : {}) };
}

export const meta = (now = 1_000) => ({ key: 'web:test', channel: 'web' as const, now });
