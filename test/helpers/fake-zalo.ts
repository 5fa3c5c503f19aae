/**
 * @module A fake Zalo Bot Platform API for tests (shared/zalo-bot-api.md, Part A): a real HTTP
 * server on 127.0.0.1 (random port) answering `GET|POST /bot<token>/<method>` with JSON, form or
 * query parameters and the `{ok, result}` / `{ok:false, error_code, description}` envelope.
 *
 *   const zalo = await startFakeZalo();             // zalo.apiRoot → ZALO_API_ROOT, zalo.token
 *   zalo.pushUpdate(zaloText('u1', 'xin chào'));    // served by getUpdates, one per call
 *   zalo.failNext('sendMessage', { status: 429 }, { status: 502, body: '<html>…' }, { drop: true });
 *   await zalo.waitFor(() => zalo.sent('u1').length > 0);
 *   await zalo.stop();                              // later calls: connection refused; restart() reopens
 *
 * Behaves as the real API was measured to: getUpdates returns ONE update object (not an array),
 * and after `timeout` seconds with none, `{ok:false, error_code:408, description:"Request
 * timeout"}` with HTTP 200 (`emptyPollStatus` to change); getUpdates while a webhook is set → 400;
 * getWebhookInfo and deleteWebhook → 404 when no webhook was ever set; setWebhook needs an https
 * url and an 8–256 character secret_token; sendMessage text must be 1–2000 characters. Every call
 * is recorded in `calls`, failed ones too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptBotCall, serveFake, waitFor, type BotApiCall, type RawFailure } from './fake-http.js';

export type FakeZaloCall = BotApiCall;

export type FakeZaloFailure =
  /** An `ok:false` envelope with this error_code, sent with HTTP `httpStatus` (default: the same code). */
  | { status: number; description?: string; httpStatus?: number }
  /** A raw body (e.g. a proxy's HTML page) or a dropped socket. */
  | RawFailure;

export interface FakeZaloSent {
  chat_id: string;
  text: string;
  [param: string]: unknown;
}

export interface FakeZalo {
  token: string;
  /** http://127.0.0.1:<port>, for ZALO_API_ROOT. */
  apiRoot: string;
  calls: FakeZaloCall[];
  /** Successful sendMessage parameters, optionally for one chat, in order. */
  sent(chatId?: string): FakeZaloSent[];
  failNext(method: string, ...failures: FakeZaloFailure[]): void;
  /** Queues an update (the flat `{event_name, message}` object) for getUpdates. */
  pushUpdate(update: Record<string, unknown>): void;
  webhook(): { url: string; secret_token: string } | undefined;
  /** HTTP status of the empty-poll 408 envelope: 200 (measured) or 408. */
  emptyPollStatus: number;
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export const FAKE_ZALO_TOKEN = '1459232241454765289:FakeZaloSecretForTests-abcxyz';

let nextId = 1;
/** A text event as Zalo sends it (flat form; wrap it in `{ok:true, result}` for the documented webhook form). */
export function zaloText(chatId: string, text: string, messageId = zaloMessageId()): Record<string, unknown> {
  return { event_name: 'message.text.received', message: { from: { id: chatId, display_name: 'Ted', is_bot: false }, chat: { id: chatId, chat_type: 'PRIVATE' }, text, message_id: messageId, date: Date.now() } };
}
export function zaloMessageId(): string {
  return (nextId++).toString(16).padStart(20, 'a');
}

export async function startFakeZalo(options: { token?: string } = {}): Promise<FakeZalo> {
  const token = options.token ?? FAKE_ZALO_TOKEN;
  const calls: FakeZaloCall[] = [];
  const failures = new Map<string, FakeZaloFailure[]>();
  const updates: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let webhook: { url: string; secret_token: string } | undefined;
  let webhookEverSet = false;
  let messageCounter = 0;

  function send(res: ServerResponse, status: number, body: unknown): number {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return status;
  }
  const ok = (res: ServerResponse, result: unknown) => send(res, 200, { ok: true, result });
  const fail = (res: ServerResponse, code: number, description: string, httpStatus = code) => send(res, httpStatus, { ok: false, error_code: code, description });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const accepted = await acceptBotCall(req, res, { token, calls, failures, refuse: (r, code, description) => fail(r, code, description) });
    if (!accepted) return;
    const { call, method, params, failure } = accepted;
    if (failure) {
      call.status = fail(res, failure.status, failure.description ?? (failure.status === 429 ? 'Too many requests' : 'Internal Server Error'), failure.httpStatus ?? failure.status);
      return;
    }
    call.status = await answer(method, params, req, res);
  }

