import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/channels/define-channel.js';
import { toInbound } from '../../../src/channels/telegram/to-inbound.js';

const inbound = (result: ParseResult) => ('inbound' in result ? result.inbound : undefined);

const from = { id: 7, is_bot: false, first_name: 'Lan' };
const chat = { id: 7, type: 'private' as const, first_name: 'Lan' };

describe('telegram toInbound', () => {
  it('turns a button press into a choice with the pressed button text', () => {
    const update = {
      update_id: 10,
      callback_query: {
        id: 'q1',
        from,
        chat_instance: '1',
        data: 'lack',
        message: {
          message_id: 3,
          date: 0,
          chat,
          text: 'Anh/chị đã có giấy này chưa ạ?',
          reply_markup: { inline_keyboard: [[{ text: '✅ Có rồi', callback_data: 'have' }], [{ text: '⏳ Chưa có', callback_data: 'lack' }]] },
        },
      },
    };
    // The press is answered in the webhook response, so the button stops spinning.
    expect(toInbound(update as never)).toMatchObject({ inbound: { kind: 'choice', choiceId: 'lack', choiceLabel: '⏳ Chưa có', conversationId: '7', platformMessageId: '10' }, answer: { method: 'answerCallbackQuery', callback_query_id: 'q1' } });
  });

  it('reads /start with a payload as a start with the payload', () => {
    const update = { update_id: 11, message: { message_id: 4, date: 0, chat, from, text: '/start khai-sinh' } };
    expect(inbound(toInbound(update as never))).toMatchObject({ kind: 'start', text: 'khai-sinh' });
  });
});
