/**
 * @module Wire types of the Zalo Bot Platform (shared/zalo-bot-api.md, Part A): the response
 * envelope, updates and method results. Ids may arrive as numbers, fields may be missing: code
 * reading them must be tolerant (see to-inbound.ts).
 */

export interface ZaloEnvelope<T> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
}

export type ZaloEventName =
  | 'message.text.received'
  | 'message.image.received'
  | 'message.sticker.received'
  | 'message.voice.received'
  | 'message.unsupported.received'
  | (string & {});

export interface ZaloMessage {
  message_id?: string | number;
  /** Epoch milliseconds. */
  date?: number;
  from?: { id?: string | number; display_name?: string; is_bot?: boolean };
  chat?: { id?: string | number; chat_type?: 'PRIVATE' | 'GROUP' | (string & {}) };
  text?: string;
  photo?: string;
  photo_url?: string;
  caption?: string;
  sticker?: string;
  url?: string;
  voice_url?: string;
  message_type?: string;
}

export interface ZaloUpdate {
  event_name?: ZaloEventName;
  message?: ZaloMessage;
}

export interface ZaloBotInfo {
  id: string;
  account_name?: string;
  display_name?: string;
  account_type?: string;
  can_join_groups?: boolean;
}

export interface ZaloWebhookInfo {
  /** Empty when no webhook is set. */
  url: string;
  updated_at?: number;
}

export interface ZaloSentMessage {
  message_id: string;
  date: number;
}
