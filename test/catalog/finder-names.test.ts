/**
 * Issue 9, item 9, generated over every catalog entry: a citizen who types a procedure's own name
 * — with or without accents, with an abbreviation, with one typo — gets that procedure confirmed
 * (confident, first), not a list; and no two entries' names are so close that a typo could pick
 * the wrong one.
 */
import { describe, expect, it } from 'vitest';
import { createFinder } from '../../src/catalog/finder.js';
import { loadCatalog } from '../../src/catalog/load-catalog.js';
import { foldText } from '../../src/catalog/normalise-vietnamese.js';
import { REAL_CONTENT_DIR } from './catalog-fixture.js';

const { catalog } = loadCatalog(REAL_CONTENT_DIR, { allowProblems: true });
const finder = createFinder(catalog!);

/** One letter of a long name changed, as a slip of the finger would ("sinh" → "sinj"). */
function typo(name: string): string {
  const folded = foldText(name);
  const at = Math.floor(folded.length * 0.6);
  const i = folded.indexOf(' ', at) > 0 ? folded.indexOf(' ', at) - 1 : folded.length - 1;
  const letter = folded[i] === 'x' ? 'z' : 'x';
  return `${folded.slice(0, i)}${letter}${folded.slice(i + 1)}`;
}

describe('an exact or near-exact procedure name', () => {
  for (const entry of catalog!.entries) {
    it(`${entry.id}: "${entry.name}" is confirmed at once, with and without accents`, () => {
      for (const query of [entry.name, entry.name.toLowerCase(), foldText(entry.name)]) {
        const answer = finder.find(query);
        expect(answer.outcome, query).toBe('confident');
        expect(answer.results[0]?.id, query).toBe(entry.id);
        expect(finder.search(query)[0]?.id, `find --jsonl order for ${query}`).toBe(entry.id);
      }
      if (foldText(entry.name).replace(/ /g, '').length >= 8) {
        const slip = typo(entry.name);
        const answer = finder.find(slip);
        expect(answer.results[0]?.id, slip).toBe(entry.id);
        expect(answer.outcome, slip).toBe('confident');
      }
    });
  }

  it('"đăng ký khai sinh" and "dk khai sinh" go to Đăng ký khai sinh, not a list of four', () => {
    for (const query of ['đăng ký khai sinh', 'dang ky khai sinh', 'dang ki khai sinh', 'dk khai sinh', 'Đăng kí khai sinh']) {
      const answer = finder.find(query);
      expect([answer.outcome, answer.results[0]?.id], query).toEqual(['confident', 'khai-sinh']);
      // The other candidates stay, as alternatives offered after the confirmation.
      expect(answer.results.length, query).toBeGreaterThan(1);
    }
    // A name that is another entry's, one word longer, stays that entry.
    expect(finder.find('đăng ký lại khai sinh').results[0]?.id).toBe('dang-ky-lai-khai-sinh');
  });

  it('no two entries have names one or two typos apart', () => {
    const key = (s: string) => foldText(s).replace(/ /g, '');
    const names = catalog!.entries.map((e) => ({ id: e.id, key: key(e.name) }));
    const close = (a: string, b: string) => {
      const limit = Math.min(a.length, b.length) >= 20 ? 2 : Math.min(a.length, b.length) >= 8 ? 1 : 0;
      if (Math.abs(a.length - b.length) > limit) return false;
      const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
      for (let j = 1; j <= b.length; j++) d[0]![j] = j;
      for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      return d[a.length]![b.length]! <= limit;
    };
    const clashes: string[] = [];
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const [a, b] = [names[i]!, names[j]!];
        if (a.id !== b.id && close(a.key, b.key)) clashes.push(`${a.id} "${a.key}" ~ ${b.id} "${b.key}"`);
      }
    }
    expect(clashes).toEqual([]);
  });
});
