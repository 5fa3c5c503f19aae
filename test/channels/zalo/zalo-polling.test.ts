import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningChannel } from '../../../src/channels/open-channel.js';
import { zaloChannel } from '../../../src/channels/zalo/zalo-channel.js';
import { openTestChannel } from '../../helpers/channels.js';
import { startFakeZalo, zaloText, type FakeZalo } from '../../helpers/fake-zalo.js';
import { buildConversation, captureLogger, type CapturedLog } from '../telegram/conversation-kit.js';

let zalo: FakeZalo;
let channel: RunningChannel;
let captured: CapturedLog;

async function makeChannel(token = zalo.token): Promise<RunningChannel> {
  const { channel: opened } = await openTestChannel(zaloChannel, { env: { ZALO_BOT_TOKEN: token, ZALO_API_ROOT: zalo.apiRoot }, conversation: buildConversation(captured.log).conversation, log: captured.log });
  return opened;
}

beforeEach(async () => {
  zalo = await startFakeZalo();
  captured = captureLogger();
  channel = await makeChannel();
});
afterEach(async () => {
  await channel.stop();
  await zalo.stop();
  for (const line of captured.lines) expect(line).not.toContain(zalo.token.split(':')[1]!);
});

describe('Zalo long polling', () => {
  it('removes a leftover webhook, then answers polled messages in order, empty polls included', async () => {
    await fetch(`${zalo.apiRoot}/bot${zalo.token}/setWebhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://old.example.org/hook', secret_token: 'old-secret-1' }) });
    await channel.start();
    // At least one empty poll (the 408 over HTTP 200) before the first message.
    await zalo.waitFor(() => zalo.calls.filter((c) => c.method === 'getUpdates' && c.status === 200).length >= 1, 10_000, 'an empty poll');
    expect(zalo.webhook()).toBeUndefined();
    zalo.pushUpdate(zaloText('p1', '/start'));
    zalo.pushUpdate(zaloText('p1', 'dk ks cho be'));
    const sent = await zalo.waitFor(() => (zalo.sent('p1').length >= 2 ? zalo.sent('p1') : undefined), 10_000, 'replies');
    expect(sent[0]!.text).toContain('Xin chào');
    await zalo.waitFor(() => zalo.sent('p1').some((m) => /khai sinh/i.test(m.text) && !m.text.includes('Xin chào')), 10_000, 'the finder answer');
    expect(captured.find('getUpdates failed')).toEqual([]);
  });

  it('answers a replayed update once', async () => {
    await channel.start();
    const update = zaloText('p2', '/start');
    zalo.pushUpdate(update);
    zalo.pushUpdate(update);
    zalo.pushUpdate(zaloText('p2', 'giúp'));
    await zalo.waitFor(() => zalo.calls.filter((c) => c.method === 'getUpdates' && c.status === 200).length >= 4, 10_000, 'the polls');
    await channel.stop();
    expect(zalo.sent('p2').filter((m) => m.text.includes('Xin chào')).length).toBe(1);
  });

  it('backs off and keeps polling through network failures, 5xx and non-JSON bodies', async () => {
    zalo.failNext('getUpdates', { drop: true }, { status: 500 }, { status: 502, body: '<html>Bad Gateway</html>' });
    await channel.start();
    await zalo.waitFor(() => captured.find('getUpdates failed').length === 3, 10_000, 'three logged failures');
    zalo.pushUpdate(zaloText('p3', '/start'));
    await zalo.waitFor(() => zalo.sent('p3').length > 0, 10_000, 'a reply after the failures');
  });

  it('stops polling on a refused token, and says why', async () => {
    const wrong = await makeChannel('42:not-the-right-token-value');
    await wrong.start();
    await zalo.waitFor(() => captured.find('rejected the bot token').length > 0, 10_000, 'the token error');
    await wrong.stop();
    expect(captured.lines.join('\n')).not.toContain('not-the-right-token-value');
  });
});
