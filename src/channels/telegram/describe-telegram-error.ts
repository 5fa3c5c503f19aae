/**
 * @module Classifies a failed Bot API call: the API said no (GrammyError: blocked by the user,
 * rate limited, bad request) or it could not be reached (HttpError: network, timeout, a proxy's
 * page instead of JSON). `toDeliveryError` turns it into the kit's DeliveryError. Descriptions
 * never contain the token: grammY keeps the request URL out of its own messages, but the wrapped
 * fetch error carries it, so it is redacted.
 */
import { GrammyError, HttpError } from 'grammy';
import { DeliveryError, networkFailure } from '../delivery-error.js';
import { redactSecrets } from '../../conversation/redact.js';

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
      description: redactSecrets(error.description, [token]),
      ...(typeof error.parameters.retry_after === 'number' ? { retryAfter: error.parameters.retry_after } : {}),
    };
  }
  if (error instanceof HttpError) {
    const inner = error.error instanceof Error ? `: ${error.error.message}` : '';
    return { kind: 'unreachable', description: redactSecrets(`${error.message}${inner}`, [token]).slice(0, 300) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'unreachable', description: redactSecrets(message, [token]).slice(0, 300) };
}

export function toDeliveryError(error: unknown, token: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const failure = describeTelegramError(error, token);
  const details = { description: failure.description, ...(failure.code !== undefined ? { status: failure.code } : {}) };
  if (error instanceof GrammyError) {
    const code = error.error_code;
    if (code === 429) return new DeliveryError('telegram', 'transient', 'rate_limited', { ...details, retryAfterMs: (failure.retryAfter ?? 1) * 1000 });
    if (code >= 500) return new DeliveryError('telegram', 'transient', 'server_error', details);
    // A refused token: nothing can be sent until an operator fixes it, then everything can.
    if (code === 401 || code === 404) return new DeliveryError('telegram', 'transient', 'unauthorized', details);
    if (code === 403) return new DeliveryError('telegram', 'permanent', 'blocked', details);
    return new DeliveryError('telegram', 'permanent', 'bad_request', details);
  }
  const inner = error instanceof HttpError ? error.error : error;
  // An answer came, but not JSON (a proxy's error page): nothing was delivered.
  if ((inner as { type?: unknown } | undefined)?.type === 'invalid-json') return new DeliveryError('telegram', 'transient', 'server_error', details);
  const network = networkFailure(inner);
  return new DeliveryError('telegram', network.maybeSent ? 'maybe_delivered' : 'transient', network.reason, details);
}
