/**
 * @module Splits a message into parts that fit a platform's length limit (Telegram 4096, Zalo 2000),
 * on line boundaries so a list item or a sentence is never cut, and inside a line only when one
 * line alone is longer than the limit (then at a space). Shared by the Telegram and Zalo channels.
 */

/**
 * Parts of `text`, each at most `limit` UTF-16 code units (what JS `length` counts; platforms
 * count characters, which is never more). Blank lines at the edges of a part are dropped, and a
 * blank-only text gives no part at all.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 2) throw new RangeError('splitText: limit must be at least 2');
  const parts: string[] = [];
  let current: string | undefined;
  for (const line of text.split('\n')) {
    for (const piece of splitLongLine(line, limit)) {
      if (current === undefined) current = piece;
      else if (current.length + 1 + piece.length <= limit) current = `${current}\n${piece}`;
      else {
        parts.push(current);
        current = piece;
      }
    }
  }
  if (current !== undefined) parts.push(current);
  return parts.map(trimBlankLines).filter((p) => p.length > 0);
}

function splitLongLine(line: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) {
      cut = limit;
      // Never cut an emoji or other astral character in half.
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  pieces.push(rest);
  return pieces;
}

function trimBlankLines(part: string): string {
  return part.replace(/^(?:[ \t]*\n)+/, '').replace(/(?:\n[ \t]*)+$/, '');
}
