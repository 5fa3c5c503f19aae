/**
 * @module Outbound → Telegram messages: the tiny markup as Telegram HTML (`**x**` → <b>x</b>,
 * everything else escaped), text split at 4096 characters on line boundaries, links as URL
 * buttons and choices as callback buttons on the last part.
 */
import type { Outbound } from '../../engine/messages.js';
import { stripMarkup } from '../plain-text.js';
import { splitText } from '../split-text.js';

/** Telegram's limit for a message's text, counted after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's limit for a button's callback_data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;
/**
 * callback_data prefix for a choice whose id is too long for a button: the button carries the
 * choice's number instead, and `toInbound` turns it into the typed number, which the engine
 * accepts as that choice.
 */
export const NUMBERED_CHOICE_PREFIX = '#n:';

export type InlineButton = { text: string; callback_data: string } | { text: string; url: string };

export interface TelegramMessage {
  /** Telegram HTML (parse_mode 'HTML'). */
  html: string;
  /** The same part as plain text, sent instead if Telegram ever refuses the HTML. */
  plain: string;
  keyboard?: InlineButton[][];
}

export function renderTelegram(msg: Outbound): TelegramMessage[] {
  // Measured on the markup source, which is never shorter than what Telegram counts.
  // Links Telegram cannot show as a button (not http/https) stay readable in the text.
  const odd = (msg.links ?? []).filter((l) => !isButtonUrl(l.url)).map((l) => `${l.label}: ${l.url}`);
  const text = odd.length > 0 ? `${msg.text}\n\n${odd.join('\n')}` : msg.text;
  const parts: TelegramMessage[] = splitText(text, TELEGRAM_TEXT_LIMIT).map((source) => ({ html: toTelegramHtml(source), plain: stripMarkup(source) }));
  const keyboard = buildKeyboard(msg);
  if (parts.length === 0 && keyboard.length === 0) return [];
  // Telegram refuses an empty text; a message that is only buttons gets a pointing hand.
  if (parts.length === 0) parts.push({ html: '👇', plain: '👇' });
  if (keyboard.length === 0) return parts;
  const last = parts[parts.length - 1]!;
  parts[parts.length - 1] = { ...last, keyboard };
  return parts;
}

/**
 * The tiny markup as Telegram HTML. `\*` is a literal asterisk, `\\` a backslash, `**` toggles
 * bold; an unpaired `**` is shown as typed so the HTML is always well formed. Lines starting with
 * "- " become bullets.
 */
export function toTelegramHtml(source: string): string {
  const tokens = source.split(/(\\\\|\\\*|\*\*)/);
  let pairs = Math.floor(tokens.filter((t) => t === '**').length / 2) * 2;
  let bold = false;
  let out = '';
  for (const token of tokens) {
    if (token === '**') {
      if (bold) {
        out += '</b>';
        bold = false;
        pairs -= 1;
      } else if (pairs > 0) {
        out += '<b>';
        bold = true;
        pairs -= 1;
      } else out += '**';
    } else if (token === '\\\\' || token === '\\*') out += token.slice(1);
    else out += escapeHtml(token);
  }
  return out.replace(/^- /gm, '• ');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function buildKeyboard(msg: Outbound): InlineButton[][] {
  const rows: InlineButton[][] = [];
  for (const link of msg.links ?? []) {
    if (isButtonUrl(link.url)) rows.push([{ text: stripMarkup(link.label), url: link.url }]);
  }
  (msg.choices ?? []).forEach((choice, i) => {
    const data = Buffer.byteLength(choice.id, 'utf8') <= CALLBACK_DATA_LIMIT ? choice.id : `${NUMBERED_CHOICE_PREFIX}${i + 1}`;
    rows.push([{ text: stripMarkup(choice.label), callback_data: data }]);
  });
  return rows;
}

function isButtonUrl(url: string): boolean {
  return /^https?:\/\/\S+$/i.test(url);
}
