import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Environment of a fresh machine: no tokens, no Redis. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', HOST: '127.0.0.1' };
  return { ...env, ...extra };
}

function run(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('npm start (src/main.ts)', () => {
  it('refuses to start on a broken flow, printing file:line, exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-broken-'));
    dirs.push(dir);
    cpSync('flows', dir, { recursive: true });
    const file = join(dir, 'find.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('next: not_found', 'next: nowhere_step'));
    const proc = run(cleanEnv({ FLOWS_DIR: dir, PORT: String(await freePort()) }));
    expect(await proc.exited).toBe(1);
    expect(proc.err()).toMatch(/find\.yaml:\d+:\d+.*nowhere_step/);
    expect(proc.err()).toContain('Refusing to start');
  });

  it('refuses to start on an invalid environment, naming the variable', async () => {
    const proc = run(cleanEnv({ PORT: 'eighty' }));
    expect(await proc.exited).toBe(1);
    expect(proc.err()).toContain('PORT');
  });

  it('serves the web chat with no tokens and no Redis, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const proc = run(cleanEnv({ PORT: String(port) }));
    const base = `http://127.0.0.1:${port}`;
    let up = false;
    for (let i = 0; i < 200 && !up; i++) {
      up = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    expect(up).toBe(true);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Trợ lý dịch vụ công');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // A stream left open must not keep the process alive.
    const controller = new AbortController();
    const events = await fetch(`${base}/webchat/conversations/${crypto.randomUUID()}/events`, { signal: controller.signal });
    expect(events.status).toBe(200);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    controller.abort();
    expect(proc.out()).toContain('sessions in memory');
    expect(proc.out()).toContain('stopped');
  });
});
