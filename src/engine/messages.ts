/**
 * @module The channel-agnostic message model: what every channel turns its native updates into
 * (Inbound) and what the engine asks the host to deliver (Outbound).
 *
 * Outbound text uses a tiny markup that each channel renders safely:
 *   - `**bold**`            bold (Telegram <b>, web <strong>, Zalo plain text)
 *   - lines starting "- "   bullet list items
 *   - lines starting "1. "  numbered list items
 *   - `\*`                  a literal asterisk (template values are escaped this way)
 * Links never appear inline: they go in `links`, and each channel shows them its own way.
 */

/** A channel's name, as its definition gives it (src/channels/index.ts lists them; the engine does not). */
export type ChannelName = string;

export type InboundKind = 'start' | 'text' | 'choice' | 'media' | 'unsupported';

export interface Inbound {
  channel: ChannelName;
  /** Stable per chat, unique within the channel (Telegram chat id, Zalo chat id, web session id). */
  conversationId: string;
  userId: string;
  displayName?: string;
  kind: InboundKind;
  /** The citizen's words for 'text'; for 'start', an optional deep-link payload. */
  text?: string;
  /** For 'choice': the id of the choice pressed (a button). */
  choiceId?: string;
  /** For 'choice', when the platform tells it: the button's text, for transcripts staff read. */
  choiceLabel?: string;
  /** For 'media': what was sent (image, sticker, voice, file...). */
  mediaType?: string;
  /** For 'media', when the platform gives one: where the attachment can be opened (shown to staff). */
  mediaUrl?: string;
  /** Platform id of the message (update_id / message_id); used to answer each delivery once. */
  platformMessageId: string;
}

export interface Choice {
  id: string;
  label: string;
}

export interface Link {
  label: string;
  url: string;
}

export interface Outbound {
  text: string;
  choices?: Choice[];
  links?: Link[];
}
