import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisClient, waitForRedis } from '../../../src/store/redis-connection.js';
import { createRedisSessionStore } from '../../../src/store/redis-session-store.js';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';
import { redisUrlForTests, uniquePrefix } from '../../helpers/redis.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

interface SseEvent {
  event: string;
  data: string;
}

/** Opens an SSE stream with fetch and reads it event by event. */
async function openEvents(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  cleanups.push(async () => controller.abort());
  return {
    response,
    /** The next `message` event, or 'end' when the server closed the stream. */
    async next(): Promise<SseEvent | 'end'> {
      for (;;) {
        const cut = buffer.indexOf('\n\n');
        if (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) return { event, data };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) return 'end';
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}

async function redisApp(prefix: string): Promise<TestApp> {
  const redis = createRedisClient({ REDIS_URL: redisUrlForTests() });
  await waitForRedis(redis);
  const store = createRedisSessionStore({ redis, prefix, sessionTtlSeconds: 600, dedupeTtlSeconds: 600 });
  const t = await buildTestApp({ store, redis: { client: redis, prefix } });
  cleanups.push(async () => {
    await t.close();
    await store.close();
    redis.disconnect();
  });
  return t;
}

describe('web chat SSE', () => {
  it('pushes messages sent outside a turn to the open stream, rendered safely, and keeps them in the transcript', async () => {
    const t = await buildTestApp();
    cleanups.push(() => t.close());
    const base = await t.listen();
    const id = randomUUID();
    const stream = await openEvents(`${base}/webchat/conversations/${id}/events`);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');

    await t.web.send(id, [{ text: '**Cán bộ Lan**: chào anh/chị <b>ạ</b>', choices: [{ id: 'cmd:menu', label: 'Menu' }] }]);
    const event = await stream.next();
    expect(event).not.toBe('end');
    const { entries } = JSON.parse((event as SseEvent).data) as { entries: Array<{ from: string; html: string; choices: unknown[] }> };
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ from: 'bot', html: '<p><strong>Cán bộ Lan</strong>: chào anh/chị &#60;b&#62;ạ&#60;/b&#62;</p>', choices: [{ id: 'cmd:menu', label: 'Menu' }] });

    const transcript = (await (await fetch(`${base}/webchat/conversations/${id}/transcript`)).json()) as { entries: Array<{ html?: string }> };
    expect(transcript.entries.map((e) => e.html)).toEqual([entries[0]?.html]);
  });

  it('ends open streams when the app closes, so shutdown does not hang', async () => {
    const t = await buildTestApp();
    const base = await t.listen();
    const stream = await openEvents(`${base}/webchat/conversations/${randomUUID()}/events`);
    await t.close();
    expect(await stream.next()).toBe('end');
  });

  it('with Redis: a message sent from one instance reaches the stream held by another, and the transcript is shared', async () => {
    const prefix = uniquePrefix('websse');
    const a = await redisApp(prefix);
    const b = await redisApp(prefix);
    const baseA = await a.listen();
    const id = randomUUID();

    const start = await b.app.inject({ method: 'POST', url: `/webchat/conversations/${id}/messages`, payload: { messageId: randomUUID(), kind: 'start' } });
    expect(start.statusCode).toBe(200);
    const fromA = (await a.app.inject({ url: `/webchat/conversations/${id}/transcript` })).json() as { entries: unknown[] };
    expect(fromA.entries.length).toBe((start.json() as { replies: unknown[] }).replies.length);

    const stream = await openEvents(`${baseA}/webchat/conversations/${id}/events`);
    const other = await openEvents(`${baseA}/webchat/conversations/${randomUUID()}/events`);
    await b.web.send(id, [{ text: 'Cán bộ đã nhận yêu cầu của anh/chị.' }]);
    const event = await stream.next();
    expect(event).not.toBe('end');
    expect((event as SseEvent).data).toContain('Cán bộ đã nhận yêu cầu');

    // The other conversation's stream got nothing: its next event is only the end at close.
    await a.close();
    expect(await other.next()).toBe('end');
  });
});
