/**
 * @module Staff see the replies the delivery outbox gave up on: GET /staff/api/undelivered (logged
 * in only) lists them, newest first, with the channel, the conversation, the reason and the
 * undelivered texts, as the console's "Chưa gửi được" tab shows them.
 */
import { afterEach, expect, it } from 'vitest';
import { staffClient } from './staff-client.js';
import { startDeskServer, STAFF_PASSWORD, type DeskServer } from './desk-server-kit.js';

let s: DeskServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

it('lists a reply the citizen blocked the bot for, to logged-in staff only', async () => {
  s = await startDeskServer();
  const anonymous = await staffClient(s.url);
  expect((await anonymous.get('/staff/api/undelivered')).status).toBe(401);

  s.tg.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
  await s.telegramSays(4242, '/start');
  await s.server.deliveries.idle();
  expect(s.tg.sent(4242)).toEqual([]);

  const staff = await staffClient(s.url);
  expect((await staff.login('lan', STAFF_PASSWORD)).status).toBe(200);
  const answer = await staff.get('/staff/api/undelivered');
  expect(answer.status).toBe(200);
  const list = answer.json.undelivered as Array<Record<string, unknown>>;
  expect(list).toEqual([expect.objectContaining({ key: 'tg:4242', channel: 'telegram', conversationId: '4242', reason: 'blocked' })]);
  const texts = list[0]!.texts as string[];
  expect(texts.length).toBeGreaterThan(0);
  expect(texts.every((t) => t.length <= 200)).toBe(true);
}, 60_000);
