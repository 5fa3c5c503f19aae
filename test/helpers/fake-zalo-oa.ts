/**
 * @module A fake Zalo Official Account platform for tests (shared/zalo-bot-api.md, Part B): a real
 * HTTP server on 127.0.0.1 playing the Open API, the OAuth server and Zalo's webhook sender.
 *
 *   const oa = await startFakeZaloOa();               // oa.root → ZALO_OA_API_ROOT and ZALO_OA_OAUTH_ROOT
 *   const pair = oa.issueTokens();                     // as if an admin had authorised the app
 *   await oa.postEvent(`${url}/webhooks/zalo-oa`, oa.textEvent('u1', 'xin chào'));   // signed as Zalo signs
 *   await oa.waitFor(() => oa.sent('u1').length > 0);
 *   oa.expireAccessTokens();                           // every access token now answers -216
 *   oa.failNext('message/cs', { error: -216 }, { status: 502, body: '<html>' }, { drop: true }, { hang: true });
 *
 * What it checks, as Zalo does: `POST /v3.0/oa/message/cs` needs the `access_token` header of a
 * live token (else HTTP 200 `{error:-216}`), a recipient and a text of 1–2000 characters, and
 * answers `{error:0, message:"Success", data:{message_id, user_id}}`. `POST /v4/oa/access_token`
 * (form body, header `secret_key` = the app secret) refreshes a pair — the refresh token is single
 * use: a used one answers `{error:-14020}` — or exchanges a code from `GET /v4/oa/permission`
 * (which redirects like the admin's consent page) against its PKCE verifier. `expires_in` is a
 * string, as Zalo sends it. Error codes other than -216 and -14020 are the fake's own.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readParams, serveFake, waitFor, type RawFailure } from './fake-http.js';

export interface FakeOaCall {
  /** 'message/cs', 'access_token', 'permission'. */
  method: string;
  params: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  /** HTTP status answered (0 while hanging or when the connection was dropped). */
  status: number;
  /** Zalo's `error` in the answer. */
  error?: number;
}

export type FakeOaFailure =
  /** HTTP 200 with this `error` (and message). */
  | { error: number; message?: string }
  /** Never answers (until the fake stops): the client's timeout decides. */
  | { hang: true }
  /** Answers normally (to fail a later call of a series). */
  | { pass: true }
  | RawFailure;

export interface FakeZaloOa {
  /** http://127.0.0.1:<port>: both ZALO_OA_API_ROOT and ZALO_OA_OAUTH_ROOT. */
  root: string;
  appId: string;
  appSecret: string;
  oaId: string;
  /** The OA secret key events are signed with (ZALO_OA_SECRET_KEY). */
  secretKey: string;
  calls: FakeOaCall[];
  /** Delivered CS texts, optionally for one user, in order. */
  sent(userId?: string): Array<{ user_id: string; text: string }>;
  /** Refresh requests received (refused ones too). */
  refreshCalls(): FakeOaCall[];
  /** A live pair, as an authorisation would give. */
  issueTokens(): { accessToken: string; refreshToken: string };
  /** The ZALO_OA_* settings that point a server at this fake (with `tokens`, its token pair too). */
  env(tokens?: { accessToken: string; refreshToken: string }): Record<string, string>;
  /** Every access token issued so far now answers -216. */
  expireAccessTokens(): void;
  failNext(method: 'message/cs' | 'access_token', ...failures: FakeOaFailure[]): void;
  /** Delay before answering a refresh (to let two instances collide), ms. */
  refreshDelayMs: number;
  textEvent(userId: string, text: string, options?: { msgId?: string; timestamp?: number; oaId?: string }): Record<string, unknown>;
  event(name: string, fields: Record<string, unknown>, options?: { timestamp?: number }): Record<string, unknown>;
  /** Posts an event as Zalo's webhook sender does: raw JSON, `X-ZEvent-Signature: mac=…` (or a wrong/no signature). */
  postEvent(url: string, event: Record<string, unknown> | string, options?: { signature?: 'valid' | 'wrong' | 'none'; body?: string }): Promise<Response>;
  signature(rawBody: string, appId: string, timestamp: string): string;
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
  stop(): Promise<void>;
}

let nextMsg = 1;

