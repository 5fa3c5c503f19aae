/**
 * @module Outbound → Zalo OA customer-service texts. CS messages carry no buttons in API v3, so
 * choices are numbered lines (the kit's shared plain-text renderer) the citizen answers with the
 * number or the words, links are written out, and the text is split at 2,000 characters on line
 * boundaries.
 */
import type { Outbound } from '../../engine/messages.js';
import { renderPlainText } from '../plain-text.js';
import { splitText } from '../split-text.js';

/** The commonly cited limit of a CS text. */
export const ZALO_OA_TEXT_LIMIT = 2000;

export function renderZaloOa(message: Outbound): string[] {
  return splitText(renderPlainText(message), ZALO_OA_TEXT_LIMIT);
}
