import { describe, expect, it } from 'vitest';
import { toInbound } from '../../../src/channels/telegram/to-inbound.js';

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
    expect(toInbound(update as never)).toMatchObject({ inbound: { kind: 'choice', choiceId: 'lack', choiceLabel: '⏳ Chưa có', conversationId: '7', platformMessageId: '10' }, callbackQueryId: 'q1' });
  });

  it('reads /start with a payload as a start with the payload', () => {
    const update = { update_id: 11, message: { message_id: 4, date: 0, chat, from, text: '/start khai-sinh' } };
    expect(toInbound(update as never)?.inbound).toMatchObject({ kind: 'start', text: 'khai-sinh' });
  });
});
