/**
 * Open event streams are capped per client address (IPv6 by /64) and per conversation, so one
 * client cannot take the slots other citizens need to get staff replies. Real sockets; clients
 * at other addresses come through a trusted proxy's X-Forwarded-For.
 */
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function app(env: Record<string, string> = {}): Promise<{ t: TestApp; base: string }> {
  const t = await buildTestApp({ trustProxy: true, env, webRateLimitPerMinute: 1000 });
  cleanups.push(() => t.close());
  return { t, base: await t.listen() };
}

/**
 * A full garbage collection, as a loaded machine does at any moment. Fetch closes the connection
 * of a response that is collected with its body unread, so a test that drops its responses sees
 * its streams end early (the cap test once got 200 instead of 503 under load).
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Opens a stream from `address`; the status, the error body when refused, and how to close it. */
async function open(base: string, conversationId: string, address: string): Promise<{ status: number; body?: { error: { code: string; message: string } }; close: () => void }> {
  const controller = new AbortController();
  const response = await fetch(`${base}/webchat/conversations/${conversationId}/events`, { signal: controller.signal, headers: { accept: 'text/event-stream', 'x-forwarded-for': address } });
  // The cleanup holds the response: a collected unread response closes its stream.
  cleanups.push(async () => {
    controller.abort();
    await response.body?.cancel().catch(() => undefined);
  });
  if (response.status !== 200) return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } }, close: () => controller.abort() };
  return { status: 200, close: () => controller.abort() };
}

describe('web chat event stream limits', () => {
  for (const [family, first, sameGroup, other] of [
    ['IPv4', '203.0.113.7', '203.0.113.7', '203.0.113.8'],
    ['IPv6', '2001:db8:1:2::5', '2001:db8:1:2:ffff::9', '2001:db8:1:3::5'],
  ] as const) {
    it(`one ${family} client holds at most WEB_STREAMS_PER_ADDRESS open streams (IPv6 counted by /64); others still get theirs`, async () => {
      const { base } = await app({ WEB_STREAMS_PER_ADDRESS: '20' });
      const held = [];
      for (let i = 0; i < 20; i++) held.push(await open(base, randomUUID(), i % 2 ? first : sameGroup));
      expect(held.map((h) => h.status)).toEqual(Array(20).fill(200));
      collectGarbage();
      await new Promise((r) => setTimeout(r, 100));

      const refused = await open(base, randomUUID(), sameGroup);
      expect(refused.status).toBe(429);
      expect(refused.body?.error.code).toBe('too_many_streams');
      expect(refused.body?.error.message).toContain('quá nhiều cửa sổ');
      expect((await open(base, randomUUID(), other)).status).toBe(200);

      // A closed stream frees its slot (the server sees the close a moment later).
      held[0]!.close();
      let again = await open(base, randomUUID(), first);
      for (let tries = 0; again.status !== 200 && tries < 100; tries++) {
        await new Promise((r) => setTimeout(r, 20));
        again = await open(base, randomUUID(), first);
      }
      expect(again.status).toBe(200);
    });
  }

  it('one conversation holds at most WEB_STREAMS_PER_CONVERSATION streams, from any address', async () => {
    const { base } = await app({ WEB_STREAMS_PER_CONVERSATION: '5' });
    const id = randomUUID();
    for (let i = 0; i < 5; i++) expect((await open(base, id, `198.51.100.${i + 1}`)).status).toBe(200);
    collectGarbage();
    await new Promise((r) => setTimeout(r, 100));
    const refused = await open(base, id, '198.51.100.99');
    expect(refused.status).toBe(429);
    expect(refused.body?.error.code).toBe('too_many_streams');
    expect((await open(base, randomUUID(), '198.51.100.99')).status).toBe(200);
  });

  it('the process-wide cap answers 503 to everyone once reached', async () => {
    const { base } = await app({ WEB_STREAMS_TOTAL: '3' });
    for (let i = 0; i < 3; i++) expect((await open(base, randomUUID(), `192.0.2.${i + 1}`)).status).toBe(200);
    collectGarbage();
    await new Promise((r) => setTimeout(r, 100));
    const refused = await open(base, randomUUID(), '192.0.2.50');
    expect(refused.status).toBe(503);
    expect(refused.body?.error.code).toBe('unavailable');
  });
});
