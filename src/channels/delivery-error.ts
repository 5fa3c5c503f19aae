/**
 * @module The one error every channel's `send` throws, classified so the caller (today the
 * after-turn delivery in open-channel.ts, tomorrow the delivery outbox) knows what to do:
 *   - `transient`: not delivered, trying again later may work (network, 5xx, 429 with
 *     `retryAfterMs`, a token being renewed);
 *   - `permanent`: the platform refused this message for good (blocked the bot, bad request, the
 *     citizen unfollowed or the reply window closed): do not retry;
 *   - `maybe_delivered`: the request left but no answer came (timeout, connection cut): the
 *     platform may have delivered it, and takes no idempotency key, so retry at most once.
 * `delivered` counts the messages of the call that did arrive before the failure, so a retry
 * sends only the rest. The message names the channel and reason, never a token or citizen text.
 */

export type DeliveryFailure = 'transient' | 'permanent' | 'maybe_delivered';

export type DeliveryReason =
  | 'network'
  | 'timeout'
  | 'server_error'
  | 'rate_limited'
  | 'unauthorized'
  | 'blocked'
  | 'bad_request'
  | 'unfollowed'
  | 'window_closed';

export interface DeliveryErrorDetails {
  /** Safe to log: no token, no citizen text. */
  description: string;
  /** Messages of this send delivered before the failure (default 0). */
  delivered?: number;
  /** For 429: how long the platform asked us to wait. */
  retryAfterMs?: number;
  /** The platform's error code or HTTP status, when there was one. */
  status?: number;
}

export class DeliveryError extends Error {
  readonly code = 'delivery_failed';
  readonly description: string;
  readonly delivered: number;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(
    readonly channel: string,
    readonly failure: DeliveryFailure,
    readonly reason: DeliveryReason,
    details: DeliveryErrorDetails,
  ) {
    super(`${channel} send failed (${failure}, ${reason}): ${details.description}`);
    this.name = 'DeliveryError';
    this.description = details.description;
    this.delivered = details.delivered ?? 0;
    this.retryAfterMs = details.retryAfterMs;
    this.status = details.status;
  }

  /** The same failure, counting `delivered` more messages of the call as delivered before it. */
  after(delivered: number): DeliveryError {
    return new DeliveryError(this.channel, this.failure, this.reason, {
      description: this.description,
      delivered: this.delivered + delivered,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.status !== undefined ? { status: this.status } : {}),
    });
  }
}

/**
 * How a failed HTTP request failed, from the error fetch (undici) or node-fetch (grammY) threw:
 * whether the request may have reached the platform. A refused connection or an unknown host never
 * sent anything; a timeout or a connection cut after connecting may have.
 */
export function networkFailure(error: unknown): { reason: 'network' | 'timeout'; maybeSent: boolean; detail: string } {
  const codes: string[] = [];
  let timedOut = false;
  let detail = '';
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && typeof e === 'object' && !seen.has(e); ) {
    seen.add(e);
    const { code, name, message, type } = e as { code?: unknown; name?: unknown; message?: unknown; type?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (name === 'TimeoutError' || name === 'AbortError' || type === 'aborted' || (typeof message === 'string' && /timed? ?out/i.test(message))) timedOut = true;
    if (!detail && typeof code === 'string') detail = code;
    e = (e as { cause?: unknown }).cause ?? (e as { error?: unknown }).error;
  }
  if (timedOut) return { reason: 'timeout', maybeSent: true, detail: detail || 'timed out' };
  const notConnected = codes.some((c) => NOT_CONNECTED.has(c));
  return { reason: 'network', maybeSent: !notConnected, detail: detail || 'network error' };
}

const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL']);
