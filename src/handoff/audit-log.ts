/**
 * @module The staff audit log: who did what to which ticket, and when (login, claim, reply,
 * hand back, close, transfer). No message text and no citizen data: a Redis list (newest first,
 * bounded) plus one log line per action.
 */
import type { Logger } from '../conversation/logger.js';
import type { RedisClient } from '../store/redis-connection.js';

export type StaffAction = 'login' | 'login_failed' | 'logout' | 'claim' | 'reply' | 'hand_back' | 'close' | 'transfer';

export interface AuditEntry {
  at: number;
  staff: string;
  action: StaffAction;
  ticket?: string;
  /** transfer: the colleague who received the ticket. */
  to?: string;
}

export interface AuditLog {
  record(entry: Omit<AuditEntry, 'at'>): Promise<void>;
  /** Newest first. */
  recent(limit?: number): Promise<AuditEntry[]>;
}

/** Entries kept; at a few hundred actions a day that is months of history. */
export const AUDIT_LIMIT = 50_000;

export function createAuditLog(options: { redis: RedisClient; key: string; log: Logger; now: () => number }): AuditLog {
  const { redis, key, log, now } = options;
  return {
    async record(entry) {
      const full: AuditEntry = { at: now(), ...entry };
      log.info({ audit: true, ...full }, `staff ${entry.action}`);
      try {
        await redis.multi().lpush(key, JSON.stringify(full)).ltrim(key, 0, AUDIT_LIMIT - 1).exec();
      } catch (error) {
        log.error({ err: error instanceof Error ? error.message : String(error), action: entry.action }, 'audit entry not stored');
      }
    },
    async recent(limit = 100) {
      const raw = await redis.lrange(key, 0, limit - 1);
      return raw.map((r) => JSON.parse(r) as AuditEntry);
    },
  };
}
