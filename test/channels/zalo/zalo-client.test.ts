import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZaloClient, type ZaloClient } from '../../../src/channels/zalo/create-zalo-client.js';
import { ZaloApiError, ZaloHttpError } from '../../../src/channels/zalo/zalo-errors.js';
import { startFakeZalo, zaloText, type FakeZalo } from '../../helpers/fake-zalo.js';

let zalo: FakeZalo;
let client: ZaloClient;
const secretHalf = () => zalo.token.split(':')[1]!;

beforeAll(async () => {
  zalo = await startFakeZalo();
  client = createZaloClient({ token: zalo.token, apiRoot: `${zalo.apiRoot}/` });
});
afterAll(async () => {
  await zalo.stop();
});

describe('Zalo client', () => {
  it('POSTs JSON to /bot<token>/<method> and returns the result', async () => {
    const me = await client.getMe();
    expect(me.account_name).toBe('bot.FakeDvc');
    const sent = await client.sendMessage({ chat_id: 'u1', text: 'Xin chào anh/chị' });
    expect(sent.message_id).toMatch(/^[0-9a-f]{20}$/);
    expect(zalo.sent('u1')).toEqual([{ chat_id: 'u1', text: 'Xin chào anh/chị' }]);
  });

  it('reads an ok:false envelope as ZaloApiError whatever the HTTP status', async () => {
    zalo.failNext('sendMessage', { status: 429, httpStatus: 200 });
    const error = await client.sendMessage({ chat_id: 'u1', text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZaloApiError);
    expect(error).toMatchObject({ code: 'zalo_api_error', errorCode: 429, httpStatus: 200, description: 'Too many requests', method: 'sendMessage' });
    await expect(client.sendMessage({ chat_id: 'u1', text: 'x'.repeat(2001) })).rejects.toMatchObject({ errorCode: 400 });
  });

  it('treats the empty-poll 408 (over HTTP 200 or 408) as no update, and returns one update as a list', async () => {
    expect(await client.getUpdates({ timeout: 1 })).toEqual([]);
    zalo.emptyPollStatus = 408;
    expect(await client.getUpdates({ timeout: 1 })).toEqual([]);
    zalo.emptyPollStatus = 200;
    const update = zaloText('u2', 'dk ks cho be');
    zalo.pushUpdate(update);
    expect(await client.getUpdates({ timeout: 1 })).toEqual([update]);
    expect(zalo.calls.filter((c) => c.method === 'getUpdates').at(-1)!.params).toEqual({ timeout: '1' });
  });

  it('maps "no webhook" answers: getWebhookInfo 404 → empty url, deleteWebhook 404 → done', async () => {
    const fresh = await startFakeZalo();
    try {
      const c = createZaloClient({ token: fresh.token, apiRoot: fresh.apiRoot });
      expect(await c.getWebhookInfo()).toEqual({ url: '' });
      await expect(c.deleteWebhook()).resolves.toBeUndefined();
      await c.setWebhook({ url: 'https://xa.example.gov.vn/webhooks/zalo', secret_token: 'mykey-abcxyz' });
      expect((await c.getWebhookInfo()).url).toBe('https://xa.example.gov.vn/webhooks/zalo');
      await expect(c.getUpdates({ timeout: 1 })).rejects.toMatchObject({ errorCode: 400 });
    } finally {
      await fresh.stop();
    }
  });

  it('reports a non-JSON body as ZaloHttpError with a short snippet and no token, even URL-encoded', async () => {
    const page = `<html><body>502 Bad Gateway for /bot${zalo.token}/sendMessage and /bot${encodeURIComponent(zalo.token)}/x ${'filler '.repeat(100)}</body></html>`;
    zalo.failNext('sendMessage', { status: 502, body: page });
    const error = (await client.sendMessage({ chat_id: 'u1', text: 'x' }).catch((e: unknown) => e)) as ZaloHttpError;
    expect(error).toBeInstanceOf(ZaloHttpError);
    expect(error.httpStatus).toBe(502);
    expect(error.snippet!.length).toBeLessThanOrEqual(200);
    expect(error.snippet).toContain('<redacted>');
    expect(`${error.message} ${error.snippet} ${error.stack}`).not.toContain(secretHalf());
  });

  it('reports an unreachable API as ZaloHttpError without the token', async () => {
    zalo.failNext('getMe', { drop: true });
    const dropped = (await client.getMe().catch((e: unknown) => e)) as ZaloHttpError;
    expect(dropped).toBeInstanceOf(ZaloHttpError);
    expect(dropped.httpStatus).toBeUndefined();
    const gone = await startFakeZalo();
    await gone.stop();
    const down = createZaloClient({ token: gone.token, apiRoot: gone.apiRoot });
    const refused = (await down.getMe().catch((e: unknown) => e)) as ZaloHttpError;
    expect(refused).toBeInstanceOf(ZaloHttpError);
    expect(refused.message).toContain('ECONNREFUSED');
    expect(`${dropped.message} ${refused.message}`).not.toContain(secretHalf());
  });
});
