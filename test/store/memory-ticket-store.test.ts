/**
 * @module Runs the TicketStore contract against the in-memory store, and checks its retention on
 * a moved clock (Redis's is checked by its TTLs in test/handoff/handoff.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createMemoryTicketStore } from '../../src/store/memory-ticket-store.js';
import { describeTicketStoreContract } from './ticket-store.case.js';

describeTicketStoreContract('memory', async (options) => createMemoryTicketStore(options));

describe('memory TicketStore retention', () => {
  it('forgets tickets, transcripts and reports retentionDays after their last change', async () => {
    const clock = { now: 1_780_000_000_000 };
    const store = createMemoryTicketStore({ retentionDays: 30, now: () => clock.now });
    const base = { key: 'web:a', channel: 'web' as const, conversationId: 'a' };
    await store.open({ ...base, id: 'aaaaaaaaaa', reason: 'asked', topic: 'x', status: 'waiting', openedAt: clock.now, context: {}, afterHours: false }, [{ at: clock.now, from: 'citizen', text: 'x' }]);
    await store.addReport({ ...base, id: 'bbbbbbbbbb', text: 'Đèn hỏng', status: 'new', createdAt: clock.now });
    clock.now += 29 * 86_400_000;
    // A change keeps the ticket for another thirty days.
    await store.append('aaaaaaaaaa', [{ at: clock.now, from: 'citizen', text: 'y' }]);
    clock.now += 2 * 86_400_000;
    expect(await store.get('aaaaaaaaaa')).not.toBeNull();
    expect(await store.getReport('bbbbbbbbbb')).toBeNull();
    expect(await store.listReports()).toEqual([]);
    clock.now += 29 * 86_400_000;
    expect(await store.get('aaaaaaaaaa')).toBeNull();
    expect(await store.transcript('aaaaaaaaaa')).toEqual([]);
    expect(await store.listOpen()).toEqual([]);
    expect(await store.openTicketOf('web:a')).toBeNull();
  });
});
