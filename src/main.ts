/**
 * @module Composition root of `npm start`: configuration → logger → server (flows and content
 * checked first; see start-server.ts) → listen. Refuses to start, printing every problem as
 * file:line, when the configuration, a flow or the content is broken (exit code 1). SIGTERM or
 * SIGINT shut down gracefully: stop accepting, stop polling, finish turns in flight, close Redis;
 * a second signal, or a shutdown taking longer than 20 s, exits at once.
 */
import { secretHeaderPaths } from './channels/index.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { formatProblem } from './flow/yaml-source.js';
import { createLogger } from './http/create-logger.js';
import { AssistantInvalidError, startServer } from './start-server.js';

const SHUTDOWN_LIMIT_MS = 20_000;

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, redactPaths: secretHeaderPaths() });

  let server;
  try {
    server = await startServer(config, { logger });
  } catch (error) {
    if (error instanceof AssistantInvalidError) {
      for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    logger.fatal({ err: (error as Error).message }, 'could not start');
    return 1;
  }
  const running = server;
  logger.info({ url: running.url, channels: running.channels.map((c) => c.name) }, `serving the web chat on ${running.url}/`);

  let signalled = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (signalled) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({}, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    timer.unref();
    running.close().then(
      () => {
        logger.info({}, 'stopped');
        process.exitCode = 0;
      },
      (error: unknown) => {
        logger.error({ err: (error as Error).message }, 'error while shutting down');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  return 0;
}

process.exitCode = await main();
