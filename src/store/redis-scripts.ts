/**
 * @module What every Redis store does the same way: a Lua script known by its SHA1, run by hash
 * and loaded on NOSCRIPT, and a Redis failure turned into StoreUnavailableError (with any
 * credentials in the message masked), so callers answer "Redis away" in one way.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { maskRedisSecrets, type RedisClient } from './redis-connection.js';
import { StoreUnavailableError } from './session-store.js';

export interface Script {
  lua: string;
  sha: string;
}

export function script(lua: string): Script {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/** Runs one Redis call; any failure becomes StoreUnavailableError with its secrets masked. */
export async function redisCommand<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(`Redis: ${maskRedisSecrets(message)}`, { cause: error });
  }
}

/**
 * Runs `s` by its hash, loading it with EVAL on NOSCRIPT. `buffers`: bulk replies come back as
 * Buffers (callBuffer), for stores that keep binary values.
 */
export function evalScript(redis: RedisClient, s: Script, keys: string[], args: Array<string | Buffer | number>, buffers = false): Promise<unknown> {
  coalesceWrites(redis);
  const call = (command: string, first: string) => (buffers ? redis.callBuffer(command, first, keys.length, ...keys, ...args) : redis.call(command, first, keys.length, ...keys, ...args));
  return redisCommand(async () => {
    try {
      return await call('EVALSHA', s.sha);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await call('EVAL', s.lua);
    }
  });
}

/** Sockets corked until the current burst of callbacks is over (see coalesceWrites). */
const corked = new WeakSet<object>();

/**
 * Lets the commands sent in the same turn of the event loop leave in one socket write instead of
 * one write each: on loopback every write is a system call that also runs the receiving side, the
 * largest single cost of a turn in the profile (docs/outbox.md, "Cost"). Under load many replies
 * (Redis's, the platform's) arrive in one turn of the loop and each sends its next script. The
 * socket is corked at the first command and uncorked by setImmediate, after the callbacks of that
 * turn: a command waits at most for the callbacks already due (as ioredis's own auto-pipelining,
 * which does not fit here: it breaks `callBuffer` and makes a pipeline object per batch), and
 * each command keeps its own timeout and reply. One server or Sentinel only; a Cluster client
 * writes to its nodes' sockets itself.
 */
function coalesceWrites(redis: RedisClient): void {
  if (!(redis instanceof Redis)) return;
  const socket = redis.stream as { cork?: () => void; uncork?: () => void } | undefined;
  if (redis.status !== 'ready' || !socket?.cork || corked.has(socket)) return;
  corked.add(socket);
  socket.cork();
  setImmediate(() => {
    corked.delete(socket);
    socket.uncork?.();
  });
}