  async function answer(method: string, params: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): Promise<number> {
    switch (method) {
      case 'getMe':
        return ok(res, { id: token.split(':')[0], account_name: 'bot.FakeDvc', account_type: 'BASIC', can_join_groups: false, display_name: 'Bot Trợ lý DVC' });
      case 'sendMessage': {
        const text = params.text === undefined ? '' : String(params.text);
        if (!params.chat_id) return fail(res, 400, 'Bad request: The chat_id must not be empty');
        if (text.length < 1 || text.length > 2000) return fail(res, 400, 'Bad request: The text must be between 1 and 2000 characters');
        return ok(res, { message_id: (++messageCounter).toString(16).padStart(20, '0'), date: Date.now() });
      }
      case 'sendChatAction':
        return send(res, 200, { ok: true });
      case 'setWebhook': {
        const secret = String(params.secret_token ?? '');
        if (!/^https:\/\//.test(String(params.url ?? ''))) return fail(res, 400, 'Bad request: The url must start with https://');
        if (secret.length < 8 || secret.length > 256) return fail(res, 400, 'Bad request: The secret_token must be between 8 and 256 characters');
        webhook = { url: String(params.url), secret_token: secret };
        webhookEverSet = true;
        return ok(res, { url: webhook.url, updated_at: Date.now() });
      }
      case 'deleteWebhook':
        if (!webhookEverSet) return fail(res, 404, 'Not Found');
        webhook = undefined;
        return ok(res, { url: '', updated_at: Date.now() });
      case 'getWebhookInfo':
        if (!webhookEverSet) return fail(res, 404, 'Not Found');
        return ok(res, { url: webhook?.url ?? '', updated_at: Date.now() });
      case 'getUpdates':
        return getUpdates(params, req, res);
      default:
        return fail(res, 404, 'Not Found');
    }
  }

  async function getUpdates(params: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): Promise<number> {
    if (webhook) return fail(res, 400, 'You cannot use this API while a webhook is set. Please remove the webhook first');
    const timeout = Number(params.timeout ?? 30);
    if (updates.length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeout * 1000);
        waiters.add(wake);
        req.socket.once('close', wake);
      });
      if (req.socket.destroyed) return 0;
    }
    const update = updates.shift();
    if (!update) return fail(res, 408, 'Request timeout', fake.emptyPollStatus);
    return ok(res, update);
  }

  const http = await serveFake(handle);
  const port = http.port;

  const fake: FakeZalo = {
    token,
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    emptyPollStatus: 200,
    sent(chatId) {
      return calls
        .filter((c) => c.method === 'sendMessage' && c.status === 200 && (chatId === undefined || String(c.params.chat_id) === chatId))
        .map((c) => ({ ...c.params, chat_id: String(c.params.chat_id), text: String(c.params.text) }));
    },
    failNext(method, ...list) {
      failures.set(method, [...(failures.get(method) ?? []), ...list]);
    },
    pushUpdate(update) {
      updates.push(update);
      for (const wake of [...waiters]) wake();
    },
    webhook: () => webhook,
    waitFor: (check, timeoutMs, what) => waitFor('fake-zalo', check, timeoutMs, what),
    async stop() {
      for (const wake of [...waiters]) wake();
      await http.stop();
    },
    async restart() {
      for (const wake of [...waiters]) wake();
      await http.restart();
    },
  };
  return fake;
}


