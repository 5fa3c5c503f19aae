/**
 * Generated over every alias of every real catalog entry: the finder puts that entry first. An
 * alias that leads elsewhere sends citizens to the wrong card (the "tách hộ → thường trú" kind
 * of mistake); and every phrase of content/distinct-procedures.yaml reaches its entry, never its
 * look-alike. `flows check` shows the same as warnings with file:line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { distinctProceduresSchema } from '../../src/catalog/alias-check.js';
import { realAssistant } from '../helpers/assistant.js';
import { REAL_CONTENT_DIR } from './catalog-fixture.js';

/**
 * Aliases that missed when this test was written (2026-12-01), each reported by `flows check`
 * for the catalog reviewers to fix; the list may only shrink. A new miss fails the test.
 */
const KNOWN_MISSES = new Set([
  'vneid: đăng ký VNeID cho con dưới 14 tuổi',
]);

const { catalog, finder } = realAssistant();
const cases = catalog.entries.flatMap((entry) => entry.aliases.map((alias) => ({ id: entry.id, alias })));

describe('every alias finds its own entry first', () => {
  it('covers the whole catalog', () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  it.each(cases.filter((c) => !KNOWN_MISSES.has(`${c.id}: ${c.alias}`)))('$id: "$alias"', ({ id, alias }) => {
    expect(finder.search(alias, 3)[0]?.id).toBe(id);
  });
});

describe('phrases of distinct procedures', () => {
  const table = distinctProceduresSchema.parse(parse(readFileSync(join(REAL_CONTENT_DIR, 'distinct-procedures.yaml'), 'utf8')));
  it.each(table.distinct)('"$phrase"', (rule) => {
    const first = finder.search(rule.phrase, 3)[0]?.id;
    if (rule.finds) expect(first).toBe(rule.finds);
    else expect(first).not.toBe(rule.not);
  });
});
