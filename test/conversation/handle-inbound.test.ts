import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH, mergeReplies } from '../../src/conversation/handle-inbound.js';
import { memoryConversation, textFrom } from '../helpers/assistant.js';

describe('mergeReplies', () => {
  it('joins plain text to the next reply, keeping that reply choices and links', () => {
    const merged = mergeReplies([{ text: 'Xin chào' }, { text: 'Chọn', choices: [{ id: 'a', label: 'A' }] }, { text: 'Thêm', links: [{ label: 'L', url: 'https://x.vn' }] }, { text: 'Cuối' }]);
    expect(merged).toEqual([
      { text: 'Xin chào\n\nChọn', choices: [{ id: 'a', label: 'A' }] },
      { text: 'Thêm', links: [{ label: 'L', url: 'https://x.vn' }] },
      { text: 'Cuối' },
    ]);
  });

  it('does not merge past the length limit', () => {
    expect(mergeReplies([{ text: 'a'.repeat(10) }, { text: 'b'.repeat(10) }], 20)).toHaveLength(2);
    expect(mergeReplies([{ text: 'a'.repeat(9) }, { text: 'b'.repeat(9) }], 20)).toHaveLength(1);
  });
});

describe('handleInbound', () => {
  it('answers a redelivered message once', async () => {
    const { conversation } = memoryConversation();
    const first = textFrom('dup', '/start');
    expect((await conversation.handleInbound(first)).status).toBe('ok');
    const again = await conversation.handleInbound(first);
    expect(again).toMatchObject({ status: 'duplicate', replies: [] });
  });

  it('takes a huge message without failing, searching only its beginning', async () => {
    const { conversation } = memoryConversation();
    const huge = `đăng ký kết hôn ${'x'.repeat(MAX_TEXT_LENGTH * 5)}`;
    const handled = await conversation.handleInbound(textFrom('huge', huge));
    expect(handled.status).toBe('ok');
    expect(handled.replies.length).toBeGreaterThan(0);
  });

  it('takes strange text (emoji, control characters, right-to-left marks, HTML) as text', async () => {
    const { conversation } = memoryConversation();
    for (const text of ['🙂🙂🙂', '\u0000\u0007', '\u202Eabc', '<script>alert(1)</script>', '   ']) {
      const handled = await conversation.handleInbound(textFrom('odd', text));
      expect(handled.status, JSON.stringify(text)).toBe('ok');
      expect(handled.replies.length, JSON.stringify(text)).toBeGreaterThan(0);
    }
  });
});
