/**
 * @module A Zalo Bot update → Inbound. Text → 'text' (`/start [payload]` typed by the citizen →
 * 'start'); image, sticker, voice and unsupported events (content withheld by Zalo, e.g. from
 * protected users) → 'media', which the engine answers politely. Zalo bots have no buttons, so
 * choices come back as typed text (the number or the words), which the engine matches itself.
 * Events that are not messages → null (ignored).
 */
import type { Inbound } from '../../engine/messages.js';
import type { ZaloUpdate } from './zalo-types.js';

const MEDIA_EVENTS: Record<string, string> = {
  'message.image.received': 'image',
  'message.sticker.received': 'sticker',
  'message.voice.received': 'voice',
  'message.unsupported.received': 'unsupported',
};

/**
 * The update inside a webhook body: Zalo's docs show `{ok, result: {event_name, message}}`,
 * some clients saw the bare `{event_name, message}`; both are accepted. Undefined if neither.
 */
export function unwrapWebhookBody(body: unknown): ZaloUpdate | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const wrapped = body as { ok?: unknown; result?: unknown };
  const update = (wrapped.ok === true && typeof wrapped.result === 'object' && wrapped.result !== null ? wrapped.result : body) as ZaloUpdate;
  return typeof update.event_name === 'string' ? update : undefined;
}

export function toInbound(update: ZaloUpdate): Inbound | null {
  const event = update.event_name ?? '';
  const message = update.message;
  if (!event.startsWith('message.') || !message) return null;
  if (message.from?.is_bot) return null;
  const chatId = message.chat?.id ?? message.from?.id;
  if (chatId === undefined || chatId === null || String(chatId) === '') return null;
  const userId = String(message.from?.id ?? chatId);
  const base = {
    channel: 'zalo' as const,
    conversationId: String(chatId),
    userId,
    ...(message.from?.display_name ? { displayName: message.from.display_name } : {}),
    // Zalo redelivers on failure: the message id answers each message once. Without one (never
    // seen), the sender and time stand in so a redelivery still dedupes.
    platformMessageId: message.message_id !== undefined ? String(message.message_id) : `${event}:${userId}:${message.date ?? ''}`,
  };
  const media = MEDIA_EVENTS[event];
  if (media) return { ...base, kind: 'media', mediaType: media };
  if (typeof message.text === 'string' && message.text.trim() !== '') {
    const start = /^\/start(?:\s+(\S+))?\s*$/i.exec(message.text.trim());
    if (start) return { ...base, kind: 'start', ...(start[1] ? { text: start[1] } : {}) };
    return { ...base, kind: 'text', text: message.text };
  }
  // A message event we do not know (e.g. a link or a file): answered as media, never dropped.
  return { ...base, kind: 'media', mediaType: event.replace(/^message\.|\.received$/g, '') || 'unknown' };
}
