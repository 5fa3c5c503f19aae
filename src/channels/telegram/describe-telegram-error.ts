/**
 * @module Classifies a failed Bot API call the way the channel must react to it: the API said no
 * (GrammyError: blocked by the user, rate limited, bad request) or it could not be reached
 * (HttpError: network, timeout, 5xx). The description never contains the token: grammY keeps the
 * request URL out of its own messages, but the wrapped fetch error carries it, so it is redacted.
 */
import { GrammyError, HttpError } from 'grammy';
import { redactToken } from '../redact-token.js';

export interface TelegramFailure {
  kind: 'api' | 'unreachable';
  /** The Bot API's error_code (400, 403, 429...), or the HTTP status when there was no envelope. */
  code?: number;
  /** Safe to log: no token. */
  description: string;
  /** Seconds Telegram asked us to wait (429). */
  retryAfter?: number;
}

export function describeTelegramError(error: unknown, token: string): TelegramFailure {
  if (error instanceof GrammyError) {
    return {
      kind: 'api',
      code: error.error_code,
      description: redactToken(error.description, token),
      ...(typeof error.parameters.retry_after === 'number' ? { retryAfter: error.parameters.retry_after } : {}),
    };
  }
  if (error instanceof HttpError) {
    const inner = error.error instanceof Error ? `: ${error.error.message}` : '';
    return { kind: 'unreachable', description: redactToken(`${error.message}${inner}`, token).slice(0, 300) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'unreachable', description: redactToken(message, token).slice(0, 300) };
}
