/**
 * @module The staff audit log: who did what to which ticket or report, and when (login, claim,
 * reply, hand back, close, transfer, showing a phone number, reports seen and resolved). No
 * message text and no citizen data: kept in the StaffStore (bounded, newest first) plus one log
 * line per action.
 */
import type { Logger } from '../conversation/logger.js';
import type { AuditEntry, StaffStore } from '../store/staff-store.js';

export type { AuditEntry, StaffAction } from '../store/staff-store.js';

export interface AuditLog {
  record(entry: Omit<AuditEntry, 'at'>): Promise<void>;
  /** Newest first. */
  recent(limit?: number): Promise<AuditEntry[]>;
}

export function createAuditLog(options: { store: StaffStore; log: Logger; now: () => number }): AuditLog {
  const { store, log, now } = options;
  return {
    async record(entry) {
      const full: AuditEntry = { at: now(), ...entry };
      log.info({ audit: true, ...full }, `staff ${entry.action}`);
      try {
        await store.appendAudit(full);
      } catch (error) {
        // The action itself succeeded; its log line above is the record of last resort.
        log.error({ err: error instanceof Error ? error.message : String(error), action: entry.action }, 'audit entry not stored');
      }
    },
    recent: (limit = 100) => store.recentAudit(limit),
  };
}
