/** @module Entry point of `npm run cli`: reads the configuration and runs the command line. */
import { loadConfig } from '../../config.js';
import { runCli } from './run-cli.js';

const config = loadConfig();
const code = await runCli(
  process.argv.slice(2),
  { input: process.stdin, output: process.stdout, errors: process.stderr, interactive: process.stdin.isTTY === true },
  { flowsDir: config.FLOWS_DIR, contentDir: config.CONTENT_DIR, sessionTtlSeconds: config.SESSION_TTL_SECONDS, ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}) },
);
process.exitCode = code;
