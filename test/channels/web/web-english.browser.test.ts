/**
 * Issue 15: an English conversation in the web chat, from "/start" to the online link, over real
 * HTTP (the JSON API a page posts to) and in headless Chromium (the page shows the English
 * answers, and writes its own labels in English once the conversation is).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';

interface Posted {
  status: string;
  lang?: string;
  replies: { html: string; choices: { id: string; label: string }[]; links: { label: string; url: string }[] }[];
}

let t: TestApp;
let base: string;
let browser: TestBrowser;

beforeAll(async () => {
  t = await buildTestApp();
  base = await t.listen();
  browser = await launchBrowser({ viewport: { width: 390, height: 844 } });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function post(id: string, body: Record<string, unknown>): Promise<Posted> {
  const response = await fetch(`${base}/webchat/conversations/${id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messageId: randomUUID(), ...body }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Posted;
}

const html = (p: Posted) => p.replies.map((r) => r.html).join('\n');

describe('the web chat in English', () => {
  it('answers in English over HTTP from /start to the portal page, and says the language', async () => {
    const id = randomUUID();
    const start = await post(id, { kind: 'start' });
    expect(html(start)).toContain('Xin chào');
    expect(start.lang).toBeUndefined();
    const asked = await post(id, { kind: 'text', text: 'How can I get a birth certificate for my son?' });
    expect(asked.lang).toBe('en');
    expect(html(asked)).toContain('Do you mean the procedure <strong>Birth registration</strong>?');
    const card = await post(id, { kind: 'choice', choiceId: 'yes', label: '✅ Yes, that one' });
    expect(html(card)).toContain('Birth registration (Đăng ký khai sinh)');
    expect(html(card)).not.toContain('anh/chị');
    const online = await post(id, { kind: 'choice', choiceId: 'online', label: '💻 File online' });
    expect(html(online)).toContain('Log in to the National Public Service Portal (Cổng Dịch vụ công quốc gia)');
    expect(online.replies.flatMap((r) => r.links)).toContainEqual({ label: 'Open the filing page', url: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7' });
  });

  it('shows English in Chromium once the citizen picks English, the page labels included', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await page.locator('.choices button', { hasText: 'English' }).click();
    await page.locator('.msg.bot', { hasText: 'Hello! I am the public-services assistant' }).waitFor();
    await page.locator('.choices button', { hasText: 'How to file online' }).last().click();
    await page.locator('.msg.bot', { hasText: 'Processing time' }).waitFor();
    await page.locator('.choices button', { hasText: 'File online' }).last().click();
    await page.locator('.msg.bot', { hasText: 'Filing online' }).waitFor();
    expect(await page.locator('a', { hasText: 'Open the filing page' }).last().getAttribute('href')).toMatch(/^https:\/\/dichvucong\.gov\.vn/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getAttribute('#text', 'placeholder')).toBe('Type your question…');
    expect(await page.getAttribute('#send', 'aria-label')).toBe('Send');
    expect(await page.locator('header h1').textContent()).toBe('Public-services assistant');
    const bot = (await page.locator('.msg.bot').allTextContents()).slice(1).join('\n');
    expect(bot).not.toMatch(/anh\/chị|Xin chào/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
