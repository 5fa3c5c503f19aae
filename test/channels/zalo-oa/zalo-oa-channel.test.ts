/**
 * The Zalo OA channel's events and rules, opened through the kit against the local fake OA:
 * follow / unfollow, attachments (their URL shown to staff for a held chat), delivery status,
 * events of another OA, the 7-day reply window, how failures are classified, and the first
 * authorisation (CLI link → consent → callback → stored tokens).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { channelLabels } from '../../../src/channels/index.js';
import type { RunningChannel } from '../../../src/channels/open-channel.js';
import { toInbound } from '../../../src/channels/zalo-oa/to-inbound.js';
import { createReplyWindows } from '../../../src/channels/zalo-oa/reply-window.js';
import { createMemoryChannelState } from '../../../src/channels/channel-state.js';
import { zaloOaChannel, ZALO_OA_REPLY_WINDOW } from '../../../src/channels/zalo-oa/zalo-oa-channel.js';
import { createLogger } from '../../../src/http/create-logger.js';
import { openTestChannel } from '../../helpers/channels.js';
import { startFakeZaloOa, type FakeZaloOa } from '../../helpers/fake-zalo-oa.js';
import { memoryConversation } from '../../helpers/assistant.js';
import { handoffKit } from '../../handoff/handoff-kit.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const DAY = 86_400_000;
let nextUser = 1;
const user = () => `77101857582619${String(nextUser++).padStart(5, '0')}`;

function oaEnv(oa: FakeZaloOa, extra: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'zalo-oa-channel-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return {
    ...oa.env(),
    ZALO_OA_TOKEN_FILE: join(dir, 'tokens.json'),
    ...extra,
  };
}

async function setup(options: { clock?: { now: number }; conversation?: ReturnType<typeof memoryConversation>['conversation']; authorized?: boolean } = {}) {
  const oa = await startFakeZaloOa();
  cleanups.push(() => oa.stop());
  const tokens = options.authorized === false ? undefined : oa.issueTokens();
  const env = oaEnv(oa, tokens ? { ZALO_OA_REFRESH_TOKEN: tokens.refreshToken, ZALO_OA_ACCESS_TOKEN: tokens.accessToken } : {});
  const clock = options.clock;
  const { channel, app } = await openTestChannel(zaloOaChannel, {
    env,
    conversation: options.conversation ?? memoryConversation().conversation,
    ...(clock ? { now: () => clock.now } : {}),
    tuning: { sendTimeoutSeconds: 1 },
  });
  cleanups.push(async () => {
    await channel.stop();
    await app.close();
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const post = (event: Record<string, unknown>) => oa.postEvent(`${base}/webhooks/zalo-oa`, event);
  return { oa, channel, base, post, env };
}

const settle = (channel: RunningChannel): Promise<void> => channel.idle();

describe('Zalo OA events', () => {
  it('greets a new follower, and after unfollow sends nothing more (staff replies refused) until they follow again', async () => {
    const { oa, channel, post } = await setup();
    const citizen = user();
    expect((await post(oa.event('follow', { oa_id: oa.oaId, follower: { id: citizen }, user_id_by_app: 'x' }))).status).toBe(200);
    await oa.waitFor(() => oa.sent(citizen).some((m) => m.text.includes('Xin chào')), 10_000, 'the greeting');

    expect((await post(oa.event('unfollow', { oa_id: oa.oaId, follower: { id: citizen } }))).status).toBe(200);
    const before = oa.calls.length;
    await expect(channel.send(citizen, [{ text: 'Cán bộ trả lời' }])).rejects.toMatchObject({ code: 'delivery_failed', failure: 'permanent', reason: 'unfollowed' });
    expect(oa.calls.length).toBe(before);
    expect(await channel.status(citizen)).toMatchObject({ unfollowed: true });

    await post(oa.event('follow', { oa_id: oa.oaId, follower: { id: citizen } }, { timestamp: Date.now() + 1 }));
    await channel.send(citizen, [{ text: 'Cán bộ trả lời' }]);
    expect(oa.sent(citizen).at(-1)?.text).toBe('Cán bộ trả lời');
  });

  it('answers every attachment event with the polite "I read text" message', async () => {
    const { oa, channel, post } = await setup();
    const kinds = ['image', 'gif', 'file', 'sticker', 'location', 'audio', 'video', 'link', 'business_card'];
    const citizens = kinds.map(() => user());
    for (const [i, kind] of kinds.entries()) {
      const attachments = [{ type: kind, payload: kind === 'location' ? { coordinates: { latitude: '10.3', longitude: '107.1' } } : { url: `https://f1.zdn.vn/${kind}/1.bin` } }];
      const event = oa.event(`user_send_${kind}`, { sender: { id: citizens[i] }, recipient: { id: oa.oaId }, message: { msg_id: `m-${kind}-${citizens[i]}`, attachments } });
      expect((await post(event)).status, kind).toBe(200);
    }
    await settle(channel);
    for (const citizen of citizens) expect(oa.sent(citizen).map((m) => m.text).join('\n')).toContain('tôi chỉ đọc được tin nhắn chữ');
  });

  it('shows staff the attachment URL of a held chat, and the assistant stays silent', async () => {
    const kit = await handoffKit();
    cleanups.push(() => kit.close());
    const { oa, channel, post } = await setup({ conversation: kit.conversation });
    const citizen = user();
    await post(oa.textEvent(citizen, 'gặp cán bộ'));
    // Replies go out after the webhook's answer: let them arrive before counting.
    await settle(channel);
    const [ticket] = await kit.handoff.desk.list();
    expect(ticket).toMatchObject({ channel: 'zalo-oa', key: `zoa:${citizen}` });
    expect(channelLabels()[ticket!.channel]).toBe('Zalo OA');
    expect((await kit.handoff.desk.claim(ticket!.id, { username: 'lan', name: 'Nguyễn Thị Lan', role: 'staff' })).ok).toBe(true);
    const sentBefore = oa.sent(citizen).length;
    const image = oa.event('user_send_image', { sender: { id: citizen }, recipient: { id: oa.oaId }, message: { msg_id: `img-${citizen}`, attachments: [{ type: 'image', payload: { url: 'https://f21-zpc.zdn.vn/jpg/to-khai.jpg', thumbnail: 'https://f21-zpc.zdn.vn/t.jpg' } }] } });
    expect((await post(image)).status).toBe(200);
    const { transcript } = (await kit.handoff.desk.get(ticket!.id))!;
    expect(transcript.at(-1)).toMatchObject({ from: 'citizen', text: '[image] https://f21-zpc.zdn.vn/jpg/to-khai.jpg' });
    expect(oa.sent(citizen).length).toBe(sentBefore);
  });

  it('records received / seen status without a turn, and ignores events of another OA and of the OA itself', async () => {
    const { oa, channel, post } = await setup();
    const citizen = user();
    await post(oa.textEvent(citizen, '/start'));
    await settle(channel);
    const calls = oa.calls.length;
    const seenAt = Date.now();
    expect((await post(oa.event('user_seen_message', { sender: { id: oa.oaId }, recipient: { id: citizen }, message: { msg_ids: ['a1'] } }, { timestamp: seenAt }))).status).toBe(200);
    expect((await post(oa.event('user_received_message', { sender: { id: oa.oaId }, recipient: { id: citizen }, message: { msg_ids: ['a1'] } }))).status).toBe(200);
    expect((await post(oa.textEvent(user(), 'xin chào', { oaId: '999999999' }))).status).toBe(200);
    expect((await post(oa.event('oa_send_text', { sender: { id: oa.oaId }, recipient: { id: citizen }, message: { msg_id: 'o1', text: 'staff typed in the OA' } }))).status).toBe(200);
    expect((await post(oa.event('user_submit_info', { sender: { id: citizen }, recipient: { id: oa.oaId } }))).status).toBe(200);
    expect(oa.calls.length).toBe(calls);
    const status = await channel.status(citizen);
    expect(status.seenAt).toBe(seenAt);
    expect(status.receivedAt).toBeGreaterThanOrEqual(seenAt);
  });
});

describe('Zalo OA reply window', () => {
  it('counts free replies within 48 h, then allows customer-service replies until 7 days, then refuses without calling Zalo', async () => {
    const clock = { now: Date.now() };
    const { oa, channel, post } = await setup({ clock });
    const citizen = user();
    await post(oa.textEvent(citizen, 'xin giay doc than', { timestamp: clock.now }));
    await settle(channel);
    const status = await channel.status(citizen);
    const sent = oa.sent(citizen).length;
    expect(sent).toBeGreaterThan(0);
    expect(status.replyWindow).toMatchObject({ lastInboundAt: clock.now, freeRepliesLeft: ZALO_OA_REPLY_WINDOW.freeReplies - sent, freeUntil: clock.now + 48 * 3_600_000, customerServiceUntil: clock.now + 7 * DAY, open: true });

    clock.now += 3 * DAY;
    expect((await channel.status(citizen)).replyWindow).toMatchObject({ freeRepliesLeft: 0, open: true });
    await channel.send(citizen, [{ text: 'Cán bộ trả lời sau 3 ngày' }]);
    expect(oa.sent(citizen).at(-1)?.text).toBe('Cán bộ trả lời sau 3 ngày');

    clock.now += 5 * DAY;
    expect((await channel.status(citizen)).replyWindow?.open).toBe(false);
    const calls = oa.calls.length;
    await expect(channel.send(citizen, [{ text: 'Quá hạn' }])).rejects.toMatchObject({ failure: 'permanent', reason: 'window_closed' });
    expect(oa.calls.length).toBe(calls);
  });

  it('a ticket that waited over a 9-day Tết break still shows the window closed (the record outlives the window), not nothing', async () => {
    const clock = { now: Date.now() };
    const { oa, channel, post } = await setup({ clock });
    const citizen = user();
    const wrote = clock.now;
    await post(oa.textEvent(citizen, 'gặp cán bộ', { timestamp: wrote }));
    await settle(channel);
    clock.now += 9 * DAY;
    expect((await channel.status(citizen)).replyWindow).toMatchObject({ lastInboundAt: wrote, open: false, freeRepliesLeft: 0 });
    const calls = oa.calls.length;
    await expect(channel.send(citizen, [{ text: 'Sau Tết' }])).rejects.toMatchObject({ failure: 'permanent', reason: 'window_closed' });
    expect(oa.calls.length).toBe(calls);
  });

  it('a new message from the citizen reopens the window and resets the free budget', async () => {
    const state = createMemoryChannelState();
    const clock = { now: 1_000_000 };
    const windows = createReplyWindows({ state, window: ZALO_OA_REPLY_WINDOW, now: () => clock.now, name: 'app' });
    await windows.noteInbound('u', clock.now);
    await windows.noteSent('u', 8);
    expect((await windows.status('u')).replyWindow?.freeRepliesLeft).toBe(0);
    clock.now += 10 * DAY;
    await windows.noteInbound('u', clock.now);
    expect((await windows.status('u')).replyWindow).toMatchObject({ freeRepliesLeft: 8, open: true });
  });
});

describe('Zalo OA sending failures are classified for the caller', () => {
  it('-216 twice → transient unauthorized after one refresh; 5xx → transient; a bad request → permanent; a hang → maybe_delivered', async () => {
    const { oa, channel } = await setup();
    const citizen = user();
    oa.failNext('message/cs', { error: -216 }, { error: -216 });
    await expect(channel.send(citizen, [{ text: 'a' }])).rejects.toMatchObject({ failure: 'transient', reason: 'unauthorized' });
    expect(oa.refreshCalls()).toHaveLength(1);

    oa.failNext('message/cs', { status: 502, body: '<html>Bad Gateway</html>' });
    await expect(channel.send(citizen, [{ text: 'b' }])).rejects.toMatchObject({ failure: 'transient', reason: 'server_error' });

    oa.failNext('message/cs', { error: -101, message: 'Invalid param' });
    await expect(channel.send(citizen, [{ text: 'c' }])).rejects.toMatchObject({ failure: 'permanent', reason: 'bad_request' });

    // The second message hangs past the per-send timeout (1 s here): the first was delivered,
    // the second may have been.
    oa.failNext('message/cs', { pass: true }, { hang: true });
    const error = await channel.send(citizen, [{ text: 'một' }, { text: 'hai' }]).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'maybe_delivered', reason: 'timeout', delivered: 1 });
    expect(oa.sent(citizen).map((m) => m.text)).toEqual(['một']);
  });

  it('a refused connection is transient (nothing was sent)', async () => {
    const { oa, channel } = await setup();
    await oa.stop();
    await expect(channel.send(user(), [{ text: 'x' }])).rejects.toMatchObject({ failure: 'transient', reason: 'network' });
  });
});

describe('first authorisation (OAuth v4 with PKCE)', () => {
  it('cli zalo-oa authorize prints the permission URL; the admin allows; the callback stores the pair and the OA answers', async () => {
    const { oa, channel, base, post, env } = await setup({ authorized: false });
    expect(channel.problem()).toMatch(/not authorized/);
    const out: string[] = [];
    const err: string[] = [];
    const io = { output: new Writable({ write: (c: Buffer, _e, d) => (out.push(c.toString()), d()) }), errors: new Writable({ write: (c: Buffer, _e, d) => (err.push(c.toString()), d()) }) };
    const command = zaloOaChannel.commands!.authorize!;
    expect(await command.run([], io, { ...env, PUBLIC_URL: 'https://chatbot.phuong9.example' })).toBe(0);
    const url = new URL(out.join('').trim());
    expect(`${url.origin}${url.pathname}`).toBe(`${oa.root}/v4/oa/permission`);
    expect(url.searchParams.get('app_id')).toBe(oa.appId);
    expect(url.searchParams.get('redirect_uri')).toBe('https://chatbot.phuong9.example/zalo-oa/callback');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(err.join('')).toContain('Cho phép');

    // The admin's click: Zalo redirects to the public callback, which the proxy maps to this server.
    const consent = await fetch(url, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location')!);
    const done = await fetch(`${base}${callback.pathname}${callback.search}`);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Đã kết nối Official Account');
    expect(channel.problem()).toBeUndefined();
    // The state is single use.
    expect((await fetch(`${base}${callback.pathname}${callback.search}`)).status).toBe(400);

    const citizen = user();
    await post(oa.textEvent(citizen, '/start'));
    await oa.waitFor(() => oa.sent(citizen).length > 0, 10_000, 'a reply with the new tokens');
  });

  it('refuses a callback without a code, with an unknown state, or from another OA', async () => {
    const { base } = await setup({ authorized: false });
    expect((await fetch(`${base}/zalo-oa/callback`)).status).toBe(400);
    expect((await fetch(`${base}/zalo-oa/callback?code=abc&state=nope`)).status).toBe(400);
    expect((await fetch(`${base}/zalo-oa/callback?code=abc&state=nope&oa_id=1`)).status).toBe(400);
  });

  it('the CLI says what is missing without the app id or PUBLIC_URL', async () => {
    const err: string[] = [];
    const io = { output: new Writable({ write: (_c, _e, d) => d() }), errors: new Writable({ write: (c: Buffer, _e, d) => (err.push(c.toString()), d()) }) };
    expect(await zaloOaChannel.commands!.authorize!.run([], io, {})).toBe(2);
    expect(err.join('')).toContain('PUBLIC_URL');
  });
});

describe('Zalo OA parsing', () => {
  const windows = createReplyWindows({ state: createMemoryChannelState(), window: ZALO_OA_REPLY_WINDOW, now: Date.now, name: 'p' });
  const options = { oaId: '1646843870823903717', windows, now: Date.now, onStateError: () => undefined };
  it('reads the real forum sample (ids longer than a JS number holds stay exact)', async () => {
    const sample = { event_name: 'user_send_text', app_id: '50554360515256678', sender: { id: '5510185758261927916' }, recipient: { id: '1646843870823903717' }, message: { text: 'Helo', msg_id: 'e2a641af6661713b2874' }, timestamp: '1717061839659', user_id_by_app: '3611371994410983884' };
    expect(await toInbound(sample, options)).toEqual({ inbound: { channel: 'zalo-oa', conversationId: '5510185758261927916', userId: '5510185758261927916', kind: 'text', text: 'Helo', platformMessageId: 'e2a641af6661713b2874' } });
  });
  it('logs no token: a logger line with one is redacted by the channel-independent masks', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: new Writable({ write: (c: Buffer, _e, d) => (lines.push(c.toString()), d()) }) });
    logger.info({ url: 'https://x/?access_token=AT-secret-value-1234' }, 'x');
    expect(lines.join('')).not.toContain('AT-secret-value-1234');
  });
});

describe('Zalo OA signature', () => {
  it('is the plain SHA-256 of app id + raw body + timestamp + OA secret key, with or without "mac="; replays are judged by the dedupe window', async () => {
    const { expectedSignature, verifySignature } = await import('../../../src/channels/zalo-oa/verify-signature.js');
    const now = 1_717_061_839_659;
    const raw = Buffer.from('{"app_id":"50554360515256678","event_name":"user_send_text","timestamp":"1717061839659","message":{"text":"Helo"}}');
    const mac = expectedSignature(raw, '50554360515256678', '1717061839659', 'oa-key');
    const { createHash } = await import('node:crypto');
    expect(mac).toBe(createHash('sha256').update(`50554360515256678${raw.toString()}1717061839659oa-key`).digest('hex'));
    const check = (header: string, at = now, windowMs = 86_400_000) => verifySignature({ rawBody: raw, headers: { 'x-zevent-signature': header } }, { oaSecretKey: 'oa-key', windowMs, now: at });
    expect(check(`mac=${mac}`)).toBe('ok');
    expect(check(mac.toUpperCase())).toBe('ok');
    expect(check(`mac=${mac.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`)).toBe('unauthorized');
    expect(check(`mac=${mac}`, now + 86_400_000)).toBe('replay');
    expect(check(`mac=${mac}`, now - 6 * 60_000)).toBe('replay');
    // The shortest dedupe window allowed (60 s) still accepts a fresh event.
    expect(check(`mac=${mac}`, now + 1000, 60_000)).toBe('ok');
    expect(check(`mac=${mac}`, now + 31_000, 60_000)).toBe('replay');
  });
});
