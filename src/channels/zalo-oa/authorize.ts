/**
 * @module First authorisation of the OA without copying tokens by hand (OAuth v4 with PKCE):
 * `npm run cli -- zalo-oa authorize` makes a verifier and a state, keeps them for 15 minutes
 * (Redis when configured, else a file beside the token file, so the server can read them), and
 * prints the permission URL an OA admin opens:
 *   <ZALO_OA_OAUTH_ROOT>/v4/oa/permission?app_id=…&redirect_uri=<PUBLIC_URL>/zalo-oa/callback&code_challenge=…&state=…
 * (`code_challenge` = base64url(SHA-256(verifier)), no padding). Zalo redirects the admin to
 * GET /zalo-oa/callback?code=…&state=…; the server takes the state (once), exchanges the code
 * with the verifier and stores the token pair. The page tells the admin what happened; the code,
 * verifier and tokens are never logged.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { loadConfig, type Config } from '../../config.js';
import type { Logger } from '../../conversation/logger.js';
import { INLINE_STYLE_PAGE } from '../security-headers.js';
import { createRedisClient, maskRedisSecrets, waitForRedis } from '../../store/redis-connection.js';
import { createRedisChannelState, type ChannelState } from '../channel-state.js';
import type { ZaloOaClient } from './create-zalo-oa-client.js';
import type { OaTokens } from './zalo-oa-tokens.js';

export const CALLBACK_PATH = '/zalo-oa/callback';
const PENDING_MS = 15 * 60_000;

export interface PendingAuthorizations {
  save(state: string, verifier: string): Promise<void>;
  /** The verifier of `state`, removed so it is used once; undefined when unknown or expired. */
  take(state: string): Promise<string | undefined>;
}

export function defaultTokenFile(config: Pick<Config, 'ZALO_OA_TOKEN_FILE'>): string {
  return config.ZALO_OA_TOKEN_FILE ?? '.zalo-oa-tokens.json';
}

/** Shared through Redis (`state` shared), else through a file the CLI and the server both read. */
export function createPendingAuthorizations(options: { state?: ChannelState; file: string; appId: string; now?: () => number }): PendingAuthorizations {
  const now = options.now ?? Date.now;
  const { state } = options;
  if (state?.shared) {
    const key = (s: string) => `zalo-oa:${options.appId}:authorize:${s}`;
    return {
      save: (s, verifier) => state.set(key(s), verifier, PENDING_MS),
      async take(s) {
        const verifier = await state.get(key(s));
        if (verifier === undefined || !(await state.deleteIfEquals(key(s), verifier))) return undefined;
        return verifier;
      },
    };
  }
  const file = `${options.file}.authorize.json`;
  type Pending = Record<string, { verifier: string; until: number }>;
  const read = async (): Promise<Pending> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Pending;
    } catch {
      return {};
    }
  };
  const write = async (pending: Pending): Promise<void> => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(pending), { mode: 0o600 });
    await rename(temporary, file);
  };
  const live = (pending: Pending) => Object.fromEntries(Object.entries(pending).filter(([, p]) => p.until > now()));
  return {
    async save(s, verifier) {
      await write({ ...live(await read()), [s]: { verifier, until: now() + PENDING_MS } });
    },
    async take(s) {
      const pending = live(await read());
      const entry = pending[s];
      if (!entry) return undefined;
      delete pending[s];
      await write(pending);
      return entry.verifier;
    },
  };
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** A fresh PKCE pair and state, and the permission URL for them. */
export function createAuthorization(config: Pick<Config, 'ZALO_OA_OAUTH_ROOT' | 'ZALO_OA_APP_ID' | 'PUBLIC_URL'>): { url: string; state: string; verifier: string } {
  if (!config.ZALO_OA_APP_ID || !config.PUBLIC_URL) throw new Error('ZALO_OA_APP_ID and PUBLIC_URL must be set');
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const root = (config.ZALO_OA_OAUTH_ROOT ?? 'https://oauth.zaloapp.com').replace(/\/+$/, '');
  const query = new URLSearchParams({ app_id: config.ZALO_OA_APP_ID, redirect_uri: redirectUri(config.PUBLIC_URL), code_challenge: challenge, state });
  return { url: `${root}/v4/oa/permission?${query.toString()}`, state, verifier };
}

export function redirectUri(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${CALLBACK_PATH}`;
}

function page(status: 'ok' | 'error', lines: string[]): string {
  const escape = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="robots" content="noindex"><title>Zalo OA</title><body style="font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;line-height:1.5"><h1>${status === 'ok' ? '✅' : '⚠️'} Zalo Official Account</h1>${lines.map((l) => `<p>${escape(l)}</p>`).join('')}</body></html>`;
}

