/**
 * @module Outbound → Zalo Bot messages: plain text (Zalo bots have no buttons), choices as numbered
 * lines the citizen answers with the number or the words, links as "label: url" lines, split at
 * 2000 characters on line boundaries. Plain text is sent without parse_mode: Zalo's markdown may
 * reject or mangle text that was not written for it.
 */
import type { Outbound } from '../../engine/messages.js';
import { renderPlainText } from '../plain-text.js';
import { splitText } from '../split-text.js';

/** Zalo's limit for sendMessage text. */
export const ZALO_TEXT_LIMIT = 2000;

export function renderZalo(msg: Outbound): string[] {
  return splitText(renderPlainText(msg), ZALO_TEXT_LIMIT);
}
