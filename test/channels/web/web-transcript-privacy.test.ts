/**
 * Walk-through 2026-12, item 7: a citizen who types a CCCD or phone number in the web chat (in a
 * question, or as the call-back number of a report) must not find it kept in the transcript the
 * page reloads from: "no CCCD or phone numbers in stored transcripts" (DESIGN). Masked as the
 * staff console and the logs mask them, in what the citizen wrote and in what the bot quoted.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const NUMBERS = ['079123456789', '0912345678', '0912 345 678', '+84912345678'];

it.each(NUMBERS)('"%s" typed in the web chat is not kept in its transcript', async (number) => {
  t = await buildTestApp();
  const id = randomUUID();
  const send = (text: string) =>
    t!.app.inject({ method: 'POST', url: `/webchat/conversations/${id}/messages`, payload: { messageId: randomUUID(), kind: 'text', text } });
  expect((await send(`xin chào, số của em là ${number}`)).statusCode).toBe(200);
  expect((await send(`abc ${number} xyz`)).statusCode).toBe(200);
  const response = await t.app.inject({ url: `/webchat/conversations/${id}/transcript` });
  expect(response.statusCode).toBe(200);
  const body = response.body;
  expect(body).toContain('số của em là');
  expect(body).not.toContain(number);
  expect(body).not.toContain(number.replace(/\D/g, '').slice(-9));
});
