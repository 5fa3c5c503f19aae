/**
 * @module Runs the StaffStore contract against the in-memory store, and its expiry on a moved clock.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStaffStore } from '../../src/store/memory-staff-store.js';
import { describeStaffStoreContract } from './staff-store.case.js';

describeStaffStoreContract('memory', async () => createMemoryStaffStore());

describe('memory StaffStore expiry', () => {
  it('ends a session after its time and restarts the attempt window after it', async () => {
    const clock = { now: 0 };
    const store = createMemoryStaffStore({ now: () => clock.now });
    await store.startSession('a'.repeat(48), 'lan', 60);
    for (let i = 0; i < 5; i += 1) await store.countAttempt('lan|ip', 900);
    clock.now += 61_000;
    expect(await store.sessionUser('a'.repeat(48))).toBeNull();
    expect((await store.countAttempt('lan|ip', 900)).count).toBe(6);
    clock.now += 900_000;
    expect((await store.countAttempt('lan|ip', 900)).count).toBe(1);
  });
});
