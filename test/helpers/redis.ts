/**
 * @module Real Redis for tests: `startRedisServer()` spawns a private, throw-away redis-server
 * (no persistence) that a test may stop and restart; `redisUrlForTests()` is the shared server of
 * this test run (REDIS_URL when set, else the one `redis-global-setup.ts` started).
 *
 * Tests that share a server must not step on each other: give every test its own key prefix
 * (`uniquePrefix()`), never FLUSHDB/FLUSHALL, and SCAN only under your own prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { createRedisClient, waitForRedis, type RedisClient } from '../../src/store/redis-connection.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Redis shared by this test run (see redis-global-setup.ts). */
    redisUrl: string;
  }
}

export interface RedisServerHandle {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Stops the server (SIGTERM, waits for exit). Idempotent. Data is lost unless `config` persists it. */
  stop(): Promise<void>;
  /** Starts it again on the same port (stopping it first if it runs). */
  restart(): Promise<void>;
}

export interface StartRedisOptions {
  /**
   * Start a one-node Redis Cluster (cluster mode, all 16384 slots on this node). Redis then
   * refuses multi-key commands and scripts whose keys are in different slots, as a real cluster does.
   */
  cluster?: boolean;
  /**
   * A redis.conf to start with (persistence settings, say): `restart()` then finds the data it
   * kept in the server's own directory. Port, bind address and directory stay the helper's.
   * Without it nothing is persisted.
   */
  config?: string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Spawns a private redis-server on a free port. Call `stop()` when done (also killed on process exit). */
export async function startRedisServer(options: StartRedisOptions = {}): Promise<RedisServerHandle> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const own = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
    const file = join(dir, 'redis.conf');
    if (options.config !== undefined) writeFileSync(file, options.config);
    const args = options.config !== undefined ? [file, ...own] : [...own, '--save', '', '--appendonly', 'no'];
    if (options.cluster) args.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-announce-ip', '127.0.0.1');
    child = await spawnRedis(args, port);
    if (options.cluster) await assignAllSlots(port);
  };

  const stop = async (): Promise<void> => {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    current.kill('SIGTERM');
    await exited;
    running.delete(current);
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await stop();
    },
    async restart() {
      await stop();
      if (options.cluster) rmSync(join(dir, `nodes-${port}.conf`), { force: true });
      await start();
    },
  };
}

/**
 * Spawns a private Redis Sentinel watching the primary on `primaryPort` under the name `name`
 * (quorum 1). Call `stop()` when done.
 */
export async function startRedisSentinel(primaryPort: number, name = 'mymaster'): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-sentinel-'));
  const config = join(dir, 'sentinel.conf');
  writeFileSync(config, `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor ${name} 127.0.0.1 ${primaryPort} 1\n`);
  const child = await spawnRedis([config, '--sentinel'], port);
  return {
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      running.delete(child);
    },
  };
}

/** The URL of this run's shared Redis: REDIS_URL when set, else the private server of the global setup. */
export function redisUrlForTests(): string {
  const fromEnv = process.env.REDIS_URL?.trim();
  if (fromEnv) return fromEnv;
  const provided = inject('redisUrl');
  if (!provided) {
    throw new Error('No Redis for tests: set REDIS_URL or run through vitest (test/helpers/redis-global-setup.ts provides one).');
  }
  return provided;
}

/** A key prefix no other test uses, so tests can share one server and run in parallel. */
export function uniquePrefix(label = 't'): string {
  return `test:${label}:${randomBytes(6).toString('hex')}:`;
}

async function spawnRedis(args: string[], port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  running.add(child);
  installExitHook();

  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      running.delete(child);
      reject(
        error.code === 'ENOENT'
          ? new Error('redis-server not found on PATH. Install it (Debian/Ubuntu: `apt-get install redis-server`) or set REDIS_URL.')
          : error,
      );
    });
    child.once('exit', (code) => {
      running.delete(child);
      reject(new Error(`redis-server exited early (code ${code}):\n${output.slice(-2000)}`));
    });
  });
  await Promise.race([waitForPort(port, 10_000), failed]);
  failed.catch(() => undefined); // later exits (stop()) are expected
  return child;
}

/** A single-node cluster: give this node every slot, then wait until it reports the cluster ok. */
async function assignAllSlots(port: number): Promise<void> {
  await redisCommand(port, ['CLUSTER', 'ADDSLOTSRANGE', '0', '16383']);
  for (let i = 0; i < 200; i++) {
    const info = await redisCommand(port, ['CLUSTER', 'INFO']);
    if (info.includes('cluster_state:ok')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('single-node Redis Cluster did not become ready');
}

/** One raw RESP command over a fresh socket; enough for setup without pulling in a client. */
function redisCommand(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('connect', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.startsWith('-')) {
        socket.destroy();
        reject(new Error(`redis: ${reply.trim()}`));
      } else if (reply.startsWith('+') && reply.endsWith('\r\n')) {
        socket.end();
        resolve(reply.slice(1).trim());
      } else if (reply.startsWith('$')) {
        const header = reply.indexOf('\r\n');
        const length = Number(reply.slice(1, header));
        if (reply.length >= header + 2 + length + 2) {
          socket.end();
          resolve(reply.slice(header + 2, header + 2 + length));
        }
      }
    });
    socket.on('error', reject);
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await redisCommand(port, ['PING'])) === 'PONG') return;
    } catch {
      // not listening yet, or still loading
    }
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed test run must not leave servers behind.
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * A client of the tests' Redis, connected; every client it gave is disconnected after the file's
 * tests. Call it at the top level of a test file (it registers an `afterAll`).
 */
export function redisClientsForTests(): () => Promise<RedisClient> {
  const clients: RedisClient[] = [];
  afterAll(() => {
    for (const c of clients) c.disconnect();
  });
  return async () => {
    const redis = createRedisClient({ REDIS_URL: redisUrlForTests() });
    clients.push(redis);
    await waitForRedis(redis);
    return redis;
  };
}
