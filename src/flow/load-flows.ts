/**
 * @module Loads flows/*.yaml, validates them and inspects the whole set. Every problem names
 * file:line:column and the flow and step: YAML errors and duplicate keys, schema errors per step
 * type, spec versions, unknown targets, content keys and services, unreachable steps and flows,
 * and loops that never wait for the citizen. The server and the CLI refuse to start on any.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { AnyStepType } from '../engine/define-step.js';
import { FLOW_SPEC_VERSION, type AlertDef, type CommandDef, type CommandsDef, type FlowDef, type FlowSet, type Texts } from '../engine/flow-types.js';
import { stepTypes as defaultStepTypes } from '../engine/steps/index.js';
import { templatePaths } from '../engine/template.js';
import { locateValue, readYamlFile, zodProblems, type Problem, type YamlSource } from './yaml-source.js';

export const COMMANDS_FILE = 'commands.yaml';

const id = z.string().regex(/^[a-z0-9_-]+$/i, 'ids use letters, digits, - and _');
const targetString = z.string().regex(/^@[a-z0-9_-]+(\.[a-z0-9_-]+)?$/i, 'expected @flow or @flow.step');

const flowFileSchema = z
  .object({
    spec: z.number().int().min(1),
    flow: id,
    description: z.string().optional(),
    start: id,
    steps: z.record(id, z.looseObject({ type: z.string(), track: z.string().regex(/^[a-z_]+$/).optional(), reenter: id.optional() })),
  })
  .strict();

const commandSchema = z
  .object({
    words: z.array(z.string().min(1)).default([]),
    slash: z.array(z.string().regex(/^\/[a-z0-9_]+( [a-z0-9_]+)?$/i, 'a slash command looks like /menu, or /lang en with one argument')).default([]),
    goto: targetString.optional(),
    action: z.enum(['goto', 'back']).default('goto'),
    reset: z.boolean().optional(),
  })
  .strict()
  .refine((c) => c.action === 'back' || c.goto, 'a goto command needs `goto`');

export const commandsFileSchema = z
  .object({
    spec: z.number().int().min(1),
    start: targetString,
    free_text: z.object({ target: targetString, save: z.string().regex(/^[a-z_]\w*$/i) }).strict(),
    too_many_failures: targetString,
    max_failures: z.number().int().min(1).max(10),
    step_limit: z.number().int().min(5).max(1000),
    commands: z.record(id, commandSchema),
    /**
     * Words people put around an answer without changing it ("dạ", "ạ", "em"): a menu matches
     * "dạ em chưa có ạ" as "chưa có". Compared without accents.
     */
    polite: z.array(z.string().min(1)).default([]),
    /**
     * Alerts: phrases that, anywhere in a message, make the assistant say a text first (the
     * emergency numbers), before any command, question or search; the message is then handled
     * as usual.
     */
    alerts: z
      .record(
        id,
        z
          .object({
            words: z.array(z.string().min(1)).min(1),
            /** Words that count only when typed with these very accents ("cháy", never "chay": ăn chay, chạy). */
            accented: z.array(z.string().min(1)).default([]),
            text: z.string().regex(/^[a-z0-9_.-]+$/i, 'expected a content key'),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();

/**
 * Migrations from older spec versions, in order: `migrations[n]` turns spec n into n+1.
 * Spec 1 is the first; a flow declaring a newer spec than FLOW_SPEC_VERSION is refused.
 */
const migrations: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {};

export interface LoadFlowsOptions {
  flowsDir: string;
  texts: Texts;
  /** Names of the services the host provides to `call` steps. */
  services: readonly string[];
  /** Languages with texts (the default one first); a `language` step may name only these. Unset: not checked. */
  languages?: readonly string[];
  steps?: ReadonlyMap<string, AnyStepType>;
}

export function loadFlows(options: LoadFlowsOptions): { flowSet?: FlowSet; problems: Problem[] } {
  const steps = options.steps ?? defaultStepTypes;
  const problems: Problem[] = [];
  const flows = new Map<string, FlowDef>();
  const sources = new Map<string, YamlSource>();
  let commands: CommandsDef | undefined;
  let commandsSource: YamlSource | undefined;

  let files: string[];
  try {
    files = readdirSync(options.flowsDir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  } catch (error) {
    return { problems: [{ file: options.flowsDir, line: 1, column: 1, where: '', message: `cannot read the flows folder: ${(error as Error).message}` }] };
  }

  for (const name of files) {
    const file = join(options.flowsDir, name);
    const { source, problems: parseProblems } = readYamlFile(file);
    problems.push(...parseProblems);
    if (!source) continue;
    let raw = source.value as Record<string, unknown> | null;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({ file, line: 1, column: 1, where: '', message: 'expected a map with spec, flow, start and steps' });
      continue;
    }
    const spec = typeof raw.spec === 'number' ? raw.spec : undefined;
    if (spec !== undefined && spec > FLOW_SPEC_VERSION) {
      const { line, column } = source.locate(['spec']);
      problems.push({ file, line, column, where: '', message: `spec ${spec} is newer than this engine supports (${FLOW_SPEC_VERSION}); update the software` });
      continue;
    }
    for (let v = spec ?? FLOW_SPEC_VERSION; v < FLOW_SPEC_VERSION; v++) {
      const migrate = migrations[v];
      if (migrate) raw = migrate(raw);
    }

    if (name === COMMANDS_FILE) {
      const parsed = commandsFileSchema.safeParse(raw);
      if (!parsed.success) {
        problems.push(...zodProblems(source, parsed.error, 'commands'));
        continue;
      }
      commandsSource = source;
      const c = parsed.data;
      commands = {
        file,
        start: c.start,
        freeText: c.free_text,
        tooManyFailures: c.too_many_failures,
        maxFailures: c.max_failures,
        stepLimit: c.step_limit,
        polite: c.polite,
        commands: Object.entries(c.commands).map(([cid, def]): CommandDef => ({
          id: cid,
          words: def.words,
          slash: def.slash,
          action: def.action,
          ...(def.goto ? { target: def.goto } : {}),
          ...(def.reset ? { reset: true } : {}),
          loc: { file, ...source.locate(['commands', cid]) },
        })),
        alerts: Object.entries(c.alerts).map(([aid, def]): AlertDef => ({ id: aid, words: def.words, accented: def.accented, text: def.text, loc: { file, ...source.locate(['alerts', aid]) } })),
      };
      continue;
    }

    const parsed = flowFileSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...zodProblems(source, parsed.error, `file ${basename(file)}`));
      continue;
    }
    const flowId = parsed.data.flow;
    if (flows.has(flowId)) {
      const { line, column } = source.locate(['flow']);
      problems.push({ file, line, column, where: `flow ${flowId}`, message: `flow id "${flowId}" is also used in ${flows.get(flowId)?.file}` });
      continue;
    }
    const flow: FlowDef = { id: flowId, spec: parsed.data.spec, file, loc: { file, ...source.locate(['flow']) }, start: parsed.data.start, steps: new Map() };
    for (const [stepId, rawStep] of Object.entries(parsed.data.steps)) {
      const where = `flow ${flowId}, step ${stepId}`;
      const loc = { file, ...source.locate(['steps', stepId]) };
      const type = steps.get(rawStep.type);
      if (!type) {
        const { line, column } = source.locate(['steps', stepId, 'type']);
        problems.push({ file, line, column, where, message: `unknown step type "${rawStep.type}"; known: ${[...steps.keys()].join(', ')}` });
        continue;
      }
      const { type: _t, track, reenter, ...fields } = rawStep;
      if (reenter !== undefined && !type.waits) {
        const { line, column } = source.locate(['steps', stepId, 'reenter']);
        problems.push({ file, line, column, where, message: 'reenter is only for steps that wait for the citizen (menu, ask)' });
      }
      const props = type.schema.safeParse(fields);
      if (!props.success) {
        problems.push(...zodProblems(source, props.error, where, ['steps', stepId]));
        continue;
      }
      flow.steps.set(stepId, { id: stepId, type: rawStep.type, loc, props: props.data as Record<string, unknown>, ...(track ? { track } : {}), ...(reenter ? { reenter } : {}) });
    }
    if (!flow.steps.has(flow.start) && !problems.some((p) => p.file === file)) {
      const { line, column } = source.locate(['start']);
      problems.push({ file, line, column, where: `flow ${flowId}`, message: `start step "${flow.start}" does not exist` });
    }
    flows.set(flowId, flow);
    sources.set(flowId, source);
  }

  if (!commands) {
    if (!problems.some((p) => basename(p.file) === COMMANDS_FILE)) {
      problems.push({ file: join(options.flowsDir, COMMANDS_FILE), line: 1, column: 1, where: '', message: 'missing: the global commands file is required' });
    }
    return { problems };
  }
  if (problems.length > 0) return { problems };

  problems.push(...inspect({ flows, commands }, sources, commandsSource as YamlSource, options, steps));
  return problems.length > 0 ? { problems } : { flowSet: { flows, commands }, problems };
}

/** Static checks over the whole set: references, reachability and loops without a wait. */
function inspect(
  set: FlowSet,
  sources: Map<string, YamlSource>,
  commandsSource: YamlSource,
  options: LoadFlowsOptions,
  steps: ReadonlyMap<string, AnyStepType>,
): Problem[] {
  const problems: Problem[] = [];
  const services = new Set(options.services);
  const node = (flow: string, step: string) => `${flow}.${step}`;
  const edges = new Map<string, string[]>();
  const entered = new Set<string>();

  const resolve = (target: string, fromFlow: string): string | null => {
    if (!target.startsWith('@')) return set.flows.get(fromFlow)?.steps.has(target) ? node(fromFlow, target) : null;
    const [f, s] = target.slice(1).split('.') as [string, string | undefined];
    const flow = set.flows.get(f);
    if (!flow) return null;
    const step = s ?? flow.start;
    return flow.steps.has(step) ? node(f, step) : null;
  };

  const commandTargets = [set.commands.start, set.commands.freeText.target, set.commands.tooManyFailures, ...set.commands.commands.flatMap((c) => (c.target ? [c.target] : []))];
  for (const target of commandTargets) {
    const resolved = resolve(target, '');
    if (resolved) entered.add(resolved);
    else problems.push({ file: commandsSource.file, ...locateValue(commandsSource, [], target), where: 'commands', message: `unknown target "${target}"` });
  }

  for (const alert of set.commands.alerts) {
    if (!options.texts.has(alert.text)) problems.push({ ...alert.loc, where: `alert ${alert.id}`, message: `unknown content key "${alert.text}" (content/texts.yaml)` });
  }

  for (const flow of set.flows.values()) {
    const source = sources.get(flow.id) as YamlSource;
    for (const step of flow.steps.values()) {
      const where = `flow ${flow.id}, step ${step.id}`;
      const type = steps.get(step.type) as AnyStepType;
      const targets = [...type.targets(step.props), ...(step.reenter ? [step.reenter] : [])];
      const out: string[] = [];
      for (const target of targets) {
        const resolved = resolve(target, flow.id);
        if (!resolved) {
          problems.push({ file: flow.file, ...locateValue(source, ['steps', step.id], target), where, message: `unknown target "${target}"` });
          continue;
        }
        out.push(resolved);
        if (target.startsWith('@')) entered.add(resolved);
      }
      edges.set(node(flow.id, step.id), out);
      for (const key of type.contentKeys(step.props)) {
        if (!options.texts.has(key)) problems.push({ file: flow.file, ...locateValue(source, ['steps', step.id], key), where, message: `unknown content key "${key}" (content/texts.yaml)` });
      }
      for (const lang of options.languages ? (type.languages?.(step.props) ?? []) : []) {
        if (!options.languages?.includes(lang)) problems.push({ file: flow.file, ...locateValue(source, ['steps', step.id], lang), where, message: `unknown language "${lang}"; with texts: ${options.languages?.join(', ')} (content/texts.<lang>.yaml)` });
      }
      for (const service of type.services?.(step.props) ?? []) {
        if (!services.has(service)) problems.push({ file: flow.file, ...locateValue(source, ['steps', step.id], service), where, message: `unknown service "${service}"; known: ${[...services].join(', ')}` });
      }
    }
  }
  for (const [key, template] of options.texts) {
    for (const path of templatePaths(template)) {
      if (!/^[a-z_][\w]*(\.[\w]+)*$/i.test(path)) problems.push({ file: 'content/texts.yaml', line: 1, column: 1, where: key, message: `bad template tag {{${path}}}` });
    }
  }
  if (problems.length > 0) return problems;

  // Reachability: from every flow start that something enters, and every step entered by name.
  const reached = new Set<string>();
  const queue = [...entered];
  while (queue.length > 0) {
    const n = queue.pop() as string;
    if (reached.has(n)) continue;
    reached.add(n);
    queue.push(...(edges.get(n) ?? []));
  }
  for (const flow of set.flows.values()) {
    const source = sources.get(flow.id) as YamlSource;
    if (![...flow.steps.keys()].some((s) => reached.has(node(flow.id, s)))) {
      problems.push({ ...flow.loc, where: `flow ${flow.id}`, message: 'this flow is never entered (no command, step or flow leads to it)' });
      continue;
    }
    for (const step of flow.steps.values()) {
      if (!reached.has(node(flow.id, step.id))) {
        problems.push({ file: flow.file, ...source.locate(['steps', step.id]), where: `flow ${flow.id}, step ${step.id}`, message: 'unreachable step: nothing leads here' });
      }
    }
  }

  // Loops that never wait: cycles among steps that do not stop for the citizen.
  const waits = (n: string) => {
    const [f, s] = n.split('.') as [string, string];
    const step = set.flows.get(f)?.steps.get(s);
    return step ? steps.get(step.type)?.waits === true : true;
  };
  const state = new Map<string, 'open' | 'done'>();
  const reportLoop = (cycle: string[]) => {
    const [f, s] = (cycle[0] as string).split('.') as [string, string];
    const flow = set.flows.get(f) as FlowDef;
    problems.push({ file: flow.file, ...(sources.get(f) as YamlSource).locate(['steps', s]), where: `flow ${f}, step ${s}`, message: `loop with no question in it: ${cycle.join(' → ')}` });
  };
  const visit = (n: string, path: string[]) => {
    state.set(n, 'open');
    for (const next of edges.get(n) ?? []) {
      if (waits(next)) continue;
      if (state.get(next) === 'open') reportLoop([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next, [...path, next]);
    }
    state.set(n, 'done');
  };
  for (const n of edges.keys()) if (!waits(n) && !state.has(n)) visit(n, [n]);
  return problems;
}
