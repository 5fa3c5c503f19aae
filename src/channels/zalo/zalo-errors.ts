/**
 * @module The two ways a Zalo Bot API call fails, so callers can react differently: the API said
 * no (`ZaloApiError`: an `ok:false` envelope with error_code/description) or it could not be
 * reached or answered nonsense (`ZaloHttpError`: network failure, timeout, non-JSON body).
 * Messages never contain the token (callers build them with `redactSecrets`).
 */

export class ZaloApiError extends Error {
  readonly code = 'zalo_api_error';
  constructor(
    readonly method: string,
    /** Zalo's error_code (HTTP-like: 400, 401, 403, 404, 408, 429...). */
    readonly errorCode: number,
    readonly description: string,
    /** The HTTP status the envelope came with (Zalo often sends errors with 200). */
    readonly httpStatus: number,
  ) {
    super(`Zalo ${method} failed (${errorCode}: ${description})`);
    this.name = 'ZaloApiError';
  }
}

export class ZaloHttpError extends Error {
  readonly code = 'zalo_http_error';
  constructor(
    readonly method: string,
    message: string,
    /** The HTTP status when there was a response (a non-JSON body), undefined for network failures. */
    readonly httpStatus?: number,
    /** At most 200 characters of a non-JSON body, token removed. */
    readonly snippet?: string,
    /** The network error, for telling "never sent" from "maybe sent" (its message may hold the URL: never log it). */
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ZaloHttpError';
  }
}
