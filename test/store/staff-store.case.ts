/**
 * @module The StaffStore contract, run against memory (`memory-staff-store.test.ts`) and Redis
 * (`redis-staff-store.test.ts`): accounts, login sessions, the atomic attempt counter of the
 * login lockout, and the audit log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StaffStore } from '../../src/store/staff-store.js';

export type StaffStoreFactory = () => Promise<StaffStore>;

export function describeStaffStoreContract(name: string, makeStore: StaffStoreFactory): void {
  describe(`StaffStore contract: ${name}`, () => {
    const opened: StaffStore[] = [];
    async function open(): Promise<StaffStore> {
      const store = await makeStore();
      opened.push(store);
      return store;
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('keeps accounts with their role, replaces and removes them', async () => {
      const store = await open();
      await store.putAccount('lan', { name: 'Nguyễn Thị Lan', hash: 'scrypt$1', createdAt: 1, role: 'manager' });
      await store.putAccount('minh', { name: 'Trần Văn Minh', hash: 'scrypt$2', createdAt: 2 });
      expect(await store.getAccount('lan')).toEqual({ name: 'Nguyễn Thị Lan', hash: 'scrypt$1', createdAt: 1, role: 'manager' });
      await store.putAccount('lan', { name: 'Nguyễn Thị Lan', hash: 'scrypt$3', createdAt: 3, role: 'staff' });
      expect((await store.getAccount('lan'))!.hash).toBe('scrypt$3');
      expect((await store.listAccounts()).map((a) => a.username).sort()).toEqual(['lan', 'minh']);
      expect(await store.removeAccount('minh')).toBe(true);
      expect(await store.removeAccount('minh')).toBe(false);
      expect(await store.getAccount('minh')).toBeNull();
    });

    it('keeps login sessions until they end', async () => {
      const store = await open();
      await store.startSession('a'.repeat(48), 'lan', 3600);
      expect(await store.sessionUser('a'.repeat(48))).toBe('lan');
      expect(await store.sessionUser('b'.repeat(48))).toBeNull();
      await store.endSession('a'.repeat(48));
      expect(await store.sessionUser('a'.repeat(48))).toBeNull();
    });

    it('counts login attempts atomically: sixty at once get the counts 1 to 60', async () => {
      const store = await open();
      const counts = await Promise.all(Array.from({ length: 60 }, () => store.countAttempt('lan|10.0.0.1', 900)));
      expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(counts.every((c) => c.retryAfterSeconds > 0 && c.retryAfterSeconds <= 900)).toBe(true);
      expect((await store.countAttempt('minh|10.0.0.1', 900)).count).toBe(1);
      await store.clearAttempts('lan|10.0.0.1');
      expect((await store.countAttempt('lan|10.0.0.1', 900)).count).toBe(1);
    });

    it('keeps the audit log, newest first', async () => {
      const store = await open();
      await store.appendAudit({ at: 1, staff: 'lan', action: 'login' });
      await store.appendAudit({ at: 2, staff: 'lan', action: 'claim', ticket: 'aaaaaaaaaa' });
      expect(await store.recentAudit(10)).toEqual([
        { at: 2, staff: 'lan', action: 'claim', ticket: 'aaaaaaaaaa' },
        { at: 1, staff: 'lan', action: 'login' },
      ]);
      expect(await store.recentAudit(1)).toHaveLength(1);
    });
  });
}
