/** The flow checker: every structural mistake is reported with file, line, flow and step. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/channels/cli/run-cli.js';
import { formatProblem } from '../../src/flow/yaml-source.js';
import { COMMANDS_YAML, loadFixture } from '../helpers/flow-fixtures.js';

const TEXTS = { 't.q': 'Câu hỏi', 't.a': 'A', 't.end': 'Hết' };
const commands = COMMANDS_YAML('@demo');

function problemsOf(flow: string, texts: Record<string, string> = TEXTS, services: string[] = []) {
  const svc = Object.fromEntries(services.map((s) => [s, () => ({ ok: true })]));
  const { problems, dir } = loadFixture({ 'demo.yaml': flow, 'commands.yaml': commands }, texts, svc);
  return problems.map((p) => formatProblem({ ...p, file: p.file.replace(`${dir}/`, '') }));
}

const ok = `spec: 1
flow: demo
start: q
steps:
  q:
    type: menu
    text: t.q
    choices:
      - { id: a, label: t.a, next: done }
  done:
    type: end
    text: t.end
`;

describe('flow checker', () => {
  it('accepts a correct flow', () => {
    expect(problemsOf(ok)).toEqual([]);
  });

  it('names file, line, flow and step for a dangling target', () => {
    expect(problemsOf(ok.replace('next: done', 'next: nowhere'))).toEqual(['demo.yaml:9:36 [flow demo, step q]: unknown target "nowhere"']);
  });

  it('reports an unknown content key, service and step type', () => {
    expect(problemsOf(ok.replace('text: t.end', 'text: t.missing'))).toEqual(['demo.yaml:12:11 [flow demo, step done]: unknown content key "t.missing" (content/texts.yaml)']);
    const call = ok.replace('    type: end\n    text: t.end', '    type: call\n    service: weather\n    next: q\n    on_error: q');
    expect(problemsOf(call)[0]).toMatch(/^demo\.yaml:12:14 \[flow demo, step done\]: unknown service "weather"/);
    expect(problemsOf(ok.replace('type: end', 'type: jump'))[0]).toMatch(/^demo\.yaml:11:11 \[flow demo, step done\]: unknown step type "jump"/);
  });

  it('reports schema errors inside a step at their line', () => {
    const problems = problemsOf(ok.replace("      - { id: a, label: t.a, next: done }", "      - { id: a, next: done }"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^demo\.yaml:9:9 \[flow demo, step q\]: choices\.0\.label: /);
  });

  it('reports YAML syntax errors and duplicate step ids with their line', () => {
    expect(problemsOf(ok.replace('  done:\n    type: end', '  q:\n    type: end'))[0]).toMatch(/^demo\.yaml:10:3: Map keys must be unique/);
    expect(problemsOf(ok.replace('text: t.q', 'text: [t.q'))[0]).toMatch(/^demo\.yaml:\d+:\d+: /);
  });

  it('reports unreachable steps and loops with no question', () => {
    const unreachable = `${ok}  orphan:\n    type: end\n`;
    expect(problemsOf(unreachable)).toEqual(['demo.yaml:14:5 [flow demo, step orphan]: unreachable step: nothing leads here']);
    const loop = ok.replace('next: done }', 'next: spin }') + '  spin:\n    type: set\n    add: { n: 1 }\n    next: spin\n';
    const problems = problemsOf(loop);
    expect(problems.some((p) => /demo\.yaml:14:5 \[flow demo, step spin\]: loop with no question in it: demo\.spin → demo\.spin/.test(p))).toBe(true);
  });

  it('refuses a flow written for a newer spec', () => {
    expect(problemsOf(ok.replace('spec: 1', 'spec: 9'))).toEqual(['demo.yaml:1:7: spec 9 is newer than this engine supports (1); update the software']);
  });

  it('flows check prints every problem and exits non-zero; the real flows pass', async () => {
    const run = async (args: string[]) => {
      const output = new PassThrough();
      let text = '';
      output.on('data', (d) => (text += String(d)));
      const code = await runCli(args, { input: new PassThrough(), output, errors: output }, { flowsDir: 'flows', contentDir: 'content', sessionTtlSeconds: 3600 });
      return { code, text };
    };
    const good = await run(['flows', 'check']);
    expect(good.text).toMatch(/^OK: \d+ flows, \d+ catalog entries/m);
    expect(good.code).toBe(0);

    const broken = mkdtempSync(join(tmpdir(), 'flows-broken-'));
    cpSync('flows', broken, { recursive: true });
    writeFileSync(join(broken, 'card.yaml'), readFileSync('flows/card.yaml', 'utf8').replace('next: actions\n  actions:', 'next: actionz\n  actions:'));
    const bad = await run(['flows', 'check', '--flows', broken]);
    expect(bad.code).toBe(1);
    expect(bad.text).toMatch(/card\.yaml:\d+:\d+ \[flow card, step show\]: unknown target "actionz"/);
  });
});
