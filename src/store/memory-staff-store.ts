/**
 * @module In-memory StaffStore: for `npm run demo` and tests. One process only; accounts,
 * logins and the audit log are lost on restart (the demo makes its one account at start).
 */
import { AUDIT_LIMIT, type AuditEntry, type StaffStore, type StoredAccount } from './staff-store.js';

export function createMemoryStaffStore(options: { now?: () => number } = {}): StaffStore {
  const now = options.now ?? Date.now;
  const accounts = new Map<string, string>();
  const sessions = new Map<string, { username: string; expiresAt: number }>();
  const attempts = new Map<string, { count: number; expiresAt: number }>();
  let audit: AuditEntry[] = [];

  return {
    async putAccount(username, account) {
      accounts.set(username, JSON.stringify(account));
    },
    async getAccount(username) {
      const raw = accounts.get(username);
      return raw ? (JSON.parse(raw) as StoredAccount) : null;
    },
    async removeAccount(username) {
      return accounts.delete(username);
    },
    async listAccounts() {
      return [...accounts.entries()].map(([username, raw]) => ({ username, ...(JSON.parse(raw) as StoredAccount) }));
    },
    async startSession(token, username, ttlSeconds) {
      sessions.set(token, { username, expiresAt: now() + ttlSeconds * 1000 });
    },
    async sessionUser(token) {
      const session = sessions.get(token);
      if (!session) return null;
      if (session.expiresAt <= now()) {
        sessions.delete(token);
        return null;
      }
      return session.username;
    },
    async endSession(token) {
      sessions.delete(token);
    },
    async countAttempt(id, windowSeconds) {
      const at = now();
      let entry = attempts.get(id);
      if (!entry || entry.expiresAt <= at) entry = { count: 0, expiresAt: at + windowSeconds * 1000 };
      entry.count += 1;
      attempts.set(id, entry);
      return { count: entry.count, retryAfterSeconds: Math.max(1, Math.ceil((entry.expiresAt - at) / 1000)) };
    },
    async clearAttempts(id) {
      attempts.delete(id);
    },
    async appendAudit(entry) {
      audit = [structuredClone(entry), ...audit].slice(0, AUDIT_LIMIT);
    },
    async recentAudit(limit) {
      return structuredClone(audit.slice(0, limit));
    },
    async ready() {
      return true;
    },
    async close() {},
  };
}