export async function startFakeZaloOa(options: { appId?: string; oaId?: string } = {}): Promise<FakeZaloOa> {
  const appId = options.appId ?? '50554360515256678';
  const oaId = options.oaId ?? '1646843870823903717';
  const appSecret = `app-secret-${randomBytes(8).toString('hex')}`;
  const secretKey = `oa-secret-key-${randomBytes(8).toString('hex')}`;
  const calls: FakeOaCall[] = [];
  const failures = new Map<string, FakeOaFailure[]>();
  const liveAccess = new Set<string>();
  const liveRefresh = new Set<string>();
  const codes = new Map<string, string>();
  const hanging = new Set<ServerResponse>();
  let messageCounter = 0;

  const token = (kind: string) => `${kind}-${randomBytes(18).toString('base64url')}`;
  function pair(): { access_token: string; refresh_token: string; expires_in: string } {
    const access = token('AT');
    const refresh = token('RT');
    liveAccess.add(access);
    liveRefresh.add(refresh);
    return { access_token: access, refresh_token: refresh, expires_in: '90000' };
  }
  function json(res: ServerResponse, call: FakeOaCall, status: number, body: Record<string, unknown>): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    call.status = status;
    if (typeof body.error === 'number') call.error = body.error;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = url.pathname === '/v3.0/oa/message/cs' ? 'message/cs' : url.pathname === '/v4/oa/access_token' ? 'access_token' : url.pathname === '/v4/oa/permission' ? 'permission' : url.pathname;
    const params = { ...Object.fromEntries(url.searchParams), ...(req.method === 'POST' ? await readParams(req) : {}) };
    const call: FakeOaCall = { method, params, headers: req.headers, status: 0 };
    calls.push(call);
    const failure = failures.get(method)?.shift();
    if (failure && 'drop' in failure) {
      req.socket.destroy();
      return;
    }
    if (failure && 'hang' in failure) {
      hanging.add(res);
      return;
    }
    if (failure && 'body' in failure) {
      res.writeHead(failure.status, { 'content-type': 'text/html' }).end(failure.body);
      call.status = failure.status;
      return;
    }
    if (failure && 'error' in failure) return json(res, call, 200, { error: failure.error, message: failure.message ?? 'Fake failure' });
    // No failure, or `pass`: the normal answer.

    if (method === 'message/cs') return sendCs(req, res, call, params);
    if (method === 'access_token') return accessToken(req, res, call, params);
    if (method === 'permission') return permission(res, call, params);
    return json(res, call, 404, { error: 404, message: 'Not found' });
  }

  function sendCs(req: IncomingMessage, res: ServerResponse, call: FakeOaCall, params: Record<string, unknown>): void {
    const access = req.headers.access_token;
    if (typeof access !== 'string' || !liveAccess.has(access)) return json(res, call, 200, { error: -216, message: 'Access token is invalid' });
    const recipient = params.recipient as { user_id?: unknown } | undefined;
    const message = params.message as { text?: unknown } | undefined;
    if (!recipient || typeof recipient.user_id !== 'string' || !recipient.user_id) return json(res, call, 200, { error: -101, message: 'Invalid param: recipient' });
    const text = typeof message?.text === 'string' ? message.text : '';
    if (text.length < 1 || text.length > 2000) return json(res, call, 200, { error: -101, message: 'Invalid param: text length' });
    json(res, call, 200, { error: 0, message: 'Success', data: { message_id: (++messageCounter).toString(16).padStart(20, '0'), user_id: recipient.user_id } });
  }

  async function accessToken(req: IncomingMessage, res: ServerResponse, call: FakeOaCall, params: Record<string, unknown>): Promise<void> {
    if (req.headers.secret_key !== appSecret || params.app_id !== appId) return json(res, call, 200, { error: -14002, error_name: 'Invalid app', error_description: 'app_id or secret_key is wrong' });
    if (params.grant_type === 'refresh_token') {
      if (fake.refreshDelayMs > 0) await new Promise((r) => setTimeout(r, fake.refreshDelayMs));
      const refresh = String(params.refresh_token ?? '');
      if (!liveRefresh.delete(refresh)) return json(res, call, 200, { error: -14020, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid or expired' });
      // The strict reading: a refresh retires every access token issued before it.
      liveAccess.clear();
      return json(res, call, 200, pair());
    }
    if (params.grant_type === 'authorization_code') {
      const code = String(params.code ?? '');
      const challenge = codes.get(code);
      codes.delete(code);
      const verifier = String(params.code_verifier ?? '');
      if (!challenge || createHash('sha256').update(verifier).digest('base64url') !== challenge) {
        return json(res, call, 200, { error: -14019, error_name: 'Invalid code', error_description: 'Code or code verifier is invalid' });
      }
      return json(res, call, 200, pair());
    }
    return json(res, call, 200, { error: -14001, error_description: 'Unsupported grant_type' });
  }

  /** The admin's consent page, reduced to its outcome: a redirect to the app's callback with a code. */
  function permission(res: ServerResponse, call: FakeOaCall, params: Record<string, unknown>): void {
    const redirect = String(params.redirect_uri ?? '');
    const challenge = String(params.code_challenge ?? '');
    if (params.app_id !== appId || !/^https?:\/\//.test(redirect) || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return json(res, call, 400, { error: -14003, message: 'Invalid request' });
    const code = token('CODE');
    codes.set(code, challenge);
    const location = new URL(redirect);
    location.search = new URLSearchParams({ code, state: String(params.state ?? ''), oa_id: oaId }).toString();
    res.writeHead(302, { location: location.toString() }).end();
    call.status = 302;
  }

  function signature(rawBody: string, app: string, timestamp: string): string {
    return `mac=${createHash('sha256').update(`${app}${rawBody}${timestamp}${secretKey}`).digest('hex')}`;
  }

  const http = await serveFake(handle);
  const root = `http://127.0.0.1:${http.port}`;

  const fake: FakeZaloOa = {
    root,
    appId,
    appSecret,
    oaId,
    secretKey,
    calls,
    refreshDelayMs: 0,
    sent(userId) {
      return calls
        .filter((c) => c.method === 'message/cs' && c.status === 200 && c.error === 0)
        .map((c) => ({ user_id: String((c.params.recipient as { user_id: string }).user_id), text: String((c.params.message as { text: string }).text) }))
        .filter((m) => userId === undefined || m.user_id === userId);
    },
    refreshCalls: () => calls.filter((c) => c.method === 'access_token' && c.params.grant_type === 'refresh_token'),
    issueTokens() {
      const p = pair();
      return { accessToken: p.access_token, refreshToken: p.refresh_token };
    },
    env(tokens) {
      return {
        ZALO_OA_APP_ID: appId,
        ZALO_OA_ID: oaId,
        ZALO_OA_APP_SECRET: appSecret,
        ZALO_OA_SECRET_KEY: secretKey,
        ZALO_OA_API_ROOT: root,
        ZALO_OA_OAUTH_ROOT: root,
        ...(tokens ? { ZALO_OA_REFRESH_TOKEN: tokens.refreshToken, ZALO_OA_ACCESS_TOKEN: tokens.accessToken } : {}),
      };
    },
    expireAccessTokens() {
      liveAccess.clear();
    },
    failNext(method, ...list) {
      failures.set(method, [...(failures.get(method) ?? []), ...list]);
    },
    textEvent(userId, text, o = {}) {
      return {
        app_id: appId,
        user_id_by_app: `app-${userId}`,
        event_name: 'user_send_text',
        timestamp: String(o.timestamp ?? Date.now()),
        sender: { id: userId },
        recipient: { id: o.oaId ?? oaId },
        message: { text, msg_id: o.msgId ?? (nextMsg++).toString(16).padStart(20, 'e') },
      };
    },
    event(name, fields, o = {}) {
      return { app_id: appId, event_name: name, timestamp: String(o.timestamp ?? Date.now()), ...fields };
    },
    async postEvent(url, event, o = {}) {
      const raw = o.body ?? (typeof event === 'string' ? event : JSON.stringify(event));
      const parsed = typeof event === 'string' ? {} : event;
      const mac = signature(raw, String(parsed.app_id ?? appId), String(parsed.timestamp ?? ''));
      const header: Record<string, string> = o.signature === 'none' ? {} : { 'x-zevent-signature': o.signature === 'wrong' ? `mac=${'0'.repeat(64)}` : mac };
      return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...header }, body: raw });
    },
    signature,
    waitFor: (check, timeoutMs, what) => waitFor('fake-zalo-oa', check, timeoutMs, what),
    async stop() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      await http.stop();
    },
  };
  return fake;
}
