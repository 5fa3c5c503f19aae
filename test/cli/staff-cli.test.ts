/**
 * `npm run cli -- staff …` run as a newcomer would, as a real process: without Redis configured
 * it says what is missing (and that REDIS_KEY_PREFIX must be the server's) and exits 2; with a
 * Redis that does not answer it says so and exits 1. Never a stack trace.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';

const REDIS_VARIABLES = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_KEY_PREFIX'];

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !REDIS_VARIABLES.includes(name))) as Record<string, string>;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/channels/cli/main.ts', ...args], { env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end('a-long-enough-password-1\n');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

describe('npm run cli -- staff', () => {
  for (const args of [['add', 'lan', '--name', 'Nguyễn Thị Lan'], ['list'], ['remove', 'lan']]) {
    it(`staff ${args[0]} without REDIS_URL: names what is missing and REDIS_KEY_PREFIX, exit 2, no stack trace`, { timeout: 60_000 }, async () => {
      const result = await runCli(['staff', ...args], {});
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/REDIS_URL/);
      expect(result.stderr).toMatch(/REDIS_KEY_PREFIX/);
      expect(result.stderr).toMatch(/same .*as the server/i);
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.stderr).not.toMatch(/RedisConfigError|node:internal|\.ts:\d+/);
      expect(result.stdout).toBe('');
    });
  }

  it('staff list with a Redis that does not answer: says it cannot reach it (password masked), exit 1, no stack trace', { timeout: 60_000 }, async () => {
    const port = await closedPort();
    const result = await runCli(['staff', 'list'], { REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${port}/0`, REDIS_KEY_PREFIX: 'dvc:' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`redis://***@127.0.0.1:${port}/0`);
    expect(result.stderr).toMatch(/cannot reach redis/i);
    expect(result.stderr).not.toContain('hunter2-secret');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
  });
});
