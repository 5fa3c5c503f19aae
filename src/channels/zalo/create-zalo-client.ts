/**
 * @module The project's own thin, typed client for the Zalo Bot Platform (no maintained SDK
 * exists; facts in shared/zalo-bot-api.md, Part A): every call is `POST <apiRoot>/bot<token>/<method>`
 * with a JSON body, and the `{ok, result, error_code, description}` envelope is read whatever the
 * HTTP status (Zalo sends some errors with 200). The token lives only in the URL: requests are
 * never logged, and every error message has it removed, URL-encoded forms included.
 */
import { redactSecrets } from '../../conversation/redact.js';
import { ZaloApiError, ZaloHttpError } from './zalo-errors.js';
import type { ZaloBotInfo, ZaloEnvelope, ZaloSentMessage, ZaloUpdate, ZaloWebhookInfo } from './zalo-types.js';

export interface ZaloClientOptions {
  token: string;
  /** ZALO_API_ROOT, e.g. https://bot-api.zaloplatforms.com (a trailing slash is ignored). */
  apiRoot: string;
  fetch?: typeof globalThis.fetch;
  /** Client-side timeout of a call other than getUpdates (default 30 s). */
  timeoutMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ZaloClient {
  call<T>(method: string, params?: Record<string, unknown>, options?: CallOptions): Promise<T>;
  getMe(options?: CallOptions): Promise<ZaloBotInfo>;
  /**
   * Long poll: waits up to `timeout` seconds for one update. The empty-poll 408 and an empty
   * result both give `[]`; an array result (not documented, but some clients saw it) is accepted.
   */
  getUpdates(params: { timeout: number }, options?: CallOptions): Promise<ZaloUpdate[]>;
  /** `secret_token`: 8–256 characters; Zalo sends it back in X-Bot-Api-Secret-Token. */
  setWebhook(params: { url: string; secret_token: string }, options?: CallOptions): Promise<ZaloWebhookInfo>;
  /** Succeeds also when no webhook was ever set (Zalo answers 404/400 then). */
  deleteWebhook(options?: CallOptions): Promise<void>;
  /** `url` is empty when no webhook is set (Zalo answers 404 then). */
  getWebhookInfo(options?: CallOptions): Promise<ZaloWebhookInfo>;
  /** `text`: 1–2000 characters. */
  sendMessage(params: { chat_id: string; text: string; parse_mode?: 'markdown' | 'html' }, options?: CallOptions): Promise<ZaloSentMessage>;
  sendChatAction(params: { chat_id: string; action: 'typing' }, options?: CallOptions): Promise<void>;
}

/** Extra client-side time beyond the long-poll window, so Zalo's own 408 arrives before our abort. */
const POLL_GRACE_MS = 15_000;

export function createZaloClient(options: ZaloClientOptions): ZaloClient {
  const { token } = options;
  const apiRoot = options.apiRoot.replace(/\/+$/, '');
  const fetchFn = options.fetch ?? globalThis.fetch;
  const defaultTimeout = options.timeoutMs ?? 30_000;
  const safe = (text: string) => redactSecrets(text, [token]);

  async function call<T>(method: string, params: Record<string, unknown> = {}, callOptions: CallOptions = {}): Promise<T> {
    const timeout = AbortSignal.timeout(callOptions.timeoutMs ?? defaultTimeout);
    const signal = callOptions.signal ? AbortSignal.any([callOptions.signal, timeout]) : timeout;
    let response: Response;
    let body: string;
    try {
      response = await fetchFn(`${apiRoot}/bot${token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        signal,
      });
      body = await response.text();
    } catch (error) {
      if (callOptions.signal?.aborted) throw error;
      const reason = timeout.aborted ? 'timed out' : describeCause(error);
      throw new ZaloHttpError(method, safe(`Zalo ${method}: network request failed (${reason})`), undefined, undefined, { cause: timeout.aborted ? new DOMException('timed out', 'TimeoutError') : error });
    }
    let envelope: ZaloEnvelope<T>;
    try {
      envelope = JSON.parse(body) as ZaloEnvelope<T>;
      if (typeof envelope !== 'object' || envelope === null || typeof envelope.ok !== 'boolean') throw new Error('not an envelope');
    } catch {
      const snippet = safe(body.replace(/\s+/g, ' ').trim()).slice(0, 200);
      throw new ZaloHttpError(method, `Zalo ${method}: HTTP ${response.status} with a body that is not a Zalo response`, response.status, snippet);
    }
    if (!envelope.ok) {
      throw new ZaloApiError(method, envelope.error_code ?? response.status, safe(envelope.description ?? `HTTP ${response.status}`), response.status);
    }
    return envelope.result as T;
  }

  return {
    call,
    getMe: (o) => call<ZaloBotInfo>('getMe', {}, o),
    async getUpdates(params, o = {}) {
      try {
        const result = await call<ZaloUpdate | ZaloUpdate[] | null>('getUpdates', { timeout: String(params.timeout) }, {
          ...o,
          timeoutMs: o.timeoutMs ?? params.timeout * 1000 + POLL_GRACE_MS,
        });
        const list = Array.isArray(result) ? result : result ? [result] : [];
        return list.filter((u) => typeof u === 'object' && u !== null && typeof u.event_name === 'string');
      } catch (error) {
        // The long-poll window ended with no update: normal, not an error.
        if (error instanceof ZaloApiError && error.errorCode === 408) return [];
        throw error;
      }
    },
    setWebhook: (params, o) => call<ZaloWebhookInfo>('setWebhook', params, o),
    async deleteWebhook(o) {
      try {
        await call('deleteWebhook', {}, o);
      } catch (error) {
        if (error instanceof ZaloApiError && (error.errorCode === 404 || error.errorCode === 400)) return;
        throw error;
      }
    },
    async getWebhookInfo(o) {
      try {
        const info = await call<ZaloWebhookInfo | null>('getWebhookInfo', {}, o);
        return { ...info, url: info?.url ?? '' };
      } catch (error) {
        if (error instanceof ZaloApiError && error.errorCode === 404) return { url: '' };
        throw error;
      }
    },
    sendMessage: (params, o) => call<ZaloSentMessage>('sendMessage', params, o),
    async sendChatAction(params, o) {
      await call('sendChatAction', params, o);
    },
  };
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (typeof cause === 'object' && cause !== null) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (code !== undefined) return String(code);
    if (typeof message === 'string') return message.slice(0, 200);
  }
  return error.message.slice(0, 200);
}
