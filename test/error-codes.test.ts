/**
 * Every error code the code declares is one it can produce. The declarations are found, not
 * listed: every type alias named …Code, …Error, …Reason or …Failure that is a union of string
 * literals, every `code:` typed as such a union, and the keys of the HTTP error table. Each code
 * must then appear in src/ as a value somewhere outside declarations — not only in a type, a
 * comparison (`=== 'x'`) or a `case 'x':` — or it is a code nothing emits and should go.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface Declared {
  file: string;
  what: string;
  codes: string[];
}

const UNION = String.raw`'[a-z][a-z0-9_]*'(?:\s*\|\s*'[a-z][a-z0-9_]*')+`;
const literals = (union: string): string[] => [...union.matchAll(/'([a-z][a-z0-9_]*)'/g)].map((m) => m[1] as string);

const sources = files('src').map((file) => ({ file, text: readFileSync(file, 'utf8') }));

function declarations(): Declared[] {
  const found: Declared[] = [];
  for (const { file, text } of sources) {
    for (const m of text.matchAll(new RegExp(String.raw`type (\w+(?:Code|Error|Reason|Failure))\s*=\s*\|?\s*(${UNION})\s*;`, 'g'))) {
      found.push({ file, what: `type ${m[1]}`, codes: literals(m[2] as string) });
    }
    for (const m of text.matchAll(new RegExp(String.raw`\bcode\??:\s*(${UNION})`, 'g'))) {
      found.push({ file, what: '`code:` union', codes: literals(m[1] as string) });
    }
    const table = /export const HTTP_ERRORS = \{([\s\S]*?)\n\}/.exec(text);
    if (table) found.push({ file, what: 'HTTP_ERRORS', codes: [...(table[1] as string).matchAll(/^\s+([a-z_]+):/gm)].map((m) => m[1] as string) });
  }
  return found;
}

/** Text of src/ with declarations, type unions, comparisons and `case` labels taken out. */
function valueText(): string {
  return sources
    .map(({ text }) =>
      text
        .replace(/export const HTTP_ERRORS = \{[\s\S]*?\n\}/, '')
        .replace(new RegExp(UNION, 'g'), '')
        .replace(/[!=]==?\s*'[a-z][a-z0-9_]*'/g, '')
        .replace(/'[a-z][a-z0-9_]*'\s*[!=]==?/g, '')
        .replace(/case\s+'[a-z][a-z0-9_]*'\s*:/g, ''),
    )
    .join('\n');
}

describe('declared error codes', () => {
  const declared = declarations();
  const values = valueText();

  it('finds the declarations (engine failures and errors, delivery reasons, desk errors, HTTP errors)', () => {
    const what = declared.map((d) => `${d.file} ${d.what}`).join('\n');
    for (const code of ['step_limit', 'unknown_step_type', 'window_closed', 'already_claimed', 'invalid_json']) {
      expect(declared.some((d) => d.codes.includes(code)), `${code} in\n${what}`).toBe(true);
    }
  });

  for (const d of declared) {
    it(`${d.file} ${d.what}: every code is emitted somewhere`, () => {
      const never = d.codes.filter((code) => !values.includes(`'${code}'`));
      expect(never, `declared but never emitted: ${never.join(', ')}`).toEqual([]);
    });
  }
});
