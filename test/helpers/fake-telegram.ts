/**
 * @module A fake Telegram Bot API for tests: a real HTTP server on 127.0.0.1 (random port) that
 * speaks the wire format: `POST|GET /bot<token>/<method>`, JSON, form or query parameters, the
 * `{ok, result}` / `{ok:false, error_code, description, parameters}` envelope.
 *
 *   const tg = await startFakeTelegram();           // tg.apiRoot → TELEGRAM_API_ROOT, tg.token
 *   tg.pushUpdate({ message: {...} });              // served by getUpdates (long polling)
 *   tg.failNext('sendMessage', { status: 429, retryAfter: 1 }, { status: 500 }, { drop: true });
 *   await tg.waitFor(() => tg.sent('42').length >= 1);
 *   await tg.stop();                                // later calls: connection refused; restart() reopens
 *
 * It checks what Telegram checks, so a rendering bug fails a test as it would fail in production:
 * sendMessage HTML must parse (known tags, balanced, `<` `>` `&` escaped), text ≤ 4096 characters
 * after entity parsing, callback_data ≤ 64 bytes, URL buttons http(s). Methods: getMe, sendMessage
 * (returns a Message), answerCallbackQuery, sendChatAction, setWebhook, deleteWebhook,
 * getWebhookInfo, getUpdates (offset/limit/timeout; 409 while a webhook is set), setMyCommands
 * (command a-z0-9_ ≤ 32, description 1–256), setMyDescription (≤ 512), setMyShortDescription (≤ 120). Every call is
 * recorded in `calls`, failed ones too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptBotCall, serveFake, waitFor, type BotApiCall, type RawFailure } from './fake-http.js';

export type FakeTelegramCall = BotApiCall;

/** A delivered sendMessage: its parameters, with reply_markup parsed. */
export interface FakeSentMessage {
  chat_id: unknown;
  text: string;
  parse_mode?: unknown;
  reply_markup?: { inline_keyboard?: Array<Array<{ text: string; callback_data?: string; url?: string }>> };
  [param: string]: unknown;
}

export type FakeFailure =
  /** An API error envelope with this HTTP status / error_code (429 adds parameters.retry_after). */
  | { status: number; description?: string; retryAfter?: number }
  /** A raw body (e.g. a proxy's HTML page) or a dropped socket. */
  | RawFailure;

export interface FakeTelegram {
  token: string;
  /** http://127.0.0.1:<port>, for grammY's `client.apiRoot` / TELEGRAM_API_ROOT. */
  apiRoot: string;
  calls: FakeTelegramCall[];
  /** Successful sendMessage parameters, optionally for one chat, in order. */
  sent(chatId?: string | number): FakeSentMessage[];
  /** The next calls of `method` fail like this, in order; later calls succeed again. */
  failNext(method: string, ...failures: FakeFailure[]): void;
  /** Every later call without a queued failure asks `decide` (e.g. seeded random faults); undefined clears it. */
  failWhen(decide: ((method: string, params: Record<string, unknown>) => FakeFailure | undefined) | undefined): void;
  /** Queues an update for getUpdates; `update_id` is assigned when missing. Returns the update. */
  pushUpdate(update: Record<string, unknown>): Record<string, unknown> & { update_id: number };
  /** The registered webhook, if any. */
  webhook(): { url: string; secret_token?: string } | undefined;
  /** The command menu and descriptions set with setMyCommands / setMyDescription / setMyShortDescription. */
  profile: { commands?: Array<{ command: string; description: string }>; description?: string; shortDescription?: string };
  /** Polls `check` until it returns something truthy (default 10 s), else rejects with `what`. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
  /** Stops listening and drops open connections. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

export const FAKE_TELEGRAM_TOKEN = '123456789:AAFakeTelegramTokenForTests_x1y2z3';

/** What the fake answers to getMe; also the `botInfo` tests give a channel so it need not ask. */
export const FAKE_BOT_INFO = {
  id: 123456789, is_bot: true, first_name: 'Trợ lý DVC', username: 'tro_ly_dvc_test_bot',
  can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false,
  can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false,
} as const;
const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'span', 'blockquote', 'tg-emoji']);

