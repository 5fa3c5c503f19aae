/**
 * Dependencies point one way. The rule is written once, in docs/architecture.md's "Allowed
 * imports" table; this test reads that table and checks every relative import (static, type,
 * re-export and dynamic) of every file in src/ against it. The engine also stays pure: it imports
 * no channel, store, HTTP or platform library and never reads the environment.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file names: import, import type, export … from, import(). */
function specifiers(text: string): string[] {
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1] as string);
}

interface Rule {
  part: string;
  allowed: Array<{ part: string; onlyFrom?: string }>;
  everything: boolean;
}

function readRules(): Rule[] {
  const doc = readFileSync('docs/architecture.md', 'utf8');
  const section = /## Allowed imports\n([\s\S]*?)\n## /.exec(doc)?.[1] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\| `[^`]+` \|/.test(line))
    .map((line) => {
      const cells = line.split(' | ');
      const part = /`([^`]+)`/.exec(cells[0] as string)?.[1] as string;
      const may = (cells[cells.length - 1] as string).replace(/\s*\|\s*$/, '').trim();
      const allowed = may === '—' || may === 'everything'
        ? []
        : may.split(/,\s*(?=`)/).map((item) => {
            const target = /`([^`]+)`/.exec(item)?.[1] as string;
            const onlyFrom = /\(from `([^`]+)` only\)/.exec(item)?.[1];
            return onlyFrom ? { part: target, onlyFrom } : { part: target };
          });
      return { part, allowed, everything: may === 'everything' };
    });
}

const rules = readRules();
const rowOf = new Map(rules.map((r) => [r.part, r]));

/** The part a file of src/ belongs to: a root file, a folder, or one channel's folder. */
function partOf(file: string): string {
  const path = relative('src', file).split('/');
  if (path.length === 1) return path[0] as string;
  if (path[0] === 'channels' && path.length > 2) return `channels/${path[1]}/`;
  return `${path[0]}/`;
}

/** The table's row for a part: a channel folder without a row of its own has `channels/<name>/`'s. */
function ruleOf(part: string): Rule | undefined {
  return rowOf.get(part) ?? (part.startsWith('channels/') && part !== 'channels/' ? rowOf.get('channels/<name>/') : undefined);
}

/** Whether an import of `target` (a part) matches an allowed entry. */
function matches(entry: string, target: string): boolean {
  return entry === target || (entry === 'channels/<name>/' && target.startsWith('channels/') && target !== 'channels/');
}

const sources = files('src');

describe('docs/architecture.md: allowed imports', () => {
  it('writes down every part of src/ once, and no part that does not exist', () => {
    expect(rules.length).toBeGreaterThan(10);
    expect(new Set(rules.map((r) => r.part)).size).toBe(rules.length);
    const parts = new Set(sources.map(partOf));
    for (const part of parts) expect(ruleOf(part), `${part} has no row in docs/architecture.md`).toBeDefined();
    const rows = new Set([...parts].map((part) => ruleOf(part)?.part));
    for (const rule of rules) expect(rows.has(rule.part), `${rule.part} is in docs/architecture.md but not in src/`).toBe(true);
    for (const rule of rules) for (const a of rule.allowed) expect(rowOf.has(a.part), `${rule.part} allows unknown part ${a.part}`).toBe(true);
  });

  it('draws every part in "The parts, top to bottom", each allowed import on a lower row (bar index.ts, the list)', () => {
    const doc = readFileSync('docs/architecture.md', 'utf8');
    const drawing = /## The parts, top to bottom\n+```\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const rowOfPart = new Map<string, number>();
    drawing.split('\n').forEach((line, row) => {
      for (const m of line.matchAll(/(?:^|\s)([a-z-]+(?:\/(?:<name>|[a-z-]+))?\/|[a-z-]+\.ts)(?=\s|$)/g)) if (!rowOfPart.has(m[1] as string)) rowOfPart.set(m[1] as string, row);
    });
    for (const rule of rules) {
      expect(rowOfPart.has(rule.part), `${rule.part} is not drawn`).toBe(true);
      for (const a of rule.allowed) {
        if (a.onlyFrom) continue;
        expect(rowOfPart.get(a.part)! > rowOfPart.get(rule.part)!, `${rule.part} may import ${a.part}, which is not drawn below it`).toBe(true);
      }
    }
  });

  it('says channels/ may import neither http/ nor handoff/ (bar the CLI program)', () => {
    for (const rule of rules.filter((r) => r.part.startsWith('channels/'))) {
      expect(rule.allowed.map((a) => a.part)).not.toContain('http/');
      if (rule.part !== 'channels/cli/') expect(rule.allowed.map((a) => a.part)).not.toContain('handoff/');
    }
  });

  for (const file of sources) {
    it(`${file} imports only what its part may`, () => {
      const from = partOf(file);
      const rule = ruleOf(from);
      expect(rule, `${from} has no row`).toBeDefined();
      if (!rule || rule.everything) return;
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = partOf(relative('.', resolve(dirname(file), spec)).replace(/\.js$/, '.ts'));
        if (target === from) continue;
        const entry = rule.allowed.find((a) => matches(a.part, target));
        expect(entry, `${file} imports ${spec} (${target}); ${from} may import ${rule.allowed.map((a) => a.part).join(', ') || 'nothing'}`).toBeDefined();
        if (entry?.onlyFrom) expect(relative(join('src', from), file), `${file} imports ${spec}: only ${entry.onlyFrom} may`).toBe(entry.onlyFrom);
      }
    });
  }
});

const FORBIDDEN = [/^fastify/, /^@fastify\//, /^grammy/, /^ioredis/, /^pino/, /^node:(fs|net|http|https|child_process|dgram)/, /\/channels\//, /\/store\//, /\/http\//, /\/conversation\//, /\/handoff\//, /\/catalog\//, /\/flow\//, /config\.js$/];

describe('src/engine', () => {
  const engine = files('src/engine');

  it('has source files to check', () => {
    expect(engine.length).toBeGreaterThan(10);
  });

  for (const file of engine) {
    it(`${file} imports nothing impure and never reads process.env`, () => {
      const text = readFileSync(file, 'utf8');
      for (const spec of specifiers(text)) for (const pattern of FORBIDDEN) expect(spec, `${file} imports ${spec}`).not.toMatch(pattern);
      expect(text).not.toMatch(/process\.env/);
      expect(text).not.toMatch(/\beval\s*\(|new Function\s*\(/);
    });
  }
});
