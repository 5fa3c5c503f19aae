/**
 * Walk-through 2026-12, item 10: asking for a person in everyday words ("có ai không", "nhân viên
 * đâu", "cho gặp tư vấn viên") got "Tôi chỉ hỗ trợ thủ tục hành chính…". Generated over such
 * phrasings, with and without accents: each reaches the person path (here without a desk: the
 * hotline, never "đã chuyển"). The other way round, no catalog name, alias or keyword is taken
 * for a request for a person.
 */
import { describe, expect, it } from 'vitest';
import { fold } from '../../src/engine/fold.js';
import { realAssistant } from '../helpers/assistant.js';
import { drive } from '../helpers/drive.js';

const ASKS = [
  'cho em gặp người thật',
  'em muốn nói chuyện với cán bộ',
  'có ai không',
  'có ai ở đó không',
  'nhân viên đâu',
  'cho gặp tư vấn viên',
  'gặp admin',
  'tôi muốn gặp người',
  'cho tôi nói chuyện với người thật',
  'cần người tư vấn',
  'gặp người hỗ trợ',
];

const assistant = realAssistant();
const personFlow = (text: string) => {
  const chat = drive(assistant.engine);
  chat.send('/start');
  const turn = chat.send(text);
  return turn.events.some((e) => e.type === 'command' && e.command === 'person');
};

describe('asking for a person in everyday words', () => {
  it.each(ASKS.flatMap((a) => [a, fold(a)]))('"%s" reaches the person path', (text) => {
    expect(personFlow(text)).toBe(true);
  });
});

describe('no procedure is taken for a request for a person', () => {
  const words = assistant.catalog.entries.flatMap((e) => [e.name, ...e.aliases, ...e.keywords]);
  it.each(words)('"%s"', (text) => {
    expect(personFlow(text)).toBe(false);
  });
});
