/**
 * @module The project's thin client for the Zalo Official Account Open API v3 and OAuth v4
 * (shared/zalo-bot-api.md, Part B; no maintained SDK on the registry): customer-service text
 * messages (`POST /v3.0/oa/message/cs`, header `access_token`), and the token endpoint
 * (`POST /v4/oa/access_token`, form body, header `secret_key` = the app's secret) for the
 * authorisation code exchange (with the PKCE verifier) and refreshes. Success is HTTP 200 **and**
 * `error == 0`; a token response is `{access_token, refresh_token, expires_in}` with `expires_in`
 * possibly a string. Every call has a timeout.
 */
import { redactSecrets } from '../../conversation/redact.js';
import { ZaloOaApiError, ZaloOaHttpError } from './zalo-oa-errors.js';

export interface ZaloOaClientOptions {
  /** ZALO_OA_API_ROOT, e.g. https://openapi.zalo.me. */
  apiRoot: string;
  /** ZALO_OA_OAUTH_ROOT, e.g. https://oauth.zaloapp.com. */
  oauthRoot: string;
  appId: string;
  /** The app's secret key (OAuth header `secret_key`), not the OA secret key used for webhooks. */
  appSecret: string;
  fetch?: typeof globalThis.fetch;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
}

export interface ZaloOaClient {
  /** Sends one customer-service text; resolves with Zalo's message id. */
  sendText(params: { accessToken: string; userId: string; text: string; timeoutMs: number }): Promise<string>;
  refresh(refreshToken: string, timeoutMs: number): Promise<TokenPair>;
  exchangeCode(params: { code: string; codeVerifier: string; timeoutMs: number }): Promise<TokenPair>;
}

export function createZaloOaClient(options: ZaloOaClientOptions): ZaloOaClient {
  const apiRoot = options.apiRoot.replace(/\/+$/, '');
  const oauthRoot = options.oauthRoot.replace(/\/+$/, '');
  const fetchFn = options.fetch ?? globalThis.fetch;

  async function request(method: string, url: string, init: RequestInit, timeoutMs: number, secrets: string[]): Promise<Record<string, unknown>> {
    const safe = (text: string) => redactSecrets(text, secrets);
    let response: Response;
    let text: string;
    try {
      response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (error) {
      throw new ZaloOaHttpError(method, `Zalo OA ${method}: network request failed (${reasonOf(error)})`, undefined, { cause: error });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (response.status === 401) throw new ZaloOaApiError(method, -216, 'HTTP 401', 401);
      throw new ZaloOaHttpError(method, `Zalo OA ${method}: HTTP ${response.status} with a body that is not JSON`, response.status);
    }
    if (typeof body !== 'object' || body === null) throw new ZaloOaHttpError(method, `Zalo OA ${method}: HTTP ${response.status} with an unexpected body`, response.status);
    const record = body as Record<string, unknown>;
    const error = Number(record.error ?? 0);
    if (error !== 0 && Number.isFinite(error)) {
      const description = String(record.message ?? record.error_description ?? record.error_name ?? 'error').slice(0, 200);
      throw new ZaloOaApiError(method, error, safe(description), response.status);
    }
    if (!response.ok) {
      throw new ZaloOaApiError(method, response.status === 401 ? -216 : response.status, `HTTP ${response.status}`, response.status);
    }
    return record;
  }

  function tokenPair(method: string, body: Record<string, unknown>): TokenPair {
    const accessToken = body.access_token;
    const refreshToken = body.refresh_token;
    const expiresIn = Number(body.expires_in);
    if (typeof accessToken !== 'string' || !accessToken || typeof refreshToken !== 'string' || !refreshToken) {
      throw new ZaloOaHttpError(method, `Zalo OA ${method}: the answer holds no token pair`, 200);
    }
    return { accessToken, refreshToken, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600 };
  }

  async function tokenCall(method: string, form: Record<string, string>, timeoutMs: number, secrets: string[]): Promise<TokenPair> {
    const body = await request(
      method,
      `${oauthRoot}/v4/oa/access_token`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: options.appSecret }, body: new URLSearchParams({ ...form, app_id: options.appId }).toString() },
      timeoutMs,
      [...secrets, options.appSecret],
    );
    return tokenPair(method, body);
  }

  return {
    async sendText({ accessToken, userId, text, timeoutMs }) {
      const body = await request(
        'message/cs',
        `${apiRoot}/v3.0/oa/message/cs`,
        { method: 'POST', headers: { 'content-type': 'application/json', access_token: accessToken }, body: JSON.stringify({ recipient: { user_id: userId }, message: { text } }) },
        timeoutMs,
        [accessToken],
      );
      const data = body.data as { message_id?: unknown } | undefined;
      return String(data?.message_id ?? '');
    },
    refresh: (refreshToken, timeoutMs) => tokenCall('refresh', { refresh_token: refreshToken, grant_type: 'refresh_token' }, timeoutMs, [refreshToken]),
    exchangeCode: ({ code, codeVerifier, timeoutMs }) => tokenCall('exchange', { code, grant_type: 'authorization_code', code_verifier: codeVerifier }, timeoutMs, [code, codeVerifier]),
  };
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 100);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error.name;
}
