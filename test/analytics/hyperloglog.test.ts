/**
 * The memory store's HyperLogLog: exact for a handful of citizens (as Redis is), within 2 % for
 * tens of thousands, and a union counts each citizen once.
 */
import { describe, expect, it } from 'vitest';
import { citizenHash } from '../../src/analytics/analytics-event.js';
import { HyperLogLog } from '../../src/analytics/hyperloglog.js';

describe('HyperLogLog', () => {
  it('counts small sets exactly and repeats once', () => {
    const h = new HyperLogLog();
    for (const id of ['1', '2', '3', '2', '1']) h.add(citizenHash('s', 'web', id));
    expect(h.count()).toBe(3);
    expect(new HyperLogLog().count()).toBe(0);
  });

  it('counts 20,000 citizens within 2 %, and the union of two overlapping days once each', () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    for (let i = 0; i < 20_000; i += 1) a.add(citizenHash('s', 'web', String(i)));
    for (let i = 10_000; i < 30_000; i += 1) b.add(citizenHash('s', 'web', String(i)));
    expect(Math.abs(a.count() - 20_000) / 20_000).toBeLessThan(0.02);
    a.merge(b);
    expect(Math.abs(a.count() - 30_000) / 30_000).toBeLessThan(0.02);
  });
});
