/**
 * @module The finder's question model (`src/catalog/question-model.ts`): it earns its place on a
 * set it did not learn from, it is deterministic, and it never hides what content says (an entry
 * with no labelled question, an outside topic, a questions file naming an unknown entry).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFinder } from '../../src/catalog/finder.js';
import { loadCatalog, type Catalog } from '../../src/catalog/load-catalog.js';
import { trainQuestionModel } from '../../src/catalog/question-model.js';
import { englishSynonyms, stemEnglishText, VIETNAMESE_LETTER } from '../../src/catalog/english-query.js';
import { foldText } from '../../src/catalog/normalise-vietnamese.js';
import type { Finder } from '../../src/catalog/types.js';
import { entryYaml, makeContentDir, REAL_CONTENT_DIR } from './catalog-fixture.js';

const catalog = loadCatalog(REAL_CONTENT_DIR, { today: '2026-12-02' }).catalog as Catalog;
const QUESTIONS = join(REAL_CONTENT_DIR, 'questions');

function linesOf(file: string): { query: string; ids: string[] }[] {
  return readFileSync(join(QUESTIONS, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [query = '', ids = '-'] = l.split('\t');
      return { query, ids: ids.trim() === '-' ? [] : ids.split(',') };
    });
}

function score(finder: Finder, lines: { query: string; ids: string[] }[]) {
  let top1 = 0;
  let rejected = 0;
  for (const l of lines) {
    const got = finder.search(l.query, 3).map((r) => r.id);
    if (l.ids.length === 0) rejected += got.length === 0 ? 1 : 0;
    else top1 += l.ids.includes(got[0] ?? '') ? 1 : 0;
  }
  return { top1, rejected };
}

describe('the question model', () => {
  const dirs: { remove(): void }[] = [];
  afterAll(() => dirs.forEach((d) => d.remove()));

  // The sets of round 4 were written by a session that never saw the finder; held out of
  // training here, they measure what the model adds to the lexical finder.
  const HELD = ['heldout4-paraphrase.tsv', 'heldout4-english.tsv', 'heldout4-near-oos.tsv'];
  it.each(HELD)('on %s, held out of its training, ranks more questions first and rejects no fewer than the lexical finder', (file) => {
    const held = linesOf(file);
    const heldOut = new Set(held.map((l) => l.query.trim()));
    const withModel = createFinder({ ...catalog, questions: (catalog.questions ?? []).filter((q) => !heldOut.has(q.text)) });
    const lexical = createFinder({ ...catalog, questions: [] });
    const a = score(withModel, held);
    const b = score(lexical, held);
    expect(a.rejected, 'out-of-scope lines rejected').toBeGreaterThanOrEqual(b.rejected);
    if (file.includes('near-oos')) expect(a.rejected).toBeGreaterThan(b.rejected);
    else expect(a.top1, `top-1 with the model ${a.top1}, lexical ${b.top1}`).toBeGreaterThan(b.top1);
  });

  /**
   * The labelled questions `keep` picks, taken out of training: the catalog without them, and
   * them as lines about an entry and lines about none.
   */
  const holdOut = (keep: (text: string) => boolean) => {
    const picked = (catalog.questions ?? []).filter((q) => keep(q.text));
    const held = new Set(picked.map((q) => q.text));
    const rest = { ...catalog, questions: (catalog.questions ?? []).filter((q) => !held.has(q.text)) };
    const lines = picked.map((q) => ({ query: q.text, ids: [...q.ids] }));
    return { rest, about: lines.filter((l) => l.ids.length > 0), none: lines.filter((l) => l.ids.length === 0) };
  };

  // Round 7: a question naming an outside (or beyond) topic in passing ("quán karaoke cạnh nhà hát tới 2 giờ
  // sáng… báo lên phường thế nào") was always rejected, whatever else it said.
  it.each(['outside', 'beyond'] as const)('a question naming a topic of synonyms.yaml %s: held out of training, more of those about an entry are found than when the topic always wins, and nine in ten of those about none still rejected', { timeout: 120_000 }, (list) => {
    const phrases = Object.values(catalog.synonyms[list] ?? {}).flat().map((p) => ` ${foldText(p)} `);
    const words = (text: string) => ` ${foldText(text).replace(/[^a-z0-9]+/g, ' ').trim()} `;
    const { rest, about, none } = holdOut((text) => {
      const folded = words(text);
      return phrases.some((p) => folded.includes(p));
    });
    expect(about.length).toBeGreaterThan(30);
    expect(none.length).toBeGreaterThan(100);
    const overruled = createFinder(rest);
    const vetoed = createFinder(rest, { modelOverOutside: 2 });
    const [found, foundVetoed] = [score(overruled, about).top1, score(vetoed, about).top1];
    expect(found, `found with the model ${found}, with the topic's veto ${foundVetoed}`).toBeGreaterThan(foundVetoed);
    expect(score(overruled, none).rejected / none.length).toBeGreaterThanOrEqual(0.9);
    // A bare topic, or one in a short question, is still out of scope.
    for (const phrase of list === 'outside' ? ['karaoke', 'gia hạn visa', 'khám bệnh ở đâu'] : ['phạt nguội', 'mức hưởng bảo hiểm y tế', 'trả góp']) {
      expect(overruled.search(phrase, 3), phrase).toEqual([]);
      expect(overruled.search(`cho em hỏi ${phrase} thì làm ở đâu ạ`, 3), phrase).toEqual([]);
    }
  });

  // Round 9: an English story of five to seven counted words naming an outside or beyond topic
  // ("A monkey grabbed my bag in Cat Ba and my Vietnamese motorbike licence was inside") was
  // rejected whatever the model said: English counts fewer words than Vietnamese.
  it('an English question naming an outside or beyond topic: held out of training, more of those about an entry are found with English story lengths than with the Vietnamese ones, at a small cost in those about none', { timeout: 120_000 }, () => {
    const { outside, beyond } = englishSynonyms();
    const phrases = [...Object.values(outside ?? {}), ...Object.values(beyond ?? {})].flat().map((p) => ` ${p} `);
    const { rest, about, none } = holdOut((text) => {
      if (VIETNAMESE_LETTER.test(text)) return false;
      const stemmed = ` ${stemEnglishText(text.toLowerCase()).replace(/[^a-z0-9]+/g, ' ').trim()} `;
      return phrases.some((p) => stemmed.includes(p));
    });
    expect(about.length).toBeGreaterThan(30);
    expect(none.length).toBeGreaterThan(100);
    const english = createFinder(rest);
    const asVietnamese = createFinder(rest, { outsideStoryWords: { outside: 8, beyond: 10 } });
    const [found, foundAsVietnamese] = [score(english, about).top1, score(asVietnamese, about).top1];
    const [rejected, rejectedAsVietnamese] = [score(english, none).rejected, score(asVietnamese, none).rejected];
    // Measured 2026-12-03: 273 against 238 of 429 found, 713 against 721 of 797 rejected. The
    // trade: more than twice as many questions found as out-of-scope ones let through.
    expect(found, `found with English story lengths ${found}, with Vietnamese ones ${foundAsVietnamese}`).toBeGreaterThan(foundAsVietnamese);
    expect(found - foundAsVietnamese, `rejected ${rejected}, with Vietnamese lengths ${rejectedAsVietnamese}`).toBeGreaterThan(2 * (rejectedAsVietnamese - rejected));
    expect(rejected / none.length).toBeGreaterThanOrEqual(0.85);
  });

  // Round 9: a long story whose lexical best holds a word pair of it in its name or keywords, and
  // is the model's first entry too, was rejected when the model leant out of scope ("kỹ sư … ở
  // lán trại của công ty … có phải đăng ký tạm trú không" at 0.70).
  it('a long Vietnamese question: held out of training, more of those about an entry are found when only a sure model overrules the lexical best, at a small cost in those about none', { timeout: 120_000 }, () => {
    const { rest, about, none } = holdOut((text) => VIETNAMESE_LETTER.test(text) && text.split(/\s+/).length >= 30);
    expect(about.length).toBeGreaterThan(200);
    expect(none.length).toBeGreaterThan(50);
    const sure = createFinder(rest);
    const vetoing = createFinder(rest, { modelOutsideSure: 0 });
    const [found, foundVetoing] = [score(sure, about).top1, score(vetoing, about).top1];
    const [rejected, rejectedVetoing] = [score(sure, none).rejected, score(vetoing, none).rejected];
    // Measured 2026-12-03: 1,220 against 1,210 of 1,277 found, 209 against 212 of 224 rejected
    // (at 0.8: 1,222 found but 205 rejected, which this test refuses).
    expect(found, `found ${found}, with the model's veto at 0.5 ${foundVetoing}`).toBeGreaterThan(foundVetoing);
    expect(found - foundVetoing, `rejected ${rejected}, with the veto at 0.5 ${rejectedVetoing}`).toBeGreaterThan(2 * (rejectedVetoing - rejected));
  });

  it('trains the same model from the same content: the same answers, score for score', () => {
    const queries = linesOf('heldout4-long.tsv').slice(0, 40).map((l) => l.query);
    const one = createFinder(catalog);
    const two = createFinder(catalog);
    for (const q of queries) expect(two.find(q), q).toEqual(one.find(q));
  });

  it('learns out of scope: a model taught only near-domain questions still refuses messages it has no word for', () => {
    const model = trainQuestionModel([
      { terms: ['khai', 'sinh'], ids: ['khai-sinh'] },
      { terms: ['ma', 'so', 'thue'], ids: [] },
    ]);
    expect(model.classify([]).known).toBe(0);
    expect(model.classify(['khai', 'sinh']).entries[0]?.id).toBe('khai-sinh');
    expect(model.classify(['thue']).outside).toBeGreaterThan(0.5);
  });

  it('keeps an entry that no labelled question names findable by its own words', () => {
    const content = makeContentDir();
    dirs.push(content);
    for (const entry of catalog.entries) content.writeEntry(`${entry.id}.yaml`, readFileSync(join(REAL_CONTENT_DIR, 'procedures', `${entry.id}.yaml`), 'utf8'));
    content.writeEntry('nuoi-ong.yaml', entryYaml('nuoi-ong', { name: 'Đăng ký cơ sở nuôi ong mật', keywords: ['nuôi ong', 'ong mật'] }));
    mkdirSync(join(content.dir, 'questions'));
    writeFileSync(join(content.dir, 'questions', 'all.tsv'), readFileSync(join(QUESTIONS, 'train5-vietnamese.tsv'), 'utf8'));
    const loaded = loadCatalog(content.dir, { today: '2026-12-02', allowProblems: true }).catalog as Catalog;
    expect(loaded.questions?.length).toBeGreaterThan(100);
    const finder = createFinder(loaded);
    for (const q of ['đăng ký cơ sở nuôi ong mật', 'cho tôi hỏi muốn đăng ký nuôi ong mật thì làm sao ạ']) expect(finder.search(q, 3)[0]?.id, q).toBe('nuoi-ong');
    // And the entries it was taught are still found.
    expect(finder.search('làm giấy khai sinh cho con', 3).map((r) => r.id)).toContain('khai-sinh');
  });

  it('a questions file naming an entry that does not exist is a problem at its line, and a line without a label too', () => {
    const content = makeContentDir({ 'khai-sinh.yaml': entryYaml('khai-sinh', { name: 'Đăng ký khai sinh' }) });
    dirs.push(content);
    mkdirSync(join(content.dir, 'questions'));
    writeFileSync(join(content.dir, 'questions', 'a.tsv'), '# header\nlàm giấy khai sinh\tkhai-sinh\nlàm hộ chiếu\tho-chieu\nkhông nhãn\n');
    const { catalog: none, problems } = loadCatalog(content.dir, { today: '2026-12-02' });
    expect(none).toBeUndefined();
    expect(problems.map((p) => `${p.file}:${p.line} ${p.message}`)).toEqual([
      'content/questions/a.tsv:3 unknown entry id "ho-chieu"',
      'content/questions/a.tsv:4 a question line is `question TAB ids` (ids comma-separated, `-` = out of scope)',
    ]);
  });
});
