/**
 * @module Deep-link payloads (`/start <payload>` on Telegram and Zalo, `/?start=<payload>` on the
 * web): a procedure id and, optionally, a source tag naming the poster or meeting that brought
 * the citizen, `khai-sinh.poster-kp3`. Telegram allows only `A-Za-z0-9_-` in a start parameter,
 * so there the dot is written `_` (`khai-sinh_poster-kp3`); both forms are read everywhere.
 * Procedure ids and tags are lower-case letters, digits and hyphens, so neither separator can
 * occur inside them.
 */

export interface StartPayload {
  procedure: string;
  source?: string;
}

export const SOURCE_TAG = /^[a-z0-9][a-z0-9-]{0,31}$/;
const PAYLOAD = /^([a-z0-9][a-z0-9-]{0,47})(?:[._]([a-z0-9][a-z0-9-]{0,31}))?$/;

/** The procedure and source of a payload; undefined when it is not one (then it is ignored). */
export function parseStartPayload(payload: string | undefined): StartPayload | undefined {
  const match = PAYLOAD.exec((payload ?? '').trim().toLowerCase());
  if (!match?.[1]) return undefined;
  return { procedure: match[1], ...(match[2] ? { source: match[2] } : {}) };
}

/** The payload for a link: `.` between procedure and tag, `_` for Telegram. */
export function formatStartPayload(payload: StartPayload, separator: '.' | '_' = '.'): string {
  return payload.source ? `${payload.procedure}${separator}${payload.source}` : payload.procedure;
}
