/**
 * "Xóa dữ liệu" leaves nothing of the citizen in Redis under our prefix: session, dedupe marks,
 * tickets, reports, the Zalo OA reply-window record, the web transcript and the web chat's
 * bounds. The whole server (startServer: Redis, the staff desk, Zalo OA on its local fake, the
 * web chat); every key and every value under the prefix is read afterwards.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/create-logger.js';
import { startServer, type RunningServer } from '../../src/start-server.js';
import { createRedisClient, waitForRedis } from '../../src/store/redis-connection.js';
import { MONDAY_9AM } from '../helpers/desk.js';
import { startFakeZaloOa, type FakeZaloOa } from '../helpers/fake-zalo-oa.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';

let server: RunningServer;
let oa: FakeZaloOa;
let redis: Redis;
const prefix = uniquePrefix('eraseall');
const startedAt = Date.now();
const now = () => MONDAY_9AM + (Date.now() - startedAt);

beforeAll(async () => {
  oa = await startFakeZaloOa();
  const tokens = oa.issueTokens();
  const config = loadConfig({
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://chatbot.phuong9.example',
    REDIS_URL: redisUrlForTests(),
    REDIS_KEY_PREFIX: prefix,
    STAFF_SESSION_SECRET: 'erase-all-session-secret-0123456789',
    ...oa.env(tokens),
  });
  server = await startServer(config, { logger: createLogger({ level: 'silent' }), port: 0, processMetrics: false, channels: { retryDelayMs: 50 }, now });
  redis = createRedisClient({ REDIS_URL: redisUrlForTests() }) as Redis;
  await waitForRedis(redis);
});

afterAll(async () => {
  await server?.close();
  await oa?.stop();
  redis?.disconnect();
});

/** Every key under the prefix with its value as text (strings, lists, sets, sorted sets, hashes). */
async function everything(): Promise<Array<{ key: string; value: string }>> {
  const out: Array<{ key: string; value: string }> = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string' ? ((await redis.getBuffer(key))?.toString('latin1') ?? '')
        : type === 'list' ? (await redis.lrange(key, '0', '-1')).join('\n')
        : type === 'set' ? (await redis.smembers(key)).join('\n')
        : type === 'zset' ? (await redis.zrange(key, '0', '-1')).join('\n')
        : type === 'hash' ? JSON.stringify(await redis.hgetall(key))
        : `(${type})`;
      out.push({ key, value });
    }
  } while (cursor !== '0');
  return out;
}

const mentioning = (entries: Array<{ key: string; value: string }>, id: string) => entries.filter((e) => e.key.includes(id) || e.value.includes(id)).map((e) => e.key);

describe('erase leaves nothing of the citizen under our prefix', () => {
  it('Zalo OA: session, ticket, report and the reply-window record are gone', async () => {
    const user = '6610185758261990001';
    const says = async (text: string) => {
      const before = oa.sent(user).length;
      const response = await oa.postEvent(`${server.url}/webhooks/zalo-oa`, oa.textEvent(user, text, { timestamp: now() }));
      expect(response.status).toBe(200);
      await oa.waitFor(() => oa.sent(user).length > before);
      await Promise.all(server.channels.map((c) => c.idle()));
    };
    for (const text of ['xin chào', 'gặp cán bộ', 'menu', 'phản ánh', 'Cây đổ chắn đường ở hẻm 3', 'không']) await says(text);
    const before = mentioning(await everything(), user);
    expect(before.some((k) => k.includes(':user:'))).toBe(true);
    expect(before.some((k) => k.includes(`{zoa:${user}}`))).toBe(true);

    await says('xóa dữ liệu');
    await says('có');
    expect(oa.sent(user).at(-1)?.text).toContain('Đã xóa');
    expect(mentioning(await everything(), user)).toEqual([]);
  });

  it('web chat: session, transcript and the conversation bounds are gone', async () => {
    const id = randomUUID();
    const post = async (body: Record<string, unknown>) => {
      const response = await fetch(`${server.url}/webchat/conversations/${id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId: randomUUID(), ...body }) });
      expect(response.status).toBe(200);
      return (await response.json()) as { erased: boolean; replies: Array<{ choices: Array<{ id: string; label: string }> }> };
    };
    await post({ kind: 'start' });
    await post({ kind: 'text', text: 'đăng ký kết hôn' });
    expect(mentioning(await everything(), id).length).toBeGreaterThan(2);
    const ask = await post({ kind: 'text', text: 'xóa dữ liệu' });
    const yes = ask.replies.at(-1)?.choices.find((c) => c.id === 'yes');
    expect((await post({ kind: 'choice', choiceId: 'yes', label: yes?.label })).erased).toBe(true);
    expect(mentioning(await everything(), id)).toEqual([]);
  });
});
