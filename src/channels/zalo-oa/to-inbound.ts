/**
 * @module A Zalo OA webhook event → the kit's ParseResult, after its signature was checked.
 * The envelope is validated with a schema (ids are strings or integers — an id that is an object
 * is malformed, 400). Events of another OA (`recipient.id` / `oa_id` ≠ ZALO_OA_ID) are ignored.
 *   user_send_text                  → a text turn (the message id answers each delivery once)
 *   follow                          → 'start': the greeting
 *   user_send_image / gif / file / sticker / location / audio / video / link / business_card
 *                                   → 'media' (the polite "I read text" answer; its URL for staff)
 *   unfollow                        → noted: nothing more is sent to that citizen
 *   user_received_message / user_seen_message → delivery status noted, no turn
 *   anything else                   → ignored
 * Every citizen event moves the reply window (reply-window.ts).
 */
import { z } from 'zod';
import type { Inbound } from '../../engine/messages.js';
import type { ParseResult } from '../define-channel.js';
import type { ReplyWindows } from './reply-window.js';

const MEDIA_EVENTS = new Set(['image', 'gif', 'file', 'sticker', 'location', 'audio', 'video', 'link', 'business_card']);

const id = z.union([z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), z.number().int().nonnegative().refine(Number.isSafeInteger)]).transform(String);
const party = z.looseObject({ id });
const attachment = z.looseObject({ type: z.string().optional(), payload: z.looseObject({ url: z.string().optional() }).nullable().optional() });
const message = z.looseObject({
  msg_id: id.optional(),
  msg_ids: z.array(id).optional(),
  text: z.string().optional(),
  attachments: z.array(attachment).optional(),
});
const event = z.looseObject({
  event_name: z.string().min(1).max(100),
  app_id: id.optional(),
  oa_id: id.optional(),
  timestamp: z.union([z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative()]).transform(Number).optional(),
  sender: party.optional(),
  recipient: party.optional(),
  follower: party.optional(),
  message: message.optional(),
});

export interface OaParseOptions {
  oaId: string;
  windows: ReplyWindows;
  now: () => number;
  onStateError: (error: unknown) => void;
}

export async function toInbound(native: unknown, options: OaParseOptions): Promise<ParseResult> {
  const parsed = event.safeParse(native);
  if (!parsed.success) return { reject: `event: ${parsed.error.issues[0]?.path.join('.') || 'shape'}` };
  const e = parsed.data;
  const name = e.event_name;
  const at = Math.min(e.timestamp ?? options.now(), options.now());
  const note = async (run: () => Promise<void>) => {
    // The reply window informs staff; the turn must not fail for it.
    try {
      await run();
    } catch (error) {
      options.onStateError(error);
    }
  };

  if (name === 'follow' || name === 'unfollow') {
    const user = e.follower?.id ?? e.sender?.id;
    if (!user) return { reject: `${name} without follower` };
    const oa = e.oa_id ?? e.recipient?.id;
    if (oa !== undefined && oa !== options.oaId) return { ignore: 'another OA' };
    if (name === 'unfollow') {
      await note(() => options.windows.noteUnfollow(user));
      return { ignore: 'unfollow noted' };
    }
    await note(() => options.windows.noteInbound(user, at));
    return { inbound: { channel: 'zalo-oa', conversationId: user, userId: user, kind: 'start', platformMessageId: `follow:${user}:${e.timestamp ?? at}` } };
  }

  if (name === 'user_received_message' || name === 'user_seen_message') {
    // Sent by the OA's side: sender is the OA, recipient the citizen.
    const user = e.recipient?.id;
    if (!user || !e.sender) return { reject: `${name} without sender or recipient` };
    if (e.sender.id !== options.oaId) return { ignore: 'another OA' };
    await note(() => options.windows.noteDelivery(user, name === 'user_seen_message' ? 'seen' : 'received', at));
    return { ignore: 'delivery status noted' };
  }

  if (!name.startsWith('user_send_') || name.startsWith('user_send_group')) return { ignore: `event ${name}` };
  const kind = name.slice('user_send_'.length);
  if (kind !== 'text' && !MEDIA_EVENTS.has(kind)) return { ignore: `event ${name}` };
  if (!e.sender || !e.recipient) return { reject: `${name} without sender or recipient` };
  if (e.recipient.id !== options.oaId) return { ignore: 'another OA' };
  const user = e.sender.id;
  const messageId = e.message?.msg_id;
  const base = {
    channel: 'zalo-oa',
    conversationId: user,
    userId: user,
    // Zalo may deliver an event more than once: the message id answers it once.
    platformMessageId: messageId ?? `${name}:${user}:${e.timestamp ?? at}`,
  } satisfies Partial<Inbound>;
  if (kind === 'text') {
    if (!e.message || typeof e.message.text !== 'string' || !messageId) return { reject: 'text event without message text or id' };
    await note(() => options.windows.noteInbound(user, at));
    return { inbound: { ...base, kind: 'text', text: e.message.text } };
  }
  await note(() => options.windows.noteInbound(user, at));
  const url = e.message?.attachments?.find((a) => typeof a.payload?.url === 'string')?.payload?.url;
  return { inbound: { ...base, kind: 'media', mediaType: kind, ...(url && /^https?:\/\//i.test(url) ? { mediaUrl: url } : {}) } };
}
