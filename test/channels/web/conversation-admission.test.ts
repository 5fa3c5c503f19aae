/** The memory admission's clock: places come back after 24 hours (per address) and after the idle time (in all). */
import { describe, expect, it } from 'vitest';
import { createMemoryAdmission } from '../../../src/channels/web/conversation-admission.js';

const HOUR = 3_600_000;

describe('memory conversation admission', () => {
  it('counts a client address for 24 hours, and a kept conversation until it has been idle for the session TTL', async () => {
    const clock = { t: 0 };
    const admission = createMemoryAdmission({ perAddress: 2, total: 3, idleSeconds: 7 * 24 * 3600, now: () => clock.t });
    expect(await admission.admit('a', '203.0.113.7')).toBe('ok');
    expect(await admission.admit('b', '203.0.113.7')).toBe('ok');
    expect(await admission.admit('c', '203.0.113.7')).toBe('address');
    expect(await admission.admit('a', '203.0.113.7')).toBe('ok');
    clock.t += 24 * HOUR;
    expect(await admission.admit('c', '203.0.113.7')).toBe('ok');
    expect(await admission.admit('d', '198.51.100.1')).toBe('total');
    // "a" writes again now; "b" never since it started, so it goes idle first.
    expect(await admission.admit('a', '203.0.113.7')).toBe('ok');
    clock.t += 6 * 24 * HOUR + 1;
    expect(await admission.admit('d', '198.51.100.1')).toBe('ok');
    expect(await admission.admit('e', '198.51.100.1')).toBe('total');
    // Erasing one frees its place.
    await admission.forget('d', '198.51.100.1');
    expect(await admission.admit('e', '198.51.100.1')).toBe('ok');
  });
});
