/**
 * @module Entry of `npm run demo`: the whole product in one process, for a community team's
 * laptop — the web chat and the staff desk on memory stores, no Redis, no tokens, one demo staff
 * account (a manager) with a random password. It listens on 127.0.0.1 only (the password is
 * printed, and nothing is meant to be reached from the network), marks every ticket and report as
 * demo, and prints first, on stdout, exactly:
 *
 *   web chat: http://127.0.0.1:<port>/
 *   staff console: http://127.0.0.1:<port>/staff  user: demo  password: <password>
 *
 * Log lines go to stderr, at `warn` unless LOG_LEVEL asks for more. PORT is used when free, else
 * any free port. Only PORT, LOG_LEVEL, FLOWS_DIR, CONTENT_DIR and HANDOFF_RETENTION_DAYS are read
 * from the environment: a token or a Redis URL set for `npm start` never reaches the demo.
 */
import { randomInt } from 'node:crypto';
import { ConfigError, loadConfig, type Config } from './config.js';
import { formatProblem } from './flow/yaml-source.js';
import { createLogger } from './http/create-logger.js';
import { AssistantInvalidError, startServer, type RunningServer } from './start-server.js';

export const DEMO_USERNAME = 'demo';
/** No 0/O, 1/l/I: the password is read off a screen and typed by hand. */
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function demoPassword(length = 14): string {
  return Array.from({ length }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join('');
}

/** The demo's configuration: loopback only, memory, no tokens; a few settings kept from the environment. */
export function demoConfig(env: Config): Config {
  return loadConfig({
    HOST: '127.0.0.1',
    PORT: String(env.PORT),
    LOG_LEVEL: env.LOG_LEVEL,
    FLOWS_DIR: env.FLOWS_DIR,
    CONTENT_DIR: env.CONTENT_DIR,
    HANDOFF_RETENTION_DAYS: String(env.HANDOFF_RETENTION_DAYS),
  });
}

/** Starts the demo, makes its account, and returns the two lines to print first. */
export async function startDemo(config: Config, options: { logger: Parameters<typeof startServer>[1]['logger']; port?: number }): Promise<{ server: RunningServer; password: string; lines: [string, string] }> {
  let server: RunningServer;
  try {
    server = await startServer(config, { logger: options.logger, demo: true, ...(options.port !== undefined ? { port: options.port } : {}) });
  } catch (error) {
    // 3000 taken (often by `npm start`): any free port will do for a demo.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    server = await startServer(config, { logger: options.logger, demo: true, port: 0 });
  }
  const password = demoPassword();
  await server.desk?.accounts.add(DEMO_USERNAME, password, 'Demo', 'manager');
  return {
    server,
    password,
    lines: [`web chat: ${server.url}/`, `staff console: ${server.url}/staff  user: ${DEMO_USERNAME}  password: ${password}`],
  };
}

async function main(): Promise<number> {
  let config: Config;
  try {
    config = demoConfig(loadConfig());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const level = config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL;
  const logger = createLogger({ level, destination: process.stderr });
  let demo;
  try {
    demo = await startDemo(config, { logger });
  } catch (error) {
    if (error instanceof AssistantInvalidError) {
      for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`could not start the demo: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`${demo.lines.join('\n')}\n`);
  process.stdout.write('(Bản chạy thử: không dùng Redis, dữ liệu chỉ nằm trong bộ nhớ và mất khi tắt. Nhấn Ctrl+C để dừng.)\n');
  process.stdout.write(`Bộ công cụ tổ công nghệ số (áp phích QR, 5 kịch bản trình diễn): ${demo.server.url}/staff/kit — hội thoại chạy thử không được tính vào báo cáo.\n`);
  const running = demo.server;
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    running.close().then(
      () => (process.exitCode = 0),
      () => (process.exitCode = 1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return 0;
}

// Run only as `npm run demo` (tsx src/demo.ts), not when a test imports startDemo.
if (process.argv[1] && /demo\.[tj]s$/.test(process.argv[1])) process.exitCode = await main();
