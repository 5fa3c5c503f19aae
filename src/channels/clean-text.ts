/**
 * @module What every channel does to a citizen's words before the conversation sees them: line
 * ends unified, tabs as spaces, C0/C1 control characters (NUL…) and the bidi controls that can
 * disguise text (U+202A–202E, U+2066–2069, LRM/RLM, BOM) removed, lone UTF-16 surrogates (which
 * no platform should send, and which break JSON and Redis round trips) dropped, edges trimmed.
 */

// C0 and C1 controls except tab and newline, and the bidi overrides that can disguise text.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROL, '').replace(LONE_SURROGATE, '').trim();
}
