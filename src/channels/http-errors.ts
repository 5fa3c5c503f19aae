/**
 * @module Every error the HTTP API answers with, in one place: a stable `code` (what clients and
 * tests match on), its status, and a short Vietnamese message a page may show as is. The error
 * handler turns fastify's own errors (body too large, bad JSON, schema validation, rate limit)
 * into these, so every error body has the same shape: `{ "error": { "code", "message" } }`.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from '../conversation/logger.js';
import { maskPersonalNumbers } from '../conversation/redact.js';

export const HTTP_ERRORS = {
  invalid_json: { status: 400, message: 'Dữ liệu gửi lên không đúng định dạng JSON.' },
  invalid_request: { status: 400, message: 'Yêu cầu không hợp lệ.' },
  empty_message: { status: 400, message: 'Tin nhắn trống.' },
  not_found: { status: 404, message: 'Không tìm thấy địa chỉ này.' },
  body_too_large: { status: 413, message: 'Dữ liệu gửi lên quá lớn.' },
  message_too_long: { status: 413, message: 'Tin nhắn quá dài (tối đa 2000 ký tự).' },
  unsupported_media_type: { status: 415, message: 'Định dạng dữ liệu không được hỗ trợ.' },
  rate_limited: { status: 429, message: 'Anh/chị gửi nhanh quá, vui lòng đợi một chút rồi thử lại ạ.' },
  too_many_streams: { status: 429, message: 'Anh/chị đang mở quá nhiều cửa sổ trò chuyện cùng lúc. Vui lòng đóng bớt rồi tải lại trang ạ.' },
  too_many_conversations: { status: 429, message: 'Hệ thống đang nhận quá nhiều cuộc trò chuyện mới. Anh/chị vui lòng thử lại sau hoặc gọi đường dây nóng của phường ạ.' },
  internal: { status: 500, message: 'Hệ thống đang gặp sự cố, vui lòng thử lại sau ít phút ạ.' },
  unavailable: { status: 503, message: 'Hệ thống tạm thời chưa sẵn sàng.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** Thrown by route handlers; the error handler answers with its code's status and message. */
export class HttpError extends Error {
  readonly statusCode: number;
  constructor(readonly code: HttpErrorCode) {
    super(HTTP_ERRORS[code].message);
    this.name = 'HttpError';
    this.statusCode = HTTP_ERRORS[code].status;
  }
}

/** JSON schema of an error body, for routes' `response` sections. */
export const errorBodySchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

export function errorBody(code: HttpErrorCode): { error: { code: HttpErrorCode; message: string } } {
  return { error: { code, message: HTTP_ERRORS[code].message } };
}

/** Maps any thrown error to one of ours. Unknown errors are 500 'internal' and logged. */
export function classifyError(error: FastifyError | HttpError | Error): HttpErrorCode {
  if (error instanceof HttpError) return error.code;
  const e = error as FastifyError;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return 'body_too_large';
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) return 'unsupported_media_type';
  if (e.statusCode === 429) return 'rate_limited';
  if (e.validation) return 'invalid_request';
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'invalid_json';
  if (e.statusCode === 400 && (error instanceof SyntaxError || /JSON/i.test(e.message))) return 'invalid_json';
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) return 'invalid_request';
  return 'internal';
}

export function installErrorHandlers(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const code = classifyError(error);
    if (code === 'internal') {
      // Our errors never quote citizen data by design; mask personal numbers anyway in case one does.
      const frames = (error.stack ?? '').split('\n').slice(1, 8).join('\n');
      log.error(
        { err: { type: error.name, code: error.code, message: maskPersonalNumbers(error.message), stack: frames }, route: request.routeOptions.url },
        'request failed',
      );
    }
    // A 429 from the rate limiter carries Retry-After already; keep its headers.
    void reply.status(HTTP_ERRORS[code].status).type('application/json; charset=utf-8').send(errorBody(code));
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.status(404).type('application/json; charset=utf-8').send(errorBody('not_found'));
  });
}
