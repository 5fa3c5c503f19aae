import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';

interface WireMessage {
  id: string;
  html: string;
  choices: Array<{ id: string; label: string }>;
  links: Array<{ label: string; url: string }>;
}
interface PostResult {
  status: string;
  erased: boolean;
  replies: WireMessage[];
}

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function post(app: TestApp, conversationId: string, body: Record<string, unknown>) {
  const response = await app.app.inject({
    method: 'POST',
    url: `/webchat/conversations/${conversationId}/messages`,
    payload: { messageId: randomUUID(), ...body },
  });
  return { status: response.statusCode, json: response.json() as PostResult & { error?: { code: string } } };
}

async function transcript(app: TestApp, conversationId: string) {
  const response = await app.app.inject({ url: `/webchat/conversations/${conversationId}/transcript` });
  expect(response.statusCode).toBe(200);
  return (response.json() as { entries: Array<{ id: string; from: string; text?: string; html?: string }> }).entries;
}

describe('web chat API', () => {
  it('greets with the menu, finds a procedure from free text, and opens its card from a choice', async () => {
    t = await buildTestApp();
    const id = randomUUID();
    const start = await post(t, id, { kind: 'start' });
    expect(start.status).toBe(200);
    expect(start.json.status).toBe('ok');
    expect(start.json.replies[0]?.html).toContain('Xin chào');
    const menu = start.json.replies.at(-1);
    expect(menu?.choices.map((c) => c.id)).toContain('find');

    const found = await post(t, id, { kind: 'text', text: 'đăng ký kết hôn' });
    expect(found.json.replies[0]?.html).toContain('<strong>Đăng ký kết hôn</strong>');
    const yes = found.json.replies[0]?.choices.find((c) => c.id === 'yes');
    expect(yes).toBeDefined();

    const card = await post(t, id, { kind: 'choice', choiceId: 'yes', label: yes?.label });
    expect(card.json.replies.map((r) => r.html).join('\n')).toContain('Nơi giải quyết');
    const detailsChoice = card.json.replies.at(-1)?.choices.find((c) => c.id === 'details');
    const details = await post(t, id, { kind: 'choice', choiceId: 'details', label: detailsChoice?.label });
    const html = details.json.replies.map((r) => r.html).join('\n');
    expect(html).toContain('Giấy tờ cần chuẩn bị');
    expect(html).toContain('<ul>');

    const entries = await transcript(t, id);
    expect(entries.filter((e) => e.from === 'citizen').map((e) => e.text)).toEqual(['đăng ký kết hôn', yes?.label, detailsChoice?.label]);
    expect(entries.filter((e) => e.from === 'bot').length).toBe(start.json.replies.length + found.json.replies.length + card.json.replies.length + details.json.replies.length);
  });

  it('answers a retried message id once', async () => {
    t = await buildTestApp();
    const id = randomUUID();
    const messageId = randomUUID();
    await post(t, id, { kind: 'start' });
    const first = await post(t, id, { kind: 'text', text: 'làm giấy khai sinh', messageId });
    const again = await post(t, id, { kind: 'text', text: 'làm giấy khai sinh', messageId });
    expect(first.json.status).toBe('ok');
    expect(first.json.replies.length).toBeGreaterThan(0);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ status: 'duplicate', erased: false, replies: [] });
    const citizen = (await transcript(t, id)).filter((e) => e.from === 'citizen');
    expect(citizen.map((e) => e.text)).toEqual(['làm giấy khai sinh']);
  });

  it('refuses bodies over the limit with 413 and malformed JSON with 400, with stable codes', async () => {
    t = await buildTestApp();
    const url = `/webchat/conversations/${randomUUID()}/messages`;
    const huge = await t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ messageId: randomUUID(), kind: 'text', text: 'a'.repeat(70 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: { code: 'body_too_large' } });

    const broken = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{"messageId": "x", kind' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: { code: 'invalid_json' } });

    const xml = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });

    const text = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(400);
    expect(text.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('validates ids, text length and emptiness, and strips control characters', async () => {
    t = await buildTestApp();
    const id = randomUUID();
    const badId = await t.app.inject({ method: 'POST', url: '/webchat/conversations/not-a-uuid/messages', payload: { messageId: randomUUID(), kind: 'start' } });
    expect(badId.statusCode).toBe(400);
    expect(badId.json()).toMatchObject({ error: { code: 'invalid_request' } });

    const badKind = await post(t, id, { kind: 'sticker' });
    expect(badKind.status).toBe(400);
    expect(badKind.json.error?.code).toBe('invalid_request');

    const tooLong = await post(t, id, { kind: 'text', text: 'x'.repeat(2001) });
    expect(tooLong.status).toBe(413);
    expect(tooLong.json.error?.code).toBe('message_too_long');

    const empty = await post(t, id, { kind: 'text', text: ' \u0000\u0007\u202E \n ' });
    expect(empty.status).toBe(400);
    expect(empty.json.error?.code).toBe('empty_message');

    const choiceWithoutId = await post(t, id, { kind: 'choice' });
    expect(choiceWithoutId.status).toBe(400);

    const exactly = await post(t, id, { kind: 'text', text: `${'y'.repeat(1999)}\u0000z` });
    expect(exactly.status).toBe(200);

    const cleaned = await post(t, id, { kind: 'text', text: 'đăng\u0000 ký\u202E kết\u0008 hôn' });
    expect(cleaned.status).toBe(200);
    const citizen = (await transcript(t, id)).filter((e) => e.from === 'citizen').map((e) => e.text);
    expect(citizen.at(-1)).toBe('đăng ký kết hôn');
  });

  it('keeps the transcript bounded, escapes what the citizen typed, and erases it with the conversation', async () => {
    t = await buildTestApp();
    const id = randomUUID();
    await post(t, id, { kind: 'start' });
    for (let i = 0; i < 25; i++) await post(t, id, { kind: 'text', text: `<b>câu hỏi ${i}</b>` });
    const entries = await transcript(t, id);
    expect(entries.length).toBe(40);
    // The citizen's text comes back as text (the page sets it with textContent), never as html.
    expect(entries.filter((e) => e.from === 'citizen').at(-1)).toMatchObject({ text: '<b>câu hỏi 24</b>' });
    expect(entries.filter((e) => e.from === 'citizen').every((e) => e.html === undefined)).toBe(true);

    const ask = await post(t, id, { kind: 'text', text: 'xóa dữ liệu' });
    const yes = ask.json.replies.at(-1)?.choices.find((c) => c.id === 'yes');
    expect(yes).toBeDefined();
    const erased = await post(t, id, { kind: 'choice', choiceId: 'yes', label: yes?.label });
    expect(erased.json.erased).toBe(true);
    expect(erased.json.replies.length).toBeGreaterThan(0);
    expect(await transcript(t, id)).toEqual([]);
    expect(await t.store.peek(`web:${id}`)).toBeNull();
  });

  it('limits the message API per client address with 429 rate_limited', async () => {
    t = await buildTestApp({ webRateLimitPerMinute: 3 });
    const id = randomUUID();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(t, id, { kind: 'text', text: `xin chào ${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await post(t, id, { kind: 'text', text: 'nữa' });
    expect(limited.json.error?.code).toBe('rate_limited');
    // Another address is not affected.
    const other = await t.app.inject({
      method: 'POST',
      url: `/webchat/conversations/${id}/messages`,
      remoteAddress: '10.9.8.7',
      payload: { messageId: randomUUID(), kind: 'text', text: 'xin chào' },
    });
    expect(other.statusCode).toBe(200);
  });

  it('serves the page with a nonce CSP and the embed script', async () => {
    t = await buildTestApp();
    const page = await t.app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const csp = String(page.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(page.body).toContain(`<script nonce="${nonce}">`);
    expect(page.body).toContain('<html lang="vi">');
    expect(page.body).toContain('Phường Tam Thắng');
    const again = await t.app.inject({ url: '/' });
    expect(again.headers['content-security-policy']).not.toBe(csp);

    const embed = await t.app.inject({ url: '/webchat/embed.js' });
    expect(embed.statusCode).toBe(200);
    expect(embed.headers['content-type']).toContain('javascript');
    expect(embed.body).toContain('iframe');
  });
});
