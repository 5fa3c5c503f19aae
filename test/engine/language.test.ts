/**
 * Issue 15: the language a conversation is answered in (session.lang). Chosen from the menu, with
 * /lang en and /lang vi or the words "English" / "Tiếng Việt", or set by a clearly English
 * message while none was chosen; kept over /start and "start over"; forgotten when the citizen
 * erases their data. A detection never overrides the citizen's choice.
 */
import { describe, expect, it } from 'vitest';
import { memoryConversation, realAssistant, textFrom } from '../helpers/assistant.js';
import { drive } from '../helpers/drive.js';

const text = (replies: { text: string }[]) => replies.map((r) => r.text).join('\n');

describe('the conversation language', () => {
  const { engine } = realAssistant();

  it('switches with /lang en and /lang vi, and keeps it over /start and "start over"', () => {
    const chat = drive(engine);
    expect(text(chat.send('/lang en').replies)).toContain('Hello! I am the public-services assistant');
    expect(chat.session?.lang).toBe('en');
    expect(text(chat.send({ kind: 'start' }).replies)).toContain('Hello!');
    expect(text(chat.send('start over').replies)).toContain('What do you need?');
    expect(text(chat.send('/lang vi').replies)).toContain('Xin chào anh/chị');
    expect(chat.session?.lang).toBe('vi');
  });

  it('switches from the menu item written in the other language, and back', () => {
    const chat = drive(engine);
    const menu = chat.send({ kind: 'start' }).replies.at(-1);
    const english = menu?.choices?.find((c) => c.id === 'language');
    expect(english?.label).toBe('🇬🇧 English');
    const turn = chat.press('language');
    expect(text(turn.replies)).toContain('What do you need?');
    expect(turn.replies.at(-1)?.choices?.find((c) => c.id === 'language')?.label).toBe('🇻🇳 Tiếng Việt');
    expect(text(chat.press('language').replies)).toContain('Anh/chị cần gì ạ?');
  });

  it('answers a clearly English first message in English, greeting included, and unaccented Vietnamese in Vietnamese', () => {
    const english = drive(engine).send('renew my passport');
    expect(text(english.replies)).toContain('Hello!');
    expect(english.session.lang).toBe('en');
    const vietnamese = drive(engine).send('dang ky khai sinh cho be');
    expect(text(vietnamese.replies)).toContain('Xin chào anh/chị');
    expect(vietnamese.session.lang).toBeUndefined();
  });

  it('switches on an English question typed later, but never over a language the citizen chose', () => {
    const later = drive(engine);
    later.send({ kind: 'start' });
    expect(text(later.send('police clearance certificate').replies)).toContain('Do you mean the procedure');
    const chosen = drive(engine);
    chosen.send('/lang vi');
    const turn = chosen.send('police clearance certificate');
    expect(turn.session.lang).toBe('vi');
    expect(text(turn.replies)).not.toContain('Do you mean');
  });

  it('renders host texts in a given language (engine.text), the default one otherwise', () => {
    expect(engine.text('system.unavailable', {}, 'en')).toContain('Sorry, the system has a temporary problem');
    expect(engine.text('system.unavailable')).toContain('Xin lỗi anh/chị');
    expect(engine.text('system.unavailable', {}, 'xx')).toContain('Xin lỗi anh/chị');
  });

  it('forgets the language when the citizen erases their data', async () => {
    const { conversation } = memoryConversation();
    const id = 'lang-erase';
    await conversation.handleInbound(textFrom(id, '/lang en'));
    await conversation.handleInbound(textFrom(id, 'erase my data'));
    const erased = await conversation.handleInbound(textFrom(id, 'yes'));
    expect(text(erased.replies)).toContain('All your data is erased');
    const after = await conversation.handleInbound(textFrom(id, '/start'));
    expect(text(after.replies)).toContain('Xin chào anh/chị');
  });
});
