/** The engine stays pure: it imports no channel, store, HTTP or platform library and reads no environment. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const FORBIDDEN = [/^fastify/, /^@fastify\//, /^grammy/, /^ioredis/, /^pino/, /^node:(fs|net|http|https|child_process|dgram)/, /\/channels\//, /\/store\//, /\/http\//, /\/conversation\//, /\/handoff\//, /\/catalog\//, /\/flow\//, /config\.js$/];

describe('src/engine', () => {
  const sources = files('src/engine');

  it('has source files to check', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  for (const file of sources) {
    it(`${file} imports nothing impure and never reads process.env`, () => {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/^\s*import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
      for (const spec of imports) for (const pattern of FORBIDDEN) expect(spec, `${file} imports ${spec}`).not.toMatch(pattern);
      expect(text).not.toMatch(/process\.env/);
      expect(text).not.toMatch(/\beval\s*\(|new Function\s*\(/);
    });
  }
});
