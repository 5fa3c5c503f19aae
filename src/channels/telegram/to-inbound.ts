/**
 * @module A Telegram update → the kit's ParseResult. The update is checked with a schema first
 * (the fields we read, with their types; other fields pass): a `message` without `chat`, a string
 * where an object belongs or a non-integer id is malformed (400), never a conversation named
 * "[object Object]". Then: text → 'text'; `/start <payload>` (deep links from QR posters,
 * `t.me/<bot>?start=<payload>`) → 'start'; a button press → 'choice' (answered in the webhook
 * response so the button stops spinning); photos, stickers, voice, files... → 'media'. Other
 * update types (edits, membership changes, channel posts) and bots are ignored (200).
 */
import { z } from 'zod';
import type { Inbound } from '../../engine/messages.js';
import type { ParseResult } from '../define-channel.js';
import { NUMBERED_CHOICE_PREFIX } from './render.js';

/** The update types the bot asks Telegram for (setWebhook / getUpdates `allowed_updates`). */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

const MEDIA_FIELDS = ['photo', 'sticker', 'voice', 'audio', 'video', 'video_note', 'animation', 'document', 'contact', 'location', 'venue', 'poll', 'dice'] as const;

const id = z.number().int().refine(Number.isSafeInteger);
const user = z.looseObject({ id, is_bot: z.boolean().optional(), first_name: z.string().optional(), last_name: z.string().optional() });
const chat = z.looseObject({ id });
const message = z.looseObject({ message_id: id.optional(), chat, from: user.optional(), text: z.string().optional() });
const button = z.looseObject({ text: z.string(), callback_data: z.string().optional() });
const callbackQuery = z.looseObject({
  id: z.string().min(1),
  from: user,
  data: z.string().optional(),
  message: z.looseObject({ chat, reply_markup: z.looseObject({ inline_keyboard: z.array(z.array(button)).optional() }).optional() }).optional(),
});
const updateSchema = z.looseObject({ update_id: id.refine((n) => n >= 0), message: message.optional(), callback_query: callbackQuery.optional() });

type User = z.infer<typeof user>;

export function toInbound(native: unknown): ParseResult {
  const parsed = updateSchema.safeParse(native);
  if (!parsed.success) return { reject: `update: ${parsed.error.issues[0]?.path.join('.') || 'shape'}` };
  const update = parsed.data;
  const platformMessageId = String(update.update_id);
  if (update.message) {
    const msg = update.message;
    if (msg.from?.is_bot) return { ignore: 'from a bot' };
    const base = {
      channel: 'telegram',
      conversationId: String(msg.chat.id),
      userId: String(msg.from?.id ?? msg.chat.id),
      ...(msg.from ? displayName(msg.from) : {}),
      platformMessageId,
    } satisfies Partial<Inbound>;
    if (typeof msg.text === 'string') {
      const start = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/i.exec(msg.text.trim());
      if (start) return { inbound: { ...base, kind: 'start', ...(start[1] ? { text: start[1] } : {}) } };
      return { inbound: { ...base, kind: 'text', text: msg.text } };
    }
    const media = MEDIA_FIELDS.find((field) => msg[field] !== undefined);
    if (media) return { inbound: { ...base, kind: 'media', mediaType: media } };
    return { ignore: 'message without text or media' };
  }
  const query = update.callback_query;
  if (query) {
    if (query.data === undefined) return { ignore: 'callback without data' };
    const answer = { method: 'answerCallbackQuery', callback_query_id: query.id };
    const base = {
      channel: 'telegram',
      conversationId: String(query.message?.chat.id ?? query.from.id),
      userId: String(query.from.id),
      ...displayName(query.from),
      platformMessageId,
    } satisfies Partial<Inbound>;
    const data = query.data;
    // An over-long choice id travelled as its number: the engine takes the number as the choice.
    if (data.startsWith(NUMBERED_CHOICE_PREFIX)) return { inbound: { ...base, kind: 'text', text: data.slice(NUMBERED_CHOICE_PREFIX.length) }, answer };
    // The pressed button's text comes back with the message it was attached to.
    const label = query.message?.reply_markup?.inline_keyboard?.flat().find((b) => b.callback_data === data)?.text;
    return { inbound: { ...base, kind: 'choice', choiceId: data, ...(label ? { choiceLabel: label } : {}) }, answer };
  }
  return { ignore: 'update type not handled' };
}

function displayName(u: User): { displayName?: string } {
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ').trim();
  return name ? { displayName: name } : {};
}
