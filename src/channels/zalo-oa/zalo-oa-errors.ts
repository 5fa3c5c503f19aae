/**
 * @module The two ways a Zalo OA Open API or OAuth call fails: the API said no (`ZaloOaApiError`:
 * a non-zero `error`, often with HTTP 200, or an HTTP error status) or it could not be reached or
 * answered nonsense (`ZaloOaHttpError`: network failure, timeout, a body that is not JSON).
 * Messages never contain a token: tokens travel in headers and form bodies, never in URLs, and
 * descriptions from Zalo are cut of any token the client sent.
 */

/** The access token is invalid or expired: refresh once, retry once. */
export const ACCESS_TOKEN_INVALID = -216;
/** The refresh token was already used or expired: the OA must be authorised again. */
export const REFRESH_TOKEN_INVALID = -14020;

export class ZaloOaApiError extends Error {
  readonly code = 'zalo_oa_api_error';
  constructor(
    readonly method: string,
    /** Zalo's `error` (negative), or the HTTP status when the body had none. */
    readonly errorCode: number,
    readonly description: string,
    readonly httpStatus: number,
  ) {
    super(`Zalo OA ${method} failed (${errorCode}: ${description})`);
    this.name = 'ZaloOaApiError';
  }
}

export class ZaloOaHttpError extends Error {
  readonly code = 'zalo_oa_http_error';
  constructor(
    readonly method: string,
    message: string,
    /** Set when an answer came (a body that was not Zalo's JSON). */
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ZaloOaHttpError';
  }
}
