import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
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

/** `npm start` itself, in its own process group so a test can clean up whatever it leaves behind. */
function npmStart(env: NodeJS.ProcessEnv) {
  const child = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Generous on purpose: a loaded two-core machine can take many seconds to start a process. Gives
 * up at once when the process has exited (`exited` resolved).
 */
async function waitUntilUp(base: string, exited?: Promise<unknown>): Promise<boolean> {
  let gone = false;
  void exited?.then(() => (gone = true));
  for (let i = 0; i < 600 && !gone; i++) {
    const up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
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
    // Held until here: fetch closes the stream of a response collected unread.
    await events.body?.cancel().catch(() => undefined);
    // Not a terminal: one JSON object per line, for journald and log collectors.
    const entries = proc.out().trim().split('\n').map((line) => JSON.parse(line) as { msg: string; url?: string });
    expect(entries.map((e) => e.msg)).toEqual(expect.arrayContaining(['sessions in memory (REDIS_URL unset): one process only, lost on restart', 'stopped']));
    expect(entries.find((e) => e.msg.startsWith('serving the web chat on'))).toMatchObject({ msg: `serving the web chat on ${base}/`, url: base });
  });

  it('stops when SIGTERM reaches exactly the process `npm start` started: exit code 0, port freed', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const proc = npmStart(cleanEnv({ PORT: String(port) }));
    try {
      expect(await waitUntilUp(`http://127.0.0.1:${port}`, proc.exited), `${proc.out()}\n${proc.err()}`).toBe(true);
      process.kill(proc.child.pid!, 'SIGTERM');
      // The server gives itself 20 s to shut down; beyond that something kept it alive.
      const code = await Promise.race([proc.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 45_000))]);
      expect(code, proc.err()).toBe(0);
      expect(await listening(port)).toBe(false);
      expect(proc.out()).toContain('stopped');
    } finally {
      // Whatever the signal left running (a server orphaned by npm or a wrapper) goes with its group.
      try {
        process.kill(-proc.child.pid!, 'SIGKILL');
      } catch {
        // The group is gone: nothing was left behind.
      }
    }
  });

  it('production start: `npm run build`, then `node dist/main.js` serves the web chat and stops on SIGTERM', { timeout: 240_000 }, async () => {
    // Asynchronously: the worker keeps answering the test runner while tsc compiles.
    const build = spawn('npm', ['run', 'build'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buildOutput = '';
    build.stdout.on('data', (c: Buffer) => (buildOutput += c.toString()));
    build.stderr.on('data', (c: Buffer) => (buildOutput += c.toString()));
    expect(await new Promise<number | null>((resolve) => build.once('exit', resolve)), buildOutput).toBe(0);
    const port = await freePort();
    const env = cleanEnv({ PORT: String(port) });
    const child = spawn(process.execPath, ['dist/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      expect(await waitUntilUp(base, exited), stdout).toBe(true);
      // The flows and the content were found from the built entry point: the chat answers.
      const conversation = crypto.randomUUID();
      const reply = await fetch(`${base}/webchat/conversations/${conversation}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: crypto.randomUUID(), kind: 'text', text: 'đăng ký khai sinh' }),
      });
      expect(reply.status).toBe(200);
      const { replies } = (await reply.json()) as { replies: { html: string; choices?: { id: string }[] }[] };
      // An exact procedure name is confirmed at once, from the catalog read by the built server.
      expect(replies.map((r) => r.html).join('\n')).toContain('<strong>Đăng ký khai sinh</strong>');
      expect(replies.flatMap((r) => r.choices ?? []).map((c) => c.id)).toContain('yes');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await listening(port)).toBe(false);
      expect(stdout).toContain('stopped');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('in a terminal: readable log lines, the web chat URL on a line of its own, Ctrl+C stops it', { timeout: 120_000 }, async () => {
    const port = await freePort();
    // util-linux `script` gives the server a real pseudo-terminal; ^C typed into it sends SIGINT.
    const child = spawn('script', ['-qfec', `exec ${process.execPath} --import tsx src/main.ts`, '/dev/null'], {
      env: cleanEnv({ PORT: String(port), TERM: 'dumb' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      expect(await waitUntilUp(`http://127.0.0.1:${port}`, exited), out).toBe(true);
      for (let i = 0; i < 200 && !out.includes('serving the web chat on'); i++) await new Promise((r) => setTimeout(r, 100));
      const lines = out.replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/);
      expect(lines, out).toContain(`serving the web chat on http://127.0.0.1:${port}/`);
      expect(lines.filter((l) => l.startsWith('{')), 'no JSON lines in a terminal').toEqual([]);
      expect(lines.some((l) => /^\[\d\d:\d\d:\d\d\] INFO: sessions in memory/.test(l)), out).toBe(true);
      child.stdin.write('\x03');
      expect(await exited).toBe(0);
      expect(await listening(port)).toBe(false);
      expect(out).toMatch(/INFO: stopped/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
