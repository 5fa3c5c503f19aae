import { describe, expect, it } from 'vitest';
import { renderTelegram, toTelegramHtml, TELEGRAM_TEXT_LIMIT } from '../../../src/channels/telegram/render.js';
import { splitText } from '../../../src/channels/split-text.js';
import type { ParseResult } from '../../../src/channels/define-channel.js';
import { toInbound } from '../../../src/channels/telegram/to-inbound.js';
import type { Update } from 'grammy/types';

const inbound = (result: ParseResult) => ('inbound' in result ? result.inbound : undefined);

describe('toTelegramHtml', () => {
  it('renders bold and escapes everything else', () => {
    expect(toTelegramHtml('**Lệ phí:** <50.000đ> & "miễn"')).toBe('<b>Lệ phí:</b> &lt;50.000đ&gt; &amp; "miễn"');
  });
  it('keeps escaped asterisks and an unpaired ** literal', () => {
    expect(toTelegramHtml('a \\* b **c** d ** e')).toBe('a * b <b>c</b> d ** e');
  });
  it('turns "- " list items into bullets', () => {
    expect(toTelegramHtml('Giấy tờ:\n- Tờ khai\n- CCCD')).toBe('Giấy tờ:\n• Tờ khai\n• CCCD');
  });
});

describe('splitText', () => {
  it('splits on line boundaries within the limit', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `dòng ${i} ${'x'.repeat(90)}`);
    const parts = splitText(lines.join('\n'), 1000);
    expect(parts.length).toBeGreaterThan(4);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1000);
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });
  it('cuts an over-long line at a space', () => {
    const words = Array.from({ length: 400 }, (_, i) => `từ${i}`).join(' ');
    const parts = splitText(words, 300);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(300);
    expect(parts.join(' ')).toBe(words);
  });
});

describe('renderTelegram', () => {
  it('puts choices as callback buttons and links as URL buttons on the last part only', () => {
    const long = Array.from({ length: 60 }, (_, i) => `- mục ${i}: ${'giấy tờ '.repeat(8)}`).join('\n');
    const parts = renderTelegram({
      text: long,
      choices: [{ id: 'online', label: '💻 Nộp trực tuyến' }],
      links: [{ label: 'Cổng DVC', url: 'https://dichvucong.gov.vn' }],
    });
    expect(parts.length).toBe(2);
    for (const part of parts) expect(part.plain.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts[0]!.keyboard).toBeUndefined();
    expect(parts[1]!.keyboard).toEqual([[{ text: 'Cổng DVC', url: 'https://dichvucong.gov.vn' }], [{ text: '💻 Nộp trực tuyến', callback_data: 'online' }]]);
  });
  it('sends a too-long choice id as its number, which comes back as typed text', () => {
    const id = `pick:${'thu-tuc-rat-dai-'.repeat(5)}`;
    const [part] = renderTelegram({ text: 'Chọn', choices: [{ id: 'a', label: 'A' }, { id, label: 'B' }] });
    const data = (part!.keyboard![1]![0] as { callback_data: string }).callback_data;
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    const update = { update_id: 5, callback_query: { id: 'q', from: { id: 7, is_bot: false, first_name: 'A' }, chat_instance: 'c', data } } as Update;
    expect(inbound(toInbound(update))).toMatchObject({ kind: 'text', text: '2', conversationId: '7' });
  });
});

describe('toInbound', () => {
  const from = { id: 42, is_bot: false, first_name: 'Lan', last_name: 'Nguyễn' };
  const message = (extra: object) => ({ update_id: 9, message: { message_id: 1, date: 1, chat: { id: 42, type: 'private' }, from, ...extra } }) as unknown as Update;
  it('reads text, deep-link starts and media', () => {
    expect(inbound(toInbound(message({ text: 'dk ks cho be' })))).toEqual({
      channel: 'telegram', conversationId: '42', userId: '42', displayName: 'Lan Nguyễn', kind: 'text', text: 'dk ks cho be', platformMessageId: '9',
    });
    expect(inbound(toInbound(message({ text: '/start khai-sinh' })))).toMatchObject({ kind: 'start', text: 'khai-sinh' });
    expect(inbound(toInbound(message({ text: '/start' })))).toMatchObject({ kind: 'start' });
    expect(inbound(toInbound(message({ text: '/start' })))?.text).toBeUndefined();
    expect(inbound(toInbound(message({ photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }] })))).toMatchObject({ kind: 'media', mediaType: 'photo' });
    expect(inbound(toInbound(message({ sticker: { file_id: 'f' } })))).toMatchObject({ kind: 'media', mediaType: 'sticker' });
  });
  it('ignores updates it does not handle', () => {
    expect(toInbound({ update_id: 3, edited_message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: 'x' } } as unknown as Update)).toHaveProperty('ignore');
    expect(toInbound(message({ new_chat_title: 'x' }))).toHaveProperty('ignore');
  });
});
