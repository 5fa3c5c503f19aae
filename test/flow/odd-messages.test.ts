/**
 * Walk-through 2026-12, items 4, 5 and 6: messages that are not questions. An emoji or a "👍" (the
 * commonest Zalo reply) is small talk, not a failed search quoting the emoji back; a rude or
 * angry message gets an apology and a person, never "no procedure matches 'đồ ngu'"; a very
 * long message that finds nothing is not quoted whole (that made one 2,400-character message).
 * Each is sent as the first message and in the middle of a conversation.
 */
import { describe, expect, it } from 'vitest';
import { stripMarkup } from '../../src/channels/plain-text.js';
import { realAssistant } from '../helpers/assistant.js';
import { drive, type Turn } from '../helpers/drive.js';

const EMOJI = ['👍', '👍👍👍', '😀', '🙏', '🙏🙏', '❤️', '👌', '😊', '🥰', '???', '.', '...', '!!'];
const RUDE = ['đồ ngu', 'bot ngu vl', 'ngu', 'ngu thế', 'vô dụng', 'dm', 'đm', 'vcl', 'mày biết gì', 'cút', 'bot dở tệ', 'chán quá', 'ngu vậy bạn'];

const assistant = realAssistant();
const texts = assistant.texts;
const plain = (turn: Turn) => turn.replies.map((r) => stripMarkup(r.text)).join('\n');
const choiceIds = (turn: Turn) => turn.replies.flatMap((r) => (r.choices ?? []).map((c) => c.id));

/** The message as the first of a conversation, and after the main menu was shown. */
function sendBoth(text: string): [string, Turn][] {
  const first = drive(assistant.engine).send(text);
  const chat = drive(assistant.engine);
  chat.send('/start');
  return [
    ['first message', first],
    ['mid-conversation', chat.send(text)],
  ];
}

const notFound = stripMarkup(texts.get('find.not_found')!).split('{{')[0]!.slice(0, 40);

describe('emoji and punctuation only', () => {
  it.each(EMOJI)('"%s" is small talk: no search, the menu', (text) => {
    for (const [when, turn] of sendBoth(text)) {
      expect(plain(turn), when).not.toContain('khớp với');
      expect(plain(turn), when).not.toContain(notFound);
      expect(choiceIds(turn), when).toEqual(expect.arrayContaining(['find', 'person']));
    }
  });
  it('"🙏" and "❤️" are thanks; "👍" is an acknowledgement', () => {
    const mid = (text: string) => plain(sendBoth(text)[1]![1]);
    expect(mid('🙏')).toContain(stripMarkup(texts.get('small_talk.thanks')!));
    expect(mid('❤️')).toContain(stripMarkup(texts.get('small_talk.thanks')!));
    expect(mid('👍')).toContain(stripMarkup(texts.get('small_talk.ack')!));
  });
});

describe('rude or angry messages', () => {
  it.each(RUDE)('"%s": an apology and a person, the words never echoed', (text) => {
    for (const [when, turn] of sendBoth(text)) {
      const said = plain(turn);
      expect(said, when).not.toContain(`"${text}"`);
      expect(said, when).not.toContain(notFound);
      expect(choiceIds(turn), when).toContain('person');
      if (when === 'mid-conversation') expect(said, when).toContain(stripMarkup(texts.get('small_talk.rude')!).slice(0, 30));
    }
  });
  it('a question that merely contains a harsh word is still searched', () => {
    const turn = sendBoth("ngu quá không biết làm giấy khai sinh")[1]![1];
    expect(plain(turn)).not.toContain(stripMarkup(texts.get('small_talk.rude')!).slice(0, 30));
  });
});

describe('very long messages that find nothing', () => {
  const long = ['a'.repeat(5000), 'xyz '.repeat(600), `${'thời tiết hôm nay thế nào '.repeat(80)}`];
  it.each(long.map((l) => [l.length, l]))('%i characters: every reply at most 1,000 characters, the text not quoted whole', (_n, text) => {
    for (const [when, turn] of sendBoth(text)) {
      for (const r of turn.replies) expect(r.text.length, `${when}: ${r.text.slice(0, 80)}`).toBeLessThanOrEqual(1000);
      expect(plain(turn), when).not.toContain(text.trim().slice(0, 200));
    }
  });
});
