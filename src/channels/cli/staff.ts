/**
 * @module `cli staff add <username> [--name "Họ và tên"] [--role staff|manager]` · `cli staff
 * list` · `cli staff remove <username>`: the staff console's accounts, in Redis. The password is read from the first line
 * of stdin (never from the arguments, which other users of the machine can see in `ps`):
 *   printf '%s\n' "$PASSWORD" | npm run cli -- staff add lan --name "Nguyễn Thị Lan"
 * At a terminal it is asked for twice. The terminal shows what is typed (no echo control here):
 * prefer piping it from a password manager.
 */
import { createInterface } from 'node:readline';
import { ConfigError, loadConfig, type Config } from '../../config.js';
import { createRedisClient, maskRedisSecrets, RedisConfigError, waitForRedis, type RedisClient } from '../../store/redis-connection.js';
import { createRedisStaffStore } from '../../store/redis-staff-store.js';
import { createStaffAccounts, StaffAccountError, type StaffAccounts, type StaffRole } from '../../handoff/staff-accounts.js';
import type { CliIo } from './run-cli.js';

export interface StaffCommandDeps {
  accounts: StaffAccounts;
}

const USAGE = `Usage:
  cli staff add <username> [--name "Full name"] [--role staff|manager]
                                                  create or reset a console account (password on stdin)
  cli staff list                                  list console accounts
  cli staff remove <username>                     delete an account (its open logins end at once)
`;

export async function runStaff(args: string[], io: CliIo, deps: StaffCommandDeps): Promise<number> {
  const [action, username] = args;
  if (action === 'list') {
    const accounts = await deps.accounts.list();
    for (const a of accounts) io.output.write(`${a.username}\t${a.name}\t${a.role}\t${new Date(a.createdAt).toISOString().slice(0, 10)}\n`);
    if (accounts.length === 0) io.errors.write('No staff accounts yet.\n');
    return 0;
  }
  if (action === 'remove' && username) {
    if (await deps.accounts.remove(username)) {
      io.errors.write(`Removed ${username}.\n`);
      return 0;
    }
    io.errors.write(`No account named ${username}.\n`);
    return 1;
  }
  if (action === 'add' && username) {
    const nameAt = args.indexOf('--name');
    const name = nameAt >= 0 ? args[nameAt + 1] : undefined;
    const roleAt = args.indexOf('--role');
    const role = (roleAt >= 0 ? args[roleAt + 1] : 'staff') as StaffRole;
    const password = await readPassword(io);
    if (password === undefined) {
      io.errors.write('No password given on stdin (or the two entries differ).\n');
      return 1;
    }
    try {
      await deps.accounts.add(username, password, name, role);
    } catch (error) {
      if (error instanceof StaffAccountError) {
        io.errors.write(`${error.message}\n`);
        return 1;
      }
      throw error;
    }
    io.errors.write(`Saved ${username}.\n`);
    return 0;
  }
  io.errors.write(USAGE);
  return 2;
}

/** Said when no Redis is configured: the accounts live in the server's Redis, under its prefix. */
function noRedisMessage(prefix: string): string {
  return [
    'Staff accounts are kept in the server\'s Redis, and no Redis is configured here.',
    'Set REDIS_URL (or REDIS_CLUSTER_NODES, or REDIS_SENTINELS with REDIS_SENTINEL_NAME) to the Redis the server uses,',
    `and REDIS_KEY_PREFIX to the same value as the server's (here it is "${prefix}"): accounts saved under another prefix are not seen by the server.`,
    'For example: REDIS_URL=redis://127.0.0.1:6379 npm run cli -- staff add lan --name "Nguyễn Thị Lan"',
    '',
  ].join('\n');
}

/**
 * Connects to Redis from the environment (REDIS_URL...), runs the command, disconnects. Without a
 * Redis configured (or with an invalid setting) it says what to set and returns 2; with a Redis
 * that does not answer, 1. No stack trace either way.
 */
export async function runStaffFromConfig(args: string[], io: CliIo): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.errors.write(`${error.message}\n`);
    return 2;
  }
  if (!config.REDIS_URL && !config.REDIS_CLUSTER_NODES && !config.REDIS_SENTINELS) {
    io.errors.write(noRedisMessage(config.REDIS_KEY_PREFIX));
    return 2;
  }
  let redis: RedisClient;
  try {
    redis = createRedisClient(config);
  } catch (error) {
    if (!(error instanceof RedisConfigError)) throw error;
    io.errors.write(`${maskRedisSecrets(error.message)}\n`);
    return 2;
  }
  try {
    try {
      await waitForRedis(redis);
    } catch {
      const where = maskRedisSecrets(config.REDIS_CLUSTER_NODES ?? config.REDIS_SENTINELS ?? config.REDIS_URL ?? '');
      io.errors.write(`Cannot reach Redis at ${where} (no answer in 5 s). Is it running, and is this the server's REDIS_URL?\n`);
      return 1;
    }
    return await runStaff(args, io, { accounts: createStaffAccounts({ store: createRedisStaffStore({ redis, prefix: config.REDIS_KEY_PREFIX }) }) });
  } finally {
    redis.disconnect();
  }
}

async function readPassword(io: CliIo): Promise<string | undefined> {
  const tty = io.interactive === true;
  const lines = createInterface({ input: io.input, terminal: false, crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (prompt: string): Promise<string | undefined> => {
    if (tty) io.errors.write(prompt);
    const { value, done } = await iterator.next();
    return done ? undefined : String(value).replace(/\r$/, '');
  };
  try {
    const first = await next('Mật khẩu (ít nhất 10 ký tự): ');
    if (!first) return undefined;
    if (!tty) return first;
    const again = await next('\nNhập lại mật khẩu: ');
    io.errors.write('\n');
    return again === first ? first : undefined;
  } finally {
    lines.close();
  }
}
