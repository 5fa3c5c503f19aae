/**
 * @module Where the OA's token pair lives, and the lock that lets exactly one instance refresh it.
 * The refresh token is single use (each refresh returns a new pair and kills the old one), so the
 * pair must survive restarts and be shared by every instance — never only in memory:
 *   - Redis (when configured): one key holding both tokens as JSON (written in one SET, so never
 *     half), and a lock key taken with SET NX PX and released only by its holder;
 *   - otherwise a file (ZALO_OA_TOKEN_FILE): written to a temporary file with mode 0600, flushed,
 *     then renamed over the old one (atomic), and a lock file created exclusively (O_EXCL) beside it.
 * Whoever takes the lock must read the pair again before refreshing: another instance may have
 * refreshed it meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChannelState } from '../channel-state.js';

export interface StoredTokens {
  /** Empty when only a refresh token is known (first start from ZALO_OA_REFRESH_TOKEN). */
  accessToken: string;
  refreshToken: string;
  /** Epoch ms; 0 when unknown (an access token given in the environment): trusted until Zalo says -216. */
  expiresAt: number;
  /** Hash of the environment's bootstrap token this pair supersedes: the environment is read again only when it changes. */
  envHash?: string;
  updatedAt: number;
}

export interface TokenStore {
  read(): Promise<StoredTokens | undefined>;
  write(tokens: StoredTokens): Promise<void>;
  /** Runs `fn` holding the refresh lock, shared by every instance; waits for it up to the lock's lifetime. */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  /** 'redis' or the file's path, for the start-up log. */
  readonly where: string;
}

export class TokenLockTimeoutError extends Error {
  readonly code = 'token_lock_timeout';
}

/** Longer than a refresh can take (its request times out after 10 s). */
const LOCK_MS = 30_000;
const POLL_MS = 25;

function parse(raw: string | undefined): StoredTokens | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<StoredTokens>;
    if (typeof value.refreshToken !== 'string' || typeof value.accessToken !== 'string') return undefined;
    return { accessToken: value.accessToken, refreshToken: value.refreshToken, expiresAt: Number(value.expiresAt) || 0, ...(value.envHash ? { envHash: value.envHash } : {}), updatedAt: Number(value.updatedAt) || 0 };
  } catch {
    return undefined;
  }
}

/** `name` separates OAs sharing one Redis (the app id). */
export function createRedisTokenStore(options: { state: ChannelState; name: string }): TokenStore {
  const { state } = options;
  const key = `zalo-oa:${options.name}:tokens`;
  const lock = `zalo-oa:${options.name}:refresh-lock`;
  return {
    where: 'redis',
    read: async () => parse(await state.get(key)),
    write: (tokens) => state.set(key, JSON.stringify(tokens), 0),
    async withLock(fn) {
      const holder = randomBytes(12).toString('hex');
      const deadline = Date.now() + LOCK_MS;
      while (!(await state.setIfAbsent(lock, holder, LOCK_MS))) {
        if (Date.now() > deadline) throw new TokenLockTimeoutError('another instance held the token refresh lock too long');
        await sleep(POLL_MS);
      }
      try {
        return await fn();
      } finally {
        await state.deleteIfEquals(lock, holder).catch(() => false);
      }
    },
  };
}

export function createFileTokenStore(options: { path: string }): TokenStore {
  const { path } = options;
  const lockPath = `${path}.lock`;
  return {
    where: path,
    async read() {
      try {
        return parse(await readFile(path, 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(tokens) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(tokens));
        await handle.sync();
      } finally {
        await handle.close();
      }
      // The umask may have loosened the mode: the file holds the OA's credentials.
      await chmod(temporary, 0o600);
      await rename(temporary, path);
    },
    async withLock(fn) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const deadline = Date.now() + LOCK_MS;
      for (;;) {
        try {
          const handle = await open(lockPath, 'wx', 0o600);
          await handle.writeFile(`${process.pid}\n`);
          await handle.close();
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          // A holder that died leaves its lock file: older than a lock's lifetime, it is stale.
          const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
          if (age > LOCK_MS) await rm(lockPath, { force: true });
          else if (Date.now() > deadline) throw new TokenLockTimeoutError('another process held the token refresh lock too long');
          else await sleep(POLL_MS);
        }
      }
      try {
        return await fn();
      } finally {
        await rm(lockPath, { force: true });
      }
    },
  };
}
