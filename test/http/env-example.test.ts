import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('.env.example', () => {
  it('lists every variable config.ts reads, each with a comment, and its values are valid', () => {
    const example = readFileSync('.env.example', 'utf8');
    const lines = example.split('\n');
    const listed = lines.flatMap((line) => /^([A-Z_]+)=/.exec(line)?.[1] ?? []);
    const read = [...readFileSync('src/config.ts', 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(10);
    expect([...listed].sort()).toEqual([...read].sort());
    for (const name of listed) {
      const at = lines.findIndex((l) => l.startsWith(`${name}=`));
      // A comment right above, or above the group it belongs to (REDIS_SENTINEL_NAME shares one).
      expect(lines.slice(Math.max(0, at - 3), at).some((l) => l.startsWith('#')), name).toBe(true);
    }
    const env = Object.fromEntries(lines.flatMap((l) => (/^([A-Z_]+)=(.*)$/.exec(l) ? [[RegExp.$1, RegExp.$2]] : [])));
    expect(() => loadConfig(env)).not.toThrow();
  });
});
