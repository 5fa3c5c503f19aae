/**
 * @module Renders an Outbound for the web chat: the tiny markup (see engine/messages.ts) becomes
 * HTML that is safe to insert with innerHTML — every character of the text is escaped first, and
 * only the tags made here (<p>, <br>, <strong>, <ul>, <ol>, <li>, and <a href="tel:…"> around a
 * phone number, so a citizen on a phone can call the hotline with one tap) are produced. Choice labels
 * lose their markup (the page shows them as plain text); links keep only http(s) URLs.
 */
import type { Choice, Link, Outbound } from '../../engine/messages.js';
import { stripMarkup } from '../plain-text.js';

export interface WebMessage {
  /** The transcript entry id: the page shows each id once. */
  id: string;
  html: string;
  choices: Choice[];
  links: Link[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// A Vietnamese phone number: 10 or 11 digits from a leading 0 (mobile, landline) or a 1800/1900
// line, in groups split by spaces or dots. Not part of a longer run of digits, so a 12-digit
// citizen id number is never turned into a link.
const PHONE = /(?<![\d.,])(?:0(?:[ .]?\d){9,10}|1[89]00(?:[ .]?\d){4,6})(?![\d])/g;

function escapeWithPhoneLinks(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(PHONE)) {
    const at = match.index ?? 0;
    out += escapeHtml(text.slice(last, at));
    out += `<a href="tel:${match[0].replace(/\D/g, '')}">${escapeHtml(match[0])}</a>`;
    last = at + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** `**bold**` → <strong>, `\*` → `*`, `\\` → `\`; everything else escaped. An unpaired `**` stays literal. */
function renderInline(line: string): string {
  const tokens = line.split(/(\\\\|\\\*|\*\*)/);
  const marks = tokens.filter((t) => t === '**').length;
  // With an odd number of markers the last one has no partner and is shown as typed.
  let usable = marks - (marks % 2);
  let open = false;
  let out = '';
  for (const token of tokens) {
    if (token === '**' && usable > 0) {
      out += open ? '</strong>' : '<strong>';
      open = !open;
      usable -= 1;
    } else if (token === '\\\\' || token === '\\*') {
      out += escapeHtml(token.slice(1));
    } else {
      out += escapeWithPhoneLinks(token);
    }
  }
  return out;
}

const BULLET = /^\s*[-•]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,3})[.)]\s+(.*)$/;

export function renderMarkupHtml(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[] = [];
  let paragraph: string[] = [];
  let list: { tag: 'ul' | 'ol'; start: number; items: string[] } | undefined;

  const flushParagraph = (): void => {
    if (paragraph.length > 0) blocks.push(`<p>${paragraph.join('<br>')}</p>`);
    paragraph = [];
  };
  const flushList = (): void => {
    if (!list) return;
    const start = list.tag === 'ol' && list.start !== 1 ? ` start="${list.start}"` : '';
    blocks.push(`<${list.tag}${start}>${list.items.map((i) => `<li>${i}</li>`).join('')}</${list.tag}>`);
    list = undefined;
  };

  for (const line of lines) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet) {
      flushParagraph();
      if (list?.tag !== 'ul') {
        flushList();
        list = { tag: 'ul', start: 1, items: [] };
      }
      list.items.push(renderInline(bullet[1] ?? ''));
    } else if (numbered) {
      flushParagraph();
      if (list?.tag !== 'ol') {
        flushList();
        list = { tag: 'ol', start: Number(numbered[1]), items: [] };
      }
      list.items.push(renderInline(numbered[2] ?? ''));
    } else if (line.trim() === '') {
      flushList();
      flushParagraph();
    } else {
      flushList();
      paragraph.push(renderInline(line));
    }
  }
  flushList();
  flushParagraph();
  return blocks.join('');
}

function isWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

export function renderWebMessage(id: string, msg: Outbound): WebMessage {
  return {
    id,
    html: renderMarkupHtml(msg.text),
    choices: (msg.choices ?? []).map((c) => ({ id: c.id, label: stripMarkup(c.label) })),
    links: (msg.links ?? []).filter((l) => isWebUrl(l.url)).map((l) => ({ label: stripMarkup(l.label), url: l.url })),
  };
}
