/**
 * @module In-memory SessionStore: for demos (`npm start` without REDIS_URL), the CLI and tests.
 * One process only. Turns of one conversation are chained on a promise so they never overlap.
 */
import type { Session } from '../engine/session.js';
import { createKeyedQueue } from './keyed-queue.js';
import type { MemoryOutbox } from './memory-outbox.js';
import type { SessionStore, SessionStoreOptions, TurnContext, TurnOutcome } from './session-store.js';

interface Entry {
  json: string;
  expiresAt: number;
}

export function createMemorySessionStore(
  options: SessionStoreOptions & { now?: () => number; /** Where turns' replies go (TurnOutcome.outbox). */ outbox?: MemoryOutbox },
): SessionStore {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Entry>();
  const processed = new Map<string, number>();
  // Turns of one conversation in this process queue here before they contend for anything else.
  const turns = createKeyedQueue();

  function read(key: string): Session | null {
    const entry = sessions.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= now()) {
      sessions.delete(key);
      return null;
    }
    return JSON.parse(entry.json) as Session;
  }

  function wasProcessed(key: string, messageId: string): boolean {
    const id = `${key}\u0000${messageId}`;
    const until = processed.get(id);
    if (until === undefined) return false;
    if (until <= now()) {
      processed.delete(id);
      return false;
    }
    return true;
  }

  async function turn<T>(key: string, messageId: string, fn: (ctx: TurnContext) => Promise<TurnOutcome<T>>): Promise<T> {
    const ctx: TurnContext = { session: read(key), alreadyProcessed: wasProcessed(key, messageId) };
    const untold = options.outbox?.undelivered(key) ?? 0;
    if (untold > 0) ctx.undelivered = untold;
    const outcome = await fn(ctx);
    if (outcome.outbox && !options.outbox) throw new Error('this session store has no outbox');
    // Everything below runs without a pause: the session, the processed mark and the replies are
    // saved together, as the Redis store's one script does.
    if (outcome.outbox) options.outbox!.push(key, outcome.outbox);
    const claim = outcome.outbox && outcome.lease ? options.outbox!.claimNow(key, outcome.lease.owner, outcome.lease.leaseMs, now()) : undefined;
    if (outcome.clearUndelivered) options.outbox?.clearUndelivered(key);
    if (outcome.session === null) {
      erase(key);
    } else if (outcome.session !== 'unchanged') {
      // Stored as JSON so a caller can never mutate what is stored, as with Redis.
      sessions.set(key, { json: JSON.stringify(outcome.session), expiresAt: now() + options.sessionTtlSeconds * 1000 });
    }
    if (outcome.session !== null) processed.set(`${key}\u0000${messageId}`, now() + options.dedupeTtlSeconds * 1000);
    if (claim) outcome.lease!.claimed(claim);
    return outcome.result;
  }

  function erase(key: string): void {
    sessions.delete(key);
    options.outbox?.clearUndelivered(key);
    for (const id of processed.keys()) if (id.startsWith(`${key}\u0000`)) processed.delete(id);
  }

  return {
    runTurn(key, messageId, fn) {
      return turns.run(key, () => turn(key, messageId, fn));
    },
    async peek(key) {
      return read(key);
    },
    async erase(key) {
      erase(key);
    },
    async ready() {
      return true;
    },
    async close() {
      sessions.clear();
      processed.clear();
    },
  };
}
