import { describe, expect, it } from 'vitest';
import { createRefusalLog } from '../../src/channels/refusal-log.js';

function setup(options: { maxSources?: number } = {}) {
  const lines: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  const clock = { t: 1_000_000 };
  const log = createRefusalLog({ log: { warn: (obj, msg) => lines.push({ obj: obj as Record<string, unknown>, msg: msg ?? '' }) }, channel: 'telegram', now: () => clock.t, ...options });
  return { lines, clock, log };
}

describe('refusal log', () => {
  it('writes one line per source and verdict per minute, the next one with the count it stands for', () => {
    const { lines, clock, log } = setup();
    for (let i = 0; i < 3000; i++) log.refused('203.0.113.7', 'unauthorized');
    log.refused('203.0.113.7', 'replay');
    log.refused('2001:db8:1:2::/64', 'unauthorized');
    expect(lines.map((l) => [l.obj.source, l.obj.verdict, l.obj.refusals])).toEqual([
      ['203.0.113.7', 'unauthorized', 1],
      ['203.0.113.7', 'replay', 1],
      ['2001:db8:1:2::/64', 'unauthorized', 1],
    ]);
    clock.t += 60_000;
    log.refused('203.0.113.7', 'unauthorized');
    expect(lines.at(-1)?.obj).toMatchObject({ source: '203.0.113.7', refusals: 3000, windowSeconds: 60 });
    expect(lines.at(-1)?.msg).toBe('telegram webhook refused: wrong or missing secret or signature (3000 times from this source since the last line)');
    log.close();
  });

  it('writes what is still counted when it closes', () => {
    const { lines, log } = setup();
    for (let i = 0; i < 5; i++) log.refused('198.51.100.1', 'unauthorized');
    log.close();
    expect(lines.map((l) => l.obj.refusals)).toEqual([1, 4]);
  });

  it('keeps at most maxSources sources; beyond, new ones share one line ("other")', () => {
    const { lines, log } = setup({ maxSources: 3 });
    for (let i = 0; i < 100; i++) log.refused(`192.0.2.${i}`, 'unauthorized');
    expect(lines.map((l) => l.obj.source)).toEqual(['192.0.2.0', '192.0.2.1', '192.0.2.2', 'other']);
    log.close();
    expect(lines.at(-1)?.obj).toMatchObject({ source: 'other', refusals: 96 });
  });
});
