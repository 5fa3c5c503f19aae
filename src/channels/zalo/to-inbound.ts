/**
 * @module A Zalo Bot update → the kit's ParseResult. Webhook bodies come wrapped
 * (`{ok, result: {event_name, message}}`, as the docs show) or flat (as some clients saw); both
 * are accepted. The update is checked with a schema: ids must be strings or integers (a `chat.id`
 * that is an object is malformed, 400), text a string. Then: text → 'text' (`/start [payload]`
 * typed by the citizen → 'start'); image, sticker, voice and unsupported events (content withheld
 * by Zalo, e.g. from protected users) → 'media', which the engine answers politely. Zalo bots
 * have no buttons: choices come back as typed text (the number or the words). Events that are
 * not messages, and bots, are ignored (200).
 */
import { z } from 'zod';
import type { Inbound } from '../../engine/messages.js';
import type { ParseResult } from '../define-channel.js';

const MEDIA_EVENTS: Record<string, string> = {
  'message.image.received': 'image',
  'message.sticker.received': 'sticker',
  'message.voice.received': 'voice',
  'message.unsupported.received': 'unsupported',
};

const id = z.union([z.string().min(1).max(100), z.number().int().refine(Number.isSafeInteger)]);
const message = z.looseObject({
  message_id: id.optional(),
  date: z.number().optional(),
  from: z.looseObject({ id: id.optional(), display_name: z.string().optional(), is_bot: z.boolean().optional() }).optional(),
  chat: z.looseObject({ id: id.optional(), chat_type: z.string().optional() }).optional(),
  text: z.string().optional(),
  photo_url: z.string().optional(),
});
const update = z.looseObject({ event_name: z.string().min(1), message: message.optional() });
const wrapped = z.looseObject({ ok: z.literal(true), result: z.unknown() });

export function toInbound(native: unknown): ParseResult {
  const inner = wrapped.safeParse(native);
  const parsed = update.safeParse(inner.success ? inner.data.result : native);
  if (!parsed.success) return { reject: `update: ${parsed.error.issues[0]?.path.join('.') || 'shape'}` };
  const { event_name: event, message: msg } = parsed.data;
  if (!event.startsWith('message.')) return { ignore: `event ${event}` };
  if (!msg) return { reject: 'message event without message' };
  if (msg.from?.is_bot) return { ignore: 'from a bot' };
  const chatId = msg.chat?.id ?? msg.from?.id;
  if (chatId === undefined) return { reject: 'message without chat' };
  const userId = String(msg.from?.id ?? chatId);
  const base = {
    channel: 'zalo',
    conversationId: String(chatId),
    userId,
    ...(msg.from?.display_name ? { displayName: msg.from.display_name } : {}),
    // Zalo redelivers on failure: the message id answers each message once. Without one (never
    // seen), the sender and time stand in so a redelivery still dedupes.
    platformMessageId: msg.message_id !== undefined ? String(msg.message_id) : `${event}:${userId}:${msg.date ?? ''}`.replace(/[^A-Za-z0-9_.:@=+/-]/g, '_'),
  } satisfies Partial<Inbound>;
  const media = MEDIA_EVENTS[event];
  if (media) return { inbound: { ...base, kind: 'media', mediaType: media, ...(media === 'image' && msg.photo_url ? { mediaUrl: msg.photo_url } : {}) } };
  if (typeof msg.text === 'string' && msg.text.trim() !== '') {
    const start = /^\/start(?:\s+(\S+))?\s*$/i.exec(msg.text.trim());
    if (start) return { inbound: { ...base, kind: 'start', ...(start[1] ? { text: start[1] } : {}) } };
    return { inbound: { ...base, kind: 'text', text: msg.text } };
  }
  // A message event we do not know (e.g. a link or a file): answered as media, never dropped.
  return { inbound: { ...base, kind: 'media', mediaType: event.replace(/^message\.|\.received$/g, '').replace(/[^a-z_.]/gi, '') || 'unknown' } };
}
