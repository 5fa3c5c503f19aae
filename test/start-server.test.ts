import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createStaffAccounts } from '../src/handoff/staff-accounts.js';
import { createRedisClient } from '../src/store/redis-connection.js';
import { createRedisStaffStore } from '../src/store/redis-staff-store.js';
import { staffClient } from './handoff/staff-client.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/http/create-logger.js';
import { startServer, type RunningServer } from '../src/start-server.js';
import { startFakeTelegram } from './helpers/fake-telegram.js';
import { startFakeZalo, zaloText } from './helpers/fake-zalo.js';
import { redisUrlForTests, uniquePrefix } from './helpers/redis.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const silent = createLogger({ level: 'silent' });

describe('startServer (what npm start runs)', () => {
  it('with tokens and PUBLIC_URL: registers both webhooks, answers Telegram and Zalo webhooks on Redis, and closes cleanly', async () => {
    const tg = await startFakeTelegram();
    const zalo = await startFakeZalo();
    cleanups.push(() => tg.stop(), () => zalo.stop());
    const config = loadConfig({
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://bot.phuong9.example',
      REDIS_URL: redisUrlForTests(),
      REDIS_KEY_PREFIX: uniquePrefix('start'),
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: 'tg-secret-123',
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.apiRoot,
      ZALO_WEBHOOK_SECRET: 'zalo-secret-123',
    });
    let server: RunningServer | undefined = await startServer(config, { logger: silent, port: 0, processMetrics: false });
    cleanups.push(async () => server?.close());
    expect(server.channels.map((c) => c.name)).toEqual(['web', 'telegram', 'zalo']);
    expect(tg.webhook()).toMatchObject({ url: 'https://bot.phuong9.example/webhooks/telegram', secret_token: 'tg-secret-123' });
    expect(zalo.webhook()).toMatchObject({ url: 'https://bot.phuong9.example/webhooks/zalo', secret_token: 'zalo-secret-123' });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    const update = { update_id: 501, message: { message_id: 1, date: 0, chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'Lan' }, text: '/start' } };
    const tgAnswer = await fetch(`${server.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret-123' },
      body: JSON.stringify(update),
    });
    expect(tgAnswer.status).toBe(200);
    await tg.waitFor(() => tg.sent('4242').length >= 1);
    expect(tg.sent('4242')[0]?.text).toContain('Xin chào');

    const zaloAnswer = await fetch(`${server.url}/webhooks/zalo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': 'zalo-secret-123' },
      body: JSON.stringify(zaloText('zu1', 'đăng ký kết hôn')),
    });
    expect(zaloAnswer.status).toBe(200);
    await zalo.waitFor(() => zalo.sent('zu1').length >= 1);
    expect(zalo.sent('zu1').map((m) => m.text).join('\n')).toContain('Đăng ký kết hôn');

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^dvc_turns_total\{channel="telegram",status="ok"\} 1$/m);
    expect(metrics).toMatch(/^dvc_turns_total\{channel="zalo",status="ok"\} 1$/m);

    await server.close();
    const url = server.url;
    server = undefined;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('with Redis and STAFF_SESSION_SECRET: a web citizen asks for a person, staff log in, claim and reply, the reply reaches the web chat', async () => {
    const prefix = uniquePrefix('staff');
    const config = loadConfig({ HOST: '127.0.0.1', REDIS_URL: redisUrlForTests(), REDIS_KEY_PREFIX: prefix, STAFF_SESSION_SECRET: 'a-very-long-staff-secret-0123' });
    const server = await startServer(config, { logger: silent, port: 0, processMetrics: false });
    cleanups.push(() => server.close());
    const redis = createRedisClient({ REDIS_URL: redisUrlForTests() });
    cleanups.push(async () => redis.disconnect());
    await createStaffAccounts({ store: createRedisStaffStore({ redis, prefix }) }).add('lan', 'mat-khau-rat-dai', 'Nguyễn Thị Lan');

    const page = await fetch(`${server.url}/staff`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');

    const citizen = randomUUID();
    const send = (body: Record<string, unknown>) =>
      fetch(`${server.url}/webchat/conversations/${citizen}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId: randomUUID(), ...body }) });
    expect((await send({ kind: 'start' })).status).toBe(200);
    expect((await send({ kind: 'text', text: 'gặp cán bộ' })).status).toBe(200);

    const staff = await staffClient(server.url);
    expect((await staff.login('lan', 'mat-khau-rat-dai')).status).toBe(200);
    const { tickets } = (await staff.get('/staff/api/tickets')).json as { tickets: { id: string; channel: string }[] };
    expect(tickets).toHaveLength(1);
    expect(tickets[0]?.channel).toBe('web');
    expect((await staff.post(`/staff/api/tickets/${tickets[0]?.id}/claim`)).status).toBe(200);
    expect((await staff.post(`/staff/api/tickets/${tickets[0]?.id}/reply`, { text: 'Chào anh/chị, tôi là Lan ạ.' })).status).toBe(200);
    const transcript = await (await fetch(`${server.url}/webchat/conversations/${citizen}/transcript`)).text();
    expect(transcript).toContain('tôi là Lan');
  });

  it('without a desk (npm start: memory, no console), /staff says how to turn it on, and the citizen is told the truth', async () => {
    const server = await startServer(loadConfig({ HOST: '127.0.0.1' }), { logger: silent, port: 0, processMetrics: false });
    cleanups.push(() => server.close());
    expect(server.desk).toBeUndefined();
    const answer = await fetch(`${server.url}/staff`);
    expect(answer.status).toBe(503);
    const page = await answer.text();
    expect(page).toContain('STAFF_SESSION_SECRET');
    expect(page).toContain('npm run demo');
    expect(page).toContain('Bàn làm việc cán bộ');

    const citizen = randomUUID();
    const send = async (text: string) => {
      const response = await fetch(`${server.url}/webchat/conversations/${citizen}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId: randomUUID(), kind: 'text', text }) });
      return JSON.stringify(await response.json());
    };
    const person = await send('gặp cán bộ');
    expect(person).toContain('088 8801 247');
    expect(person).not.toContain('đã chuyển');
    expect(person).not.toContain('hàng chờ');
    await send('menu');
    const report = await send('phản ánh');
    expect(report).toContain('088 8801 247');
    expect(report).not.toContain('mô tả ngắn gọn');
  });

  it('with REDIS_URL but no STAFF_SESSION_SECRET there is no desk either: no ticket is promised', async () => {
    const server = await startServer(loadConfig({ HOST: '127.0.0.1', REDIS_URL: redisUrlForTests(), REDIS_KEY_PREFIX: uniquePrefix('nodesk') }), { logger: silent, port: 0, processMetrics: false });
    cleanups.push(() => server.close());
    expect(server.desk).toBeUndefined();
    const response = await fetch(`${server.url}/webchat/conversations/${randomUUID()}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId: randomUUID(), kind: 'text', text: 'gặp cán bộ' }) });
    expect(JSON.stringify(await response.json())).not.toContain('đã chuyển');
  });
});
