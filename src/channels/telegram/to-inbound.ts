/**
 * @module A Telegram update → Inbound. Text → 'text'; `/start <payload>` (deep links from QR
 * posters, `t.me/<bot>?start=<payload>`) → 'start'; a button press → 'choice'; photos, stickers,
 * voice, files... → 'media'. Anything else (edits, membership changes, channel posts) → null,
 * which the webhook answers 200 and ignores.
 */
import type { Update, Message, User } from 'grammy/types';
import type { Inbound } from '../../engine/messages.js';
import { NUMBERED_CHOICE_PREFIX } from './render.js';

export interface TelegramInbound {
  inbound: Inbound;
  /** Set for a button press: it must be answered so the button stops spinning. */
  callbackQueryId?: string;
}

/** The update types the bot asks Telegram for (setWebhook / getUpdates `allowed_updates`). */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

const MEDIA_FIELDS = [
  'photo',
  'sticker',
  'voice',
  'audio',
  'video',
  'video_note',
  'animation',
  'document',
  'contact',
  'location',
  'venue',
  'poll',
  'dice',
] as const;

export function toInbound(update: Update): TelegramInbound | null {
  const platformMessageId = String(update.update_id);
  if (update.message) {
    const message = update.message;
    if (message.from?.is_bot) return null;
    const base = baseOf(message, message.from, platformMessageId);
    if (typeof message.text === 'string') {
      const start = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/i.exec(message.text.trim());
      if (start) return { inbound: { ...base, kind: 'start', ...(start[1] ? { text: start[1] } : {}) } };
      return { inbound: { ...base, kind: 'text', text: message.text } };
    }
    const media = MEDIA_FIELDS.find((field) => message[field] !== undefined);
    if (media) return { inbound: { ...base, kind: 'media', mediaType: media } };
    return null;
  }
  const query = update.callback_query;
  if (query) {
    const chatId = query.message?.chat.id ?? query.from.id;
    const base = {
      channel: 'telegram' as const,
      conversationId: String(chatId),
      userId: String(query.from.id),
      ...displayName(query.from),
      platformMessageId,
    };
    const data = query.data ?? '';
    // An over-long choice id travelled as its number: the engine takes the number as the choice.
    if (data.startsWith(NUMBERED_CHOICE_PREFIX)) {
      return { inbound: { ...base, kind: 'text', text: data.slice(NUMBERED_CHOICE_PREFIX.length) }, callbackQueryId: query.id };
    }
    // The pressed button's text comes back with the message it was attached to.
    const keyboard = (query.message as { reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] } } | undefined)?.reply_markup;
    const label = keyboard?.inline_keyboard?.flat().find((button) => button.callback_data === data)?.text;
    return { inbound: { ...base, kind: 'choice', choiceId: data, ...(label ? { choiceLabel: label } : {}) }, callbackQueryId: query.id };
  }
  return null;
}

/** The chat an update belongs to, for handling one chat's updates in order; undefined if none. */
export function chatIdOf(update: Update): string | undefined {
  const id = update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id;
  return id === undefined ? undefined : String(id);
}

function baseOf(message: Message, from: User | undefined, platformMessageId: string) {
  return {
    channel: 'telegram' as const,
    conversationId: String(message.chat.id),
    userId: String(from?.id ?? message.chat.id),
    ...(from ? displayName(from) : {}),
    platformMessageId,
  };
}

function displayName(user: User): { displayName?: string } {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  return name ? { displayName: name } : {};
}
