/**
 * @module docs/operations.md's systemd unit is one systemd accepts, and it runs the server the
 * way the signal tests do: node on dist/main.js, with more stop time than the server takes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const doc = readFileSync('docs/operations.md', 'utf8');
const unit = /```ini\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
const hasSystemd = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('docs/operations.md', () => {
  it('gives a unit that starts node on dist/main.js from the checkout, with a stop timeout above the 20 s shutdown limit', () => {
    expect(unit).toMatch(/^ExecStart=\S*\/node dist\/main\.js$/m);
    expect(unit).toMatch(/^WorkingDirectory=\//m);
    expect(Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)?.[1])).toBeGreaterThan(20);
    expect(readFileSync('src/main.ts', 'utf8')).toContain('SHUTDOWN_LIMIT_MS = 20_000');
  });

  it.skipIf(!hasSystemd)('gives a unit `systemd-analyze verify` accepts without a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    try {
      const file = join(dir, 'tro-ly-dich-vu-cong.service');
      writeFileSync(file, unit);
      const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