export async function startFakeTelegram(options: { token?: string } = {}): Promise<FakeTelegram> {
  const token = options.token ?? FAKE_TELEGRAM_TOKEN;
  const calls: FakeTelegramCall[] = [];
  const failures = new Map<string, FakeFailure[]>();
  const updates: Array<Record<string, unknown> & { update_id: number }> = [];
  const waiters = new Set<() => void>();
  let nextUpdateId = 1000;
  let failWhen: ((method: string, params: Record<string, unknown>) => FakeFailure | undefined) | undefined;
  let nextMessageId = 1;
  let webhook: { url: string; secret_token?: string } | undefined;
  const profile: FakeTelegram['profile'] = {};

  function envelope(res: ServerResponse, status: number, body: unknown): number {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return status;
  }
  function ok(res: ServerResponse, result: unknown): number {
    return envelope(res, 200, { ok: true, result });
  }
  function apiError(res: ServerResponse, code: number, description: string, parameters?: object): number {
    return envelope(res, code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const accepted = await acceptBotCall(req, res, { token, calls, failures, refuse: apiError, failWhen: (method, params) => failWhen?.(method, params) });
    if (!accepted) return;
    const { call, method, params, failure } = accepted;
    if (failure) {
      const description = failure.description ?? defaultDescription(failure.status, failure.retryAfter);
      call.status = apiError(res, failure.status, description, failure.retryAfter !== undefined ? { retry_after: failure.retryAfter } : undefined);
      return;
    }
    call.status = await answer(method, params, req, res);
  }

  async function answer(method: string, params: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): Promise<number> {
    switch (method) {
      case 'getMe':
        return ok(res, FAKE_BOT_INFO);
      case 'sendMessage': {
        const problem = checkSendMessage(params);
        if (problem) return apiError(res, 400, `Bad Request: ${problem}`);
        const markup = parseMaybeJson(params.reply_markup);
        return ok(res, {
          message_id: nextMessageId++,
          from: { id: FAKE_BOT_INFO.id, is_bot: true, first_name: FAKE_BOT_INFO.first_name, username: FAKE_BOT_INFO.username },
          chat: { id: Number(params.chat_id), type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text: params.parse_mode === 'HTML' ? visibleText(String(params.text)) : String(params.text),
          ...(markup ? { reply_markup: markup } : {}),
        });
      }
      case 'answerCallbackQuery':
        if (!params.callback_query_id) return apiError(res, 400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        return ok(res, true);
      case 'sendChatAction':
      case 'editMessageReplyMarkup':
        return ok(res, true);
      case 'setWebhook': {
        const secret = params.secret_token === undefined ? undefined : String(params.secret_token);
        if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) return apiError(res, 400, 'Bad Request: secret token contains unallowed characters');
        if (!/^https:\/\//.test(String(params.url ?? ''))) return apiError(res, 400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        webhook = { url: String(params.url), ...(secret !== undefined ? { secret_token: secret } : {}) };
        return ok(res, true);
      }
      case 'deleteWebhook':
        webhook = undefined;
        return ok(res, true);
      case 'getWebhookInfo':
        return ok(res, { url: webhook?.url ?? '', has_custom_certificate: false, pending_update_count: updates.length });
      case 'getUpdates':
        return getUpdates(params, req, res);
      case 'setMyCommands': {
        const commands = parseMaybeJson(params.commands);
        if (!Array.isArray(commands) || commands.length > 100) return apiError(res, 400, 'Bad Request: commands must be an array of at most 100');
        for (const c of commands as Array<{ command?: unknown; description?: unknown }>) {
          if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) return apiError(res, 400, 'Bad Request: BOT_COMMAND_INVALID');
          if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) return apiError(res, 400, 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
        }
        profile.commands = commands as Array<{ command: string; description: string }>;
        return ok(res, true);
      }
      case 'setMyDescription':
      case 'setMyShortDescription': {
        const field = method === 'setMyDescription' ? 'description' : 'short_description';
        const value = String(params[field] ?? '');
        if (value.length > (method === 'setMyDescription' ? 512 : 120)) return apiError(res, 400, `Bad Request: ${field} is too long`);
        profile[field === 'description' ? 'description' : 'shortDescription'] = value;
        return ok(res, true);
      }
      default:
        return apiError(res, 404, 'Not Found');
    }
  }

  async function getUpdates(params: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): Promise<number> {
    if (webhook) return apiError(res, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Number(params.limit ?? 100));
    const timeout = Number(params.timeout ?? 0);
    // An offset confirms every update before it.
    while (updates.length > 0 && updates[0]!.update_id < offset) updates.shift();
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
    return ok(res, updates.filter((u) => u.update_id >= offset).slice(0, limit));
  }

  const http = await serveFake(handle);
  const port = http.port;

  const fake: FakeTelegram = {
    token,
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    sent(chatId) {
      return calls
        .filter((c) => c.method === 'sendMessage' && c.status === 200 && (chatId === undefined || String(c.params.chat_id) === String(chatId)))
        .map((c) => ({ ...c.params, chat_id: c.params.chat_id, reply_markup: parseMaybeJson(c.params.reply_markup) as FakeSentMessage['reply_markup'], text: String(c.params.text) }));
    },
    failNext(method, ...list) {
      failures.set(method, [...(failures.get(method) ?? []), ...list]);
    },
    failWhen(decide) {
      failWhen = decide;
    },
    pushUpdate(update) {
      const full = { ...update, update_id: typeof update.update_id === 'number' ? update.update_id : nextUpdateId++ };
      updates.push(full);
      for (const wake of [...waiters]) wake();
      return full;
    },
    webhook: () => webhook,
    profile,
    waitFor: (check, timeoutMs, what) => waitFor('fake-telegram', check, timeoutMs, what),
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



function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function defaultDescription(status: number, retryAfter?: number): string {
  if (status === 429) return `Too Many Requests: retry after ${retryAfter ?? 1}`;
  if (status === 403) return 'Forbidden: bot was blocked by the user';
  if (status === 400) return 'Bad Request';
  return 'Internal Server Error';
}

function checkSendMessage(params: Record<string, unknown>): string | undefined {
  if (params.chat_id === undefined || params.chat_id === '') return 'chat not found';
  const text = params.text === undefined ? '' : String(params.text);
  let visible = text;
  if (params.parse_mode === 'HTML') {
    const problem = checkHtml(text);
    if (problem) return `can't parse entities: ${problem}`;
    visible = visibleText(text);
  }
  if (visible.trim().length === 0) return 'message text is empty';
  if (visible.length > 4096) return 'message is too long';
  const markup = parseMaybeJson(params.reply_markup) as { inline_keyboard?: Array<Array<Record<string, unknown>>> } | undefined;
  for (const row of markup?.inline_keyboard ?? []) {
    for (const button of row) {
      if (typeof button.text !== 'string' || button.text.length === 0) return 'text buttons are unallowed in the inline keyboard';
      if ('callback_data' in button && Buffer.byteLength(String(button.callback_data), 'utf8') > 64) return 'BUTTON_DATA_INVALID';
      if ('url' in button && !/^https?:\/\/\S+$/.test(String(button.url))) return 'BUTTON_URL_INVALID';
    }
  }
  return undefined;
}

/** Telegram's HTML rules: known tags, properly nested; `<`, `>`, `&` only as tags or entities. */
function checkHtml(html: string): string | undefined {
  const stack: string[] = [];
  const re = /<(\/?)([a-z-]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*>|&(?:lt|gt|amp|quot|#\d+|#x[0-9a-f]+);|[<>&]/gi;
  for (const m of html.matchAll(re)) {
    const token = m[0];
    if (token === '<' || token === '>' || token === '&') return `unexpected "${token}" at byte offset ${m.index}`;
    if (token.startsWith('&')) continue;
    const name = m[2]!.toLowerCase();
    if (!TAGS.has(name)) return `unsupported start tag "${name}" at byte offset ${m.index}`;
    if (m[1]) {
      if (stack.pop() !== name) return `unmatched end tag at byte offset ${m.index}, expected "</${stack.at(-1) ?? ''}>"`;
    } else stack.push(name);
  }
  if (stack.length > 0) return `can't find end tag corresponding to start tag "${stack.at(-1)}"`;
  return undefined;
}

function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}
