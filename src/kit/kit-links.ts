/**
 * @module How a poster reaches the assistant on each channel of the registry (channels/index.ts):
 * Telegram opens the procedure through `https://t.me/<bot>?start=<payload>`, the web chat through
 * `<site>/?start=<payload>`; Zalo has no start payload, so its poster says what to type (the
 * procedure's exact name, which the finder confirms at once) and its QR code, when the ward gives
 * one (`--link`, the OA's or bot's own share link from Zalo), only opens the chat. Any other
 * channel is treated like Zalo.
 */
import { formatStartPayload, SOURCE_TAG } from '../engine/deep-link.js';
import { channelDefinitions } from '../channels/index.js';

/** The channels a poster can be made for: every registered channel a citizen uses (not the CLI). */
export function posterChannels(): Array<{ name: string; label: string }> {
  return channelDefinitions.filter((d) => d.name !== 'cli').map((d) => ({ name: d.name, label: d.label }));
}

export interface KitLinkInput {
  channel: string;
  procedure: string;
  /** The procedure's exact name (what a Zalo poster says to type). */
  procedureName: string;
  source?: string;
  /** Telegram: the bot's username (without @). */
  bot?: string;
  /** Web: the site's address (PUBLIC_URL, or the address the kit page was opened on). */
  baseUrl?: string;
  /** Zalo and others: the chat's own link, from the platform. */
  link?: string;
}

export interface KitLink {
  /** What the QR code opens; absent when nothing can be linked (a Zalo poster without `link`). */
  url?: string;
  /** What the citizen types once the chat is open (no start payload on the channel). */
  typeText?: string;
  /** Whether a conversation opened by this poster is counted under its source tag. */
  countsSource: boolean;
}

export class KitLinkError extends Error {
  constructor(
    readonly code: 'bad_source' | 'no_bot' | 'no_base_url' | 'bad_link' | 'unknown_channel',
    message: string,
  ) {
    super(message);
  }
}

export function kitLink(input: KitLinkInput): KitLink {
  if (input.source !== undefined && !SOURCE_TAG.test(input.source)) throw new KitLinkError('bad_source', 'A source tag is 1-32 lower-case letters, digits or hyphens (poster-kp3).');
  if (!posterChannels().some((c) => c.name === input.channel)) throw new KitLinkError('unknown_channel', `Channel: ${posterChannels().map((c) => c.name).join(', ')}.`);
  const payload = { procedure: input.procedure, ...(input.source ? { source: input.source } : {}) };
  if (input.channel === 'telegram') {
    const bot = input.bot?.replace(/^@/, '');
    if (!bot || !/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(bot)) throw new KitLinkError('no_bot', 'Telegram posters need the bot’s username (--bot).');
    // Telegram allows only A-Za-z0-9_- in a start parameter: the tag follows an underscore.
    return { url: `https://t.me/${bot}?start=${formatStartPayload(payload, '_')}`, countsSource: true };
  }
  if (input.channel === 'web') {
    if (!input.baseUrl || !/^https?:\/\/[^\s/]+/.test(input.baseUrl)) throw new KitLinkError('no_base_url', 'Web posters need the site’s address (--base-url or PUBLIC_URL).');
    return { url: `${input.baseUrl.replace(/\/+$/, '')}/?start=${formatStartPayload(payload)}`, countsSource: true };
  }
  if (input.link !== undefined && !/^https:\/\/\S+$/.test(input.link)) throw new KitLinkError('bad_link', 'The chat link must be an https:// address.');
  return { ...(input.link ? { url: input.link } : {}), typeText: input.procedureName, countsSource: false };
}
