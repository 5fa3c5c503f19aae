/**
 * Issue 9, items 7, 8 and 12 (the last point): the `find` service the flows call recognises small
 * talk (thanks, greetings, who-are-you, ok — with and without accents, run together, with a typo),
 * vague topic words (a clarifying question with exactly that topic's entries, for every topic of
 * content/phrasebook.yaml) and "nộp trực tiếp" before it searches, and leaves real questions to
 * the finder.
 */
import { describe, expect, it } from 'vitest';
import { createEngineServices } from '../../src/catalog/engine-services.js';
import { loadPhrasebook } from '../../src/catalog/load-phrasebook.js';
import { createPhrasebookMatcher } from '../../src/catalog/phrasebook-matcher.js';
import { assistantOn } from '../helpers/drive.js';
import { makeContentDir, REAL_CONTENT_DIR } from './catalog-fixture.js';

const assistant = assistantOn(REAL_CONTENT_DIR);
const services = createEngineServices(assistant);
const find = (query: string) => services.find({ query }, {});

describe('small talk', () => {
  const kinds: Record<string, string[]> = {
    thanks: ['cảm ơn', 'Cảm ơn!', 'cam on', 'camon', 'cám ơn nhiều nhé', 'cảm ơn bạn nhiều', 'cảm ơn ạ!!!', 'thanks', 'tks ad', 'cảm ơm', 'ok cảm ơn em', 'chào em, cảm ơn nhé'],
    greeting: ['alo', 'a lô', 'alooo', 'Alo alo', 'chào em', 'chao ban', 'xin chào', 'hello', 'chào ad ạ', 'chào buổi sáng'],
    who: ['bạn là ai', 'ban la ai?', 'em là ai vậy', 'bot à', 'bạn là người hay máy', 'alo, ai đấy'],
    ack: ['ok', 'okkk', 'oke', 'Ok ạ', 'vâng', 'dạ', 'được rồi', 'ừ'],
    bye: ['tạm biệt', 'bye bye', 'bai bai nhé'],
  };
  for (const [kind, messages] of Object.entries(kinds)) {
    it(`${kind}: ${messages.join(' · ')}`, () => {
      for (const message of messages) expect(find(message), message).toEqual({ ok: true, outcome: 'small_talk', data: { outcome: 'small_talk', kind } });
    });
  }

  it('a question that starts politely is a question, not small talk', () => {
    for (const message of ['chào em, cho hỏi làm căn cước', 'cảm ơn, làm khai sinh cần gì', 'ok làm giấy khai sinh', 'alo cho hỏi đăng ký kết hôn']) {
      expect(find(message).outcome, message).not.toBe('small_talk');
      expect(['confident', 'ambiguous'], message).toContain(find(message).outcome);
    }
  });
});

describe('vague topic words', () => {
  const { phrasebook, problems } = loadPhrasebook(REAL_CONTENT_DIR, assistant.catalog);

  it('name only entries the catalog holds, two or more each', () => {
    expect(problems).toEqual([]);
    for (const [id, topic] of Object.entries(phrasebook.topics)) {
      expect(topic.entries.filter((e) => assistant.catalog.byId.has(e)).length, id).toBeGreaterThanOrEqual(2);
    }
  });

  for (const [id, topic] of Object.entries(phrasebook.topics)) {
    it(`${id}: ${topic.words.join(', ')} → a question with exactly its entries`, () => {
      const expected = topic.entries.slice(0, 6).map((e) => ({ id: e, label: assistant.catalog.byId.get(e)!.name }));
      for (const word of topic.words) {
        const answer = find(word);
        // A topic word that also names one entry clearly (the finder is sure) goes to that entry.
        if (answer.outcome === 'confident') continue;
        expect(answer, word).toEqual({ ok: true, outcome: 'topic', data: { outcome: 'topic', topic: topic.label, candidates: expected } });
      }
    });
  }

  it('the words of issue 9 get their question, with or without accents and filler', () => {
    for (const [message, topic] of [
      ['bảo hiểm', 'bao-hiem'],
      ['bao hiem', 'bao-hiem'],
      ['đất', 'dat-dai'],
      ['dat dai', 'dat-dai'],
      ['giấy tờ nhà', 'dat-dai'],
      ['giay to nha dat', 'dat-dai'],
      ['hỏi về đất ạ', 'dat-dai'],
      ['xe', 'xe'],
      ['xe máy', 'xe'],
    ] as const) {
      const answer = find(message);
      expect(answer.outcome, message).toBe('topic');
      expect((answer.data as { topic: string }).topic, message).toBe(phrasebook.topics[topic]!.label);
    }
  });

  it('a precise question is not a topic, and two topics at once are not one', () => {
    expect(find('bảo hiểm y tế').outcome).not.toBe('topic');
    expect(find('đổi bằng lái xe').data).toMatchObject({ candidates: [{ id: 'doi-bang-lai' }] });
    const matcher = createPhrasebookMatcher(phrasebook, assistant.catalog);
    expect(matcher.topic('bảo hiểm xe')).toBeUndefined();
    expect(matcher.topic('tôi cần hỗ trợ')).toBeUndefined();
  });
});

describe('asking to file in person', () => {
  it('is recognised before the finder (which would offer the online guide)', () => {
    for (const message of ['nop truc tiep', 'nộp trực tiếp', 'Tôi muốn nộp tại phường', 'nộp hồ sơ trực tiếp ạ']) {
      expect(find(message).outcome, message).toBe('in_person');
    }
    expect(find('nộp trực tuyến').outcome).not.toBe('in_person');
  });
});

describe('the phrasebook file', () => {
  it('is optional, and names an unknown entry with its line', () => {
    const content = makeContentDir({});
    try {
      expect(loadPhrasebook(content.dir)).toMatchObject({ problems: [], phrasebook: { small_talk: {}, topics: {} } });
      const { problems } = loadPhrasebook(REAL_CONTENT_DIR, { ...assistant.catalog, byId: new Map() });
      expect(problems[0]).toMatchObject({ file: 'content/phrasebook.yaml', where: 'topic bao-hiem', message: 'unknown catalog entry "bhyt"' });
      expect(problems[0]!.line).toBeGreaterThan(1);
    } finally {
      content.remove();
    }
  });
});
