/**
 * @module Renders an Outbound as plain text for every channel without buttons or rich text (Zalo
 * Bot, Zalo OA, the CLI): bold markers dropped, choices as numbered lines the citizen can answer
 * with the number or the words, links as "label: url" lines. The one place this is done.
 */
import type { Outbound } from '../engine/messages.js';

/** Removes the tiny markup: `**bold**` → `bold`, `\*` → `*`. */
export function stripMarkup(text: string): string {
  return text.replace(/\\\\|\\\*|\*\*/g, (m) => (m === '**' ? '' : m.slice(1)));
}

export function renderPlainText(msg: Outbound, options: { numberChoices?: boolean } = {}): string {
  const parts = [stripMarkup(msg.text)];
  if (msg.choices?.length && options.numberChoices !== false) {
    parts.push(msg.choices.map((c, i) => `${i + 1}. ${stripMarkup(c.label)}`).join('\n'));
  }
  if (msg.links?.length) parts.push(msg.links.map((l) => `🔗 ${l.label}: ${l.url}`).join('\n'));
  return parts.filter((p) => p.length > 0).join('\n\n');
}