export function callbackRoutes(options: { oaId: string; pending: PendingAuthorizations; client: ZaloOaClient; tokens: OaTokens; log: Logger; timeoutMs: number }): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: Record<string, string | undefined> }>(CALLBACK_PATH, { helmet: INLINE_STYLE_PAGE }, async (request, reply) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const { code, state, oa_id: oaId } = request.query;
      if (typeof code !== 'string' || !code || typeof state !== 'string' || !state) {
        return reply.code(400).send(page('error', ['Thiếu mã cấp quyền. Hãy mở lại liên kết do lệnh "npm run cli -- zalo-oa authorize" in ra.', 'The authorisation code is missing: open the link printed by "npm run cli -- zalo-oa authorize" again.']));
      }
      if (oaId !== undefined && oaId !== options.oaId) {
        const id = /^\d{1,30}$/.test(oaId) ? oaId : '?';
        return reply.code(400).send(page('error', [`Official Account vừa cấp quyền (mã ${id}) không phải OA được cấu hình trong ZALO_OA_ID (${options.oaId}). Nếu đúng là OA của phường, sửa ZALO_OA_ID, khởi động lại và chạy lại lệnh.`, `The Official Account that granted access (id ${id}) is not the one in ZALO_OA_ID (${options.oaId}).`]));
      }
      const verifier = await options.pending.take(state);
      if (!verifier) {
        return reply.code(400).send(page('error', ['Liên kết cấp quyền đã hết hạn hoặc đã được dùng. Hãy chạy lại "npm run cli -- zalo-oa authorize".', 'This authorisation link expired or was already used: run "npm run cli -- zalo-oa authorize" again.']));
      }
      try {
        const pair = await options.client.exchangeCode({ code, codeVerifier: verifier, timeoutMs: options.timeoutMs });
        await options.tokens.saveAuthorized(pair);
      } catch (error) {
        const code = (error as { errorCode?: unknown }).errorCode;
        options.log.error({ channel: 'zalo-oa', code }, 'zalo-oa authorisation code exchange failed');
        return reply.code(502).send(page('error', [`Zalo từ chối đổi mã cấp quyền${code !== undefined ? ` (mã lỗi ${String(code)})` : ''}. Hãy kiểm tra ZALO_OA_APP_ID, ZALO_OA_APP_SECRET và Callback URL trong trang quản lý ứng dụng, rồi chạy lại lệnh.`, 'Zalo refused the code exchange: check the app id, the app secret and the callback URL, then run the command again.']));
      }
      return reply.code(200).send(page('ok', ['Đã kết nối Official Account. Trợ lý sẽ trả lời tin nhắn của người dân qua OA này. Có thể đóng trang.', 'The Official Account is connected. You may close this page.']));
    });
  };
}

/** `npm run cli -- zalo-oa authorize`: prints the permission URL (stdout) and what to do (stderr). */
export async function runAuthorizeCommand(_args: string[], io: { output: NodeJS.WritableStream; errors: NodeJS.WritableStream }, env: Record<string, string | undefined>): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    io.errors.write(`${(error as Error).message}\n`);
    return 1;
  }
  if (!config.ZALO_OA_APP_ID || !config.PUBLIC_URL) {
    io.errors.write('Set ZALO_OA_APP_ID (and ZALO_OA_ID, ZALO_OA_APP_SECRET, ZALO_OA_SECRET_KEY) and PUBLIC_URL first: the permission page sends the admin back to <PUBLIC_URL>/zalo-oa/callback.\n');
    // Missing configuration, as docs/contracts.md says of every CLI command.
    return 2;
  }
  const redis = config.REDIS_URL || config.REDIS_CLUSTER_NODES || config.REDIS_SENTINELS ? createRedisClient(config) : undefined;
  try {
    if (redis) await waitForRedis(redis, 5000);
    const pending = createPendingAuthorizations({ ...(redis ? { state: createRedisChannelState({ redis, prefix: config.REDIS_KEY_PREFIX }) } : {}), file: defaultTokenFile(config), appId: config.ZALO_OA_APP_ID });
    const authorization = createAuthorization(config);
    await pending.save(authorization.state, authorization.verifier);
    io.errors.write(
      [
        'Mở liên kết dưới đây bằng tài khoản Zalo quản trị Official Account, chọn OA của phường và bấm "Cho phép".',
        `Zalo sẽ chuyển về ${redirectUri(config.PUBLIC_URL)} (đã khai báo là Official Account Callback URL); máy chủ lưu token và trang báo "Đã kết nối".`,
        'Liên kết dùng được một lần, trong 15 phút. Máy chủ (npm start) phải đang chạy với cùng cấu hình.',
        'Open the link below as an admin of the Official Account, pick the OA and allow; it is valid once, for 15 minutes.',
        '',
      ].join('\n'),
    );
    io.output.write(`${authorization.url}\n`);
    return 0;
  } catch (error) {
    io.errors.write(`Could not prepare the authorisation: ${maskRedisSecrets((error as Error).message)}\n`);
    return 1;
  } finally {
    redis?.disconnect();
  }
}
