import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFinder } from '../../src/catalog/finder.js';
import { loadCatalog, type Catalog } from '../../src/catalog/load-catalog.js';
import { stripMarkup } from '../../src/channels/plain-text.js';
import { memoryConversation, textFrom } from '../helpers/assistant.js';
import { REAL_CONTENT_DIR } from './catalog-fixture.js';

// Issue 15: when the top candidates are close, the conversation asks which one, with the two or
// three close candidates as its choices (not every entry the finder touched).
const { catalog } = loadCatalog(REAL_CONTENT_DIR, { allowProblems: true });
const finder = createFinder(catalog as Catalog);
const nameOf = (id: string) => (catalog as Catalog).byId.get(id)!.name;

describe('finder: ambiguity is a question', () => {
  it.each([
    ['khai sinh cho con mới sinh', ['khai-sinh', 'lien-thong-khai-sinh']],
    ['giấy khai sinh', ['khai-sinh', 'dang-ky-lai-khai-sinh']],
    // Round 8's training data ranked re-registration second for a bare "khai sinh"; the newborn's
    // combined service stays a choice (find.clarify.yaml).
    ['khai sinh', ['khai-sinh', 'lien-thong-khai-sinh']],
    ['khai tử', ['khai-tu', 'lien-thong-khai-tu']],
  ])('"%s" asks which one, offering %s among two or three choices', async (query, expected) => {
    const answer = finder.find(query);
    expect(answer.outcome).toBe('ambiguous');
    expect(answer.results.length).toBeGreaterThanOrEqual(2);
    expect(answer.results.length).toBeLessThanOrEqual(3);

    const { conversation } = memoryConversation();
    const handled = await conversation.handleInbound(textFrom(`amb-${query}`, query));
    const text = handled.replies.map((r) => stripMarkup(r.text)).join('\n');
    const choices = handled.replies.flatMap((r) => r.choices ?? []).map((c) => c.label);
    expect(text).toContain('Anh/chị muốn hỏi thủ tục nào dưới đây ạ?');
    const offered = choices.filter((label) => !label.includes('Không phải'));
    expect(offered.length).toBeGreaterThanOrEqual(2);
    expect(offered.length).toBeLessThanOrEqual(3);
    for (const id of expected) expect(offered.join(' | ')).toContain(nameOf(id));
  });

  // Round 2: one word explained whole by exactly two entries was rejected, not asked about.
  it.each([['we want to get married'], ['how do we get married'], ['marriage']])('"%s" asks between the two marriage entries', (query) => {
    const answer = finder.find(query);
    expect(answer.outcome).toBe('ambiguous');
    expect(answer.results.map((r) => r.id).sort()).toEqual(['ket-hon', 'ket-hon-nuoc-ngoai']);
  });

  const queries = ['heldout-queries.tsv', 'heldout-2-queries.tsv', 'heldout-3-queries.tsv']
    .flatMap((file) => readFileSync(join(import.meta.dirname, file), 'utf8').split('\n'))
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => line.split('\t')[0]!);
  // Round 8: the combined service that opens with the best procedure is a choice however it
  // scores ("khai sinh": the newborn's package); every other third choice is near the best.
  const opensWithBest = (id: string, bestId: string) => nameOf(id).toLowerCase().startsWith(`liên thông: ${nameOf(bestId).toLowerCase()}`);
  it('over every held-out query the finder is unsure of, it offers two or three candidates, each near the best or the combined service opening with it', () => {
    let unsure = 0;
    for (const query of queries) {
      const answer = finder.find(query);
      if (answer.outcome !== 'ambiguous') continue;
      unsure++;
      const best = answer.results[0]!.score;
      expect(answer.results.length, query).toBeLessThanOrEqual(3);
      expect(answer.results.slice(2).every((r) => r.score >= best * 0.4 || opensWithBest(r.id, answer.results[0]!.id)), query).toBe(true);
    }
    expect(unsure).toBeGreaterThan(0);
  });
});
