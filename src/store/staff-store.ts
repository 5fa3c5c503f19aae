/**
 * @module The StaffStore interface: what the staff console keeps besides tickets — accounts
 * (scrypt hashes, never passwords), login sessions, the wrong-password counters of the login
 * lockout, and the audit log. Only `src/handoff` uses it. Implementations: memory (`npm run demo`,
 * tests) and Redis (production: a logout, a removed account or a lockout holds on every
 * instance). One contract suite (`test/store/staff-store.case.ts`) runs against both.
 */

/** `manager` may also read the leaders' dashboard (issue 14); every account is `staff` unless made one. */
export type StaffRole = 'staff' | 'manager';
export const STAFF_ROLES: readonly StaffRole[] = ['staff', 'manager'];

export interface StoredAccount {
  name: string;
  /** `scrypt$N$r$p$salt$hash` (see handoff/staff-accounts.ts). */
  hash: string;
  createdAt: number;
  /** Absent in accounts made before roles existed: read as `staff`. */
  role?: StaffRole;
}

export type StaffAction = 'login' | 'login_failed' | 'logout' | 'claim' | 'reply' | 'hand_back' | 'close' | 'transfer' | 'reveal_phone' | 'report_seen' | 'report_resolved';

/** Who did what to which ticket or report, and when; no message text and no citizen data. */
export interface AuditEntry {
  at: number;
  staff: string;
  action: StaffAction;
  ticket?: string;
  report?: string;
  /** transfer: the colleague who received the ticket. */
  to?: string;
}

export interface StaffStore {
  putAccount(username: string, account: StoredAccount): Promise<void>;
  getAccount(username: string): Promise<StoredAccount | null>;
  removeAccount(username: string): Promise<boolean>;
  listAccounts(): Promise<Array<StoredAccount & { username: string }>>;
  startSession(token: string, username: string, ttlSeconds: number): Promise<void>;
  /** The username of a live session, or null. */
  sessionUser(token: string): Promise<string | null>;
  endSession(token: string): Promise<void>;
  /**
   * Counts one login attempt for `id` (username and address) and returns the count in the current
   * window, atomically: sixty attempts at once get the counts 1..60, so only the first few are
   * checked. The window starts at the first attempt and is not extended by later ones.
   */
  countAttempt(id: string, windowSeconds: number): Promise<{ count: number; retryAfterSeconds: number }>;
  clearAttempts(id: string): Promise<void>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  recentAudit(limit: number): Promise<AuditEntry[]>;
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** Audit entries kept; at a few hundred actions a day that is months of history. */
export const AUDIT_LIMIT = 50_000;
