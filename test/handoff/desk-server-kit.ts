/**
 * @module The staff desk as production runs it, for tests: startServer with Redis and
 * STAFF_SESSION_SECRET, the Zalo OA channel on the local fake OA and Telegram on the local fake
 * Bot API (both signed or secret webhooks, real sockets), a settable server clock, and one staff
 * account. Citizens write through the webhooks exactly as the platforms post.
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/create-logger.js';
import { startServer, type RunningServer } from '../../src/start-server.js';
import { MONDAY_9AM } from '../helpers/desk.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { startFakeZaloOa, type FakeZaloOa } from '../helpers/fake-zalo-oa.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';

export const STAFF_PASSWORD = 'mật-khẩu-cán-bộ-zalo-1';
const TELEGRAM_SECRET = 'desk-server-secret_1';
const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface DeskServer {
  server: RunningServer;
  url: string;
  oa: FakeZaloOa;
  tg: FakeTelegram;
  /** The server's clock: it runs from Monday 1 June 2026, 9:00 (office hours) at the real pace, plus `clock.offset` ms. */
  clock: { offset: number };
  /** The server's log lines (JSON). */
  logs: string[];
  /** A citizen writes to the ward's OA (a signed `user_send_text`, stamped with the server's clock). */
  zaloSays(userId: string, text: string): Promise<void>;
  /** Zalo reports that the citizen received / saw the OA's messages. */
  zaloReports(userId: string, event: 'user_received_message' | 'user_seen_message'): Promise<void>;
  /** The citizen unfollows the OA. */
  zaloUnfollows(userId: string): Promise<void>;
  /** A citizen writes to the Telegram bot (the webhook, with its secret). */
  telegramSays(chatId: number, text: string): Promise<void>;
  close(): Promise<void>;
}

let nextUpdate = 1;
let nextMessage = 1;

export async function startDeskServer(): Promise<DeskServer> {
  const oa = await startFakeZaloOa();
  const tg = await startFakeTelegram();
  const tokens = oa.issueTokens();
  const clock = { offset: 0 };
  const startedAt = Date.now();
  const now = () => MONDAY_9AM + (Date.now() - startedAt) + clock.offset;
  const config = loadConfig({
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://chatbot.phuong9.example',
    REDIS_URL: redisUrlForTests(),
    REDIS_KEY_PREFIX: uniquePrefix('deskserver'),
    STAFF_SESSION_SECRET: 'desk-server-session-secret-0123456789',
    ...oa.env(tokens),
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', destination: new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) }) });
  const server = await startServer(config, { logger, port: 0, processMetrics: false, channels: { retryDelayMs: 50 }, now });
  await server.desk!.accounts.add('lan', STAFF_PASSWORD, 'Nguyễn Thị Lan');
  const post = async (response: Promise<Response>, what: string) => {
    const answer = await response;
    if (answer.status !== 200) throw new Error(`${what}: HTTP ${answer.status}`);
  };
  return {
    server,
    url: server.url,
    oa,
    tg,
    clock,
    logs,
    zaloSays: (userId, text) => post(oa.postEvent(`${server.url}/webhooks/zalo-oa`, oa.textEvent(userId, text, { timestamp: now() })), 'zalo-oa webhook'),
    zaloReports: (userId, event) =>
      post(
        oa.postEvent(
          `${server.url}/webhooks/zalo-oa`,
          oa.event(event, { sender: { id: oa.oaId }, recipient: { id: userId }, message: { msg_ids: [(nextMessage++).toString(16).padStart(20, 'a')] } }, { timestamp: now() }),
        ),
        event,
      ),
    zaloUnfollows: (userId) => post(oa.postEvent(`${server.url}/webhooks/zalo-oa`, oa.event('unfollow', { oa_id: oa.oaId, follower: { id: userId }, source: 'oa_profile' }, { timestamp: now() })), 'unfollow'),
    async telegramSays(chatId, text) {
      const id = nextUpdate++;
      await post(
        fetch(`${server.url}/webhooks/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
          body: JSON.stringify({ update_id: id, message: { message_id: id, date: Math.floor(now() / 1000), chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'Tư' }, text } }),
        }),
        'telegram webhook',
      );
    },
    async close() {
      await server.close();
      await oa.stop();
      await tg.stop();
    },
  };
}
