/**
 * @module The server as production runs it, for the dashboard tests: startServer with Redis and
 * STAFF_SESSION_SECRET, Telegram on the local fake Bot API (secret webhook, real socket), the web
 * chat over HTTP, and a clock that moves only when the test moves it (so waits are exact). One
 * staff account (`lan`, role staff) and one manager (`minh`).
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/create-logger.js';
import { startServer, type RunningServer } from '../../src/start-server.js';
import { MONDAY_9AM } from '../helpers/desk.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';

export const STAFF_PASSWORD = 'mật-khẩu-cán-bộ-lan-1';
export const MANAGER_PASSWORD = 'mật-khẩu-lãnh-đạo-minh-1';
const TELEGRAM_SECRET = 'impact-server-secret_1';

export interface ImpactServer {
  server: RunningServer;
  url: string;
  tg: FakeTelegram;
  /** The server's clock (ms); it stands still unless the test moves it. */
  clock: { now: number };
  telegramSays(chatId: number, text: string): Promise<void>;
  /** A web chat message (kind text, or start with an optional payload); returns the replies' texts. */
  webSays(conversationId: string, message: { kind: 'start'; text?: string } | { kind: 'text'; text: string }): Promise<string[]>;
  close(): Promise<void>;
}

let nextUpdate = 1;

export async function startImpactServer(): Promise<ImpactServer> {
  const tg = await startFakeTelegram();
  const clock = { now: MONDAY_9AM };
  const config = loadConfig({
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://chatbot.phuong9.example',
    REDIS_URL: redisUrlForTests(),
    REDIS_KEY_PREFIX: uniquePrefix('impact'),
    STAFF_SESSION_SECRET: 'impact-server-session-secret-0123456789',
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
  });
  const logger = createLogger({ level: 'warn', destination: new Writable({ write: (_chunk: Buffer, _e, done) => done() }) });
  const server = await startServer(config, { logger, port: 0, processMetrics: false, channels: { retryDelayMs: 50 }, now: () => clock.now });
  await server.desk!.accounts.add('lan', STAFF_PASSWORD, 'Nguyễn Thị Lan');
  await server.desk!.accounts.add('minh', MANAGER_PASSWORD, 'Trần Văn Minh', 'manager');
  return {
    server,
    url: server.url,
    tg,
    clock,
    async telegramSays(chatId, text) {
      const id = nextUpdate++;
      const answer = await fetch(`${server.url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
        body: JSON.stringify({ update_id: id, message: { message_id: id, date: Math.floor(clock.now / 1000), chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'Tư' }, text } }),
      });
      if (answer.status !== 200) throw new Error(`telegram webhook: HTTP ${answer.status}`);
    },
    async webSays(conversationId, message) {
      const answer = await fetch(`${server.url}/webchat/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: randomUUID(), ...message }),
      });
      if (answer.status !== 200) throw new Error(`web chat: HTTP ${answer.status}`);
      const body = (await answer.json()) as { replies: Array<{ text?: string; html?: string }> };
      return body.replies.map((r) => r.text ?? r.html ?? '');
    },
    async close() {
      await server.close();
      await tg.stop();
    },
  };
}
