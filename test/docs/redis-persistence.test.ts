/**
 * docs/operations.md's Redis settings keep what the server stores across a Redis restart: a Redis
 * started with exactly the ```conf block of "Redis that survives its own restart" is restarted
 * under a running server, and the web conversation (its session and transcript) and the staff
 * ticket it opened are still there afterwards, and the conversation goes on.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/create-logger.js';
import { startServer, type RunningServer } from '../../src/start-server.js';
import { createRedisClient, waitForRedis } from '../../src/store/redis-connection.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis.js';

const doc = readFileSync('docs/operations.md', 'utf8');
const conf = /## Redis that survives its own restart\n[\s\S]*?```conf\n([\s\S]*?)```/.exec(doc)?.[1];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function untilReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if ((await fetch(`${url}/readyz`)).status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server never became ready again');
}

describe('docs/operations.md: Redis persistence', () => {
  it('gives settings that persist every write and never evict', () => {
    expect(conf).toBeDefined();
    expect(conf).toMatch(/^appendonly yes$/m);
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
  });

  it('keeps a web conversation and its staff ticket across a Redis restart', { timeout: 60_000 }, async () => {
    const redis: RedisServerHandle = await startRedisServer({ config: conf ?? '' });
    cleanups.push(() => redis.stop());
    const config = loadConfig({ HOST: '127.0.0.1', REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'dvc:', STAFF_SESSION_SECRET: 'persistence-test-secret-0123456789' });
    const server: RunningServer = await startServer(config, { logger: createLogger({ level: 'silent' }), port: 0, processMetrics: false });
    cleanups.push(() => server.close());

    const check = createRedisClient({ REDIS_URL: redis.url });
    cleanups.push(async () => check.disconnect());
    await waitForRedis(check);

    const citizen = randomUUID();
    const send = async (body: Record<string, unknown>) => {
      const answer = await fetch(`${server.url}/webchat/conversations/${citizen}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId: randomUUID(), ...body }) });
      expect(answer.status).toBe(200);
      return (await answer.json()) as { status: string; replies: Array<{ html: string }> };
    };
    await send({ kind: 'start' });
    expect((await send({ kind: 'text', text: 'gặp cán bộ' })).status).toBe('ok');
    const before = await server.desk!.desk.list();
    expect(before).toHaveLength(1);
    const session = await server.store.peek(`web:${citizen}`);
    expect(session).not.toBeNull();

    await redis.restart();
    await untilReady(server.url);

    expect((await server.desk!.desk.list()).map((t) => t.id)).toEqual(before.map((t) => t.id));
    expect(await server.store.peek(`web:${citizen}`)).toEqual(session);
    const transcript = (await (await fetch(`${server.url}/webchat/conversations/${citizen}/transcript`)).json()) as { entries: Array<{ from: string; text?: string }> };
    expect(transcript.entries.filter((e) => e.from === 'citizen').map((e) => e.text)).toContain('gặp cán bộ');
    // The conversation goes on where it was: the citizen is still in the queue, not greeted anew.
    const next = await send({ kind: 'text', text: 'gặp cán bộ' });
    expect(next.status).toBe('ok');
    expect(next.replies.map((r) => r.html).join('\n')).not.toContain('Xin chào');
    expect(await server.desk!.desk.list()).toHaveLength(1);
    await waitForRedis(check); // this client reconnects on its own schedule
    expect(await check.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await check.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
  });
});
