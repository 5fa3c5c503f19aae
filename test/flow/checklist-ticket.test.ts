/**
 * Issue 9, item 1, as staff see it: a ticket opened after the checklist lists exactly the
 * documents the citizen lacks (the old `set` order recorded the document after the lacking one,
 * so the ticket named the wrong paper, or none when the last one was lacking).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { textFrom } from '../helpers/assistant.js';
import { handoffKit, type HandoffKit } from '../handoff/handoff-kit.js';

let kit: HandoffKit | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});

describe('the staff ticket after the checklist', () => {
  it('names exactly the documents the citizen lacks, also when it is the last one', async () => {
    kit = await handoffKit({ kind: 'memory' });
    for (const [chat, answers, expected] of [
      ['801', ['có rồi', 'chưa có'], ['Giấy tờ, văn bản sẽ ký']],
      ['802', ['chưa có', 'có rồi'], ['Thẻ căn cước (hoặc căn cước công dân, hộ chiếu còn hạn)']],
    ] as const) {
      for (const text of ['/start chung-thuc-chu-ky', 'kiểm tra giấy tờ', ...answers, 'gặp cán bộ']) await kit.conversation.handleInbound(textFrom(chat, text, 'telegram'));
      const ticket = (await kit.handoff.desk.list()).find((t) => t.conversationId === chat);
      expect(ticket?.context.missing, chat).toEqual(expected);
    }
  });
});
