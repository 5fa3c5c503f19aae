/**
 * What a ward's IT person sees when Telegram cannot be reached at boot (network or DNS not up
 * yet): the server serves anyway, setWebhook is retried with backoff, /readyz says "telegram not
 * registered" until it succeeds, and the log names the failed call and, after repeated
 * failures, what to check. A refused token is not retried.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/http/create-logger.js';
import { startServer } from '../../../src/start-server.js';
import { startFakeTelegram } from '../../helpers/fake-telegram.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function start(env: Record<string, string>) {
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', destination: new Writable({ write: (c: Buffer, _e, done) => (logs.push(c.toString()), done()) }) });
  const server = await startServer(loadConfig({ HOST: '127.0.0.1', PUBLIC_URL: 'https://chatbot.phuong9.example', TELEGRAM_WEBHOOK_SECRET: 'setup-secret_1', ...env }), {
    logger,
    port: 0,
    processMetrics: false,
    channels: { retryDelayMs: 50 },
  });
  cleanups.push(() => server.close());
  const readyz = async () => {
    const res = await fetch(`${server.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; problems?: string[] } };
  };
  return { server, logs, readyz };
}

describe('Telegram setup at start', () => {
  it('retries setWebhook with backoff while Telegram is unreachable; /readyz says "telegram not registered" until it succeeds', async () => {
    const tg = await startFakeTelegram();
    cleanups.push(() => tg.stop());
    tg.failNext('setWebhook', { drop: true }, { status: 502, body: '<html>Bad Gateway</html>' }, { drop: true }, { status: 500 });
    const { server, logs, readyz } = await start({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot });
    // Started and serving the web chat while Telegram is not registered.
    expect(await readyz()).toEqual({ status: 503, body: { status: 'not_ready', problems: ['telegram not registered'] } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    await tg.waitFor(() => tg.webhook(), 10_000, 'the webhook after the retries');
    await server.channels.find((c) => c.name === 'telegram')!.ready();
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
    expect(tg.calls.filter((c) => c.method === 'setWebhook')).toHaveLength(5);
    const failures = logs.filter((l) => l.includes('telegram setWebhook failed'));
    expect(failures).toHaveLength(4);
    // Backoff doubles: 50, 100, 200, 400 ms here (1 s, 2 s, 4 s… capped at 5 minutes by default).
    expect(failures.map((l) => (JSON.parse(l) as { retryInMs: number }).retryInMs)).toEqual([50, 100, 200, 400]);
    expect(failures[0]).not.toContain('check the token');
    expect(failures[2]).toContain('(check the token or outbound access)');
    expect(logs.some((l) => l.includes('telegram webhook registered'))).toBe(true);
    // The menu and description are set once the webhook is.
    expect(tg.profile.commands?.length).toBeGreaterThan(3);
    for (const line of logs) expect(line).not.toContain(tg.token.split(':')[1]!);
  });

  it('does not retry a refused token, and says which variable to check', async () => {
    const tg = await startFakeTelegram();
    cleanups.push(() => tg.stop());
    const wrong = '999999:AAwrongTokenWrongTokenWrongToken_123';
    const { logs, readyz } = await start({ TELEGRAM_BOT_TOKEN: wrong, TELEGRAM_API_ROOT: tg.apiRoot });
    expect((await readyz()).body.problems).toEqual(['telegram not registered']);
    await new Promise((r) => setTimeout(r, 300));
    expect(tg.calls.filter((c) => c.method === 'setWebhook')).toHaveLength(1);
    expect(logs.join('\n')).toContain('check TELEGRAM_BOT_TOKEN');
    expect(logs.join('\n')).not.toContain('AAwrongTokenWrongTokenWrongToken_123');
  });
});
