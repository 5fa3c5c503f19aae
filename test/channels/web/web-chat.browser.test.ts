import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';
import { launchBrowser, type TestBrowser } from '../../helpers/browser.js';

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

describe('web chat page in Chromium', () => {
  it('greets with the menu, answers typed text and a choice, survives a reload, and shows markup as text', async () => {
    const page = await browser.context.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });

    await page.goto(`${base}/`);
    await page.locator('.msg.bot', { hasText: 'Xin chào' }).waitFor();
    await page.locator('.choices button', { hasText: 'Tìm thủ tục' }).waitFor();

    await page.fill('#text', 'đăng ký kết hôn');
    await page.press('#text', 'Enter');
    await page.locator('.msg.citizen', { hasText: 'đăng ký kết hôn' }).waitFor();
    const confirm = page.locator('.msg.bot', { hasText: 'Có phải anh/chị muốn' });
    await confirm.waitFor();
    expect(await confirm.locator('strong').textContent()).toBe('Đăng ký kết hôn');

    await page.locator('.choices button', { hasText: 'Đúng' }).click();
    // The card is short; its documents are one tap away.
    await page.locator('.msg.bot', { hasText: 'Nơi giải quyết' }).waitFor();
    await page.locator('.choices button', { hasText: 'Xem giấy tờ' }).last().click();
    await page.locator('.msg.bot', { hasText: 'Giấy tờ cần chuẩn bị' }).waitFor();
    expect(await page.locator('.msg.bot li').count()).toBeGreaterThan(2);
    // A long answer is shown from its first line, not its last; one that fits is shown whole.
    const card = await page.locator('.msg.bot', { hasText: 'Giấy tờ cần chuẩn bị' }).evaluate((node) => {
      const log = document.getElementById('log') as HTMLElement;
      return { top: node.getBoundingClientRect().top - log.getBoundingClientRect().top, height: node.getBoundingClientRect().height, view: log.clientHeight };
    });
    expect(card.top).toBeGreaterThanOrEqual(0);
    if (card.height > card.view) expect(card.top).toBeLessThan(40);
    else expect(card.top + card.height).toBeLessThanOrEqual(card.view + 1);
    const before = await page.locator('#log .msg').allTextContents();

    await page.screenshot({ path: '/tmp/webchat-phone.png' });

    await page.reload();
    await page.locator('.msg.bot', { hasText: 'Giấy tờ cần chuẩn bị' }).first().waitFor();
    expect(await page.locator('#log .msg').allTextContents()).toEqual(before);
    // The greeting was not sent again on reload.
    expect(await page.locator('.msg.bot', { hasText: 'Xin chào' }).count()).toBe(1);

    const attack = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await page.fill('#text', attack);
    await page.click('#send');
    const bubble = page.locator('.msg.citizen').last();
    await bubble.waitFor();
    expect(await bubble.textContent()).toBe(attack);
    expect(await page.locator('#log script, #log img').count()).toBe(0);
    await page.locator('.msg.bot').last().waitFor();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a staff message pushed over SSE without a reload', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/`);
    await page.locator('.choices button').first().waitFor();
    const id = await page.evaluate(() => localStorage.getItem('dvc-webchat:conversation'));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // The page marks itself once its event stream is open.
    await page.locator('html[data-live="1"]').waitFor({ state: 'attached' });
    await t.web.send(id!, [{ text: '**Cán bộ Lan** đã nhận cuộc trò chuyện ạ.' }]);
    await page.locator('.msg.bot strong', { hasText: 'Cán bộ Lan' }).waitFor();
    await page.close();
  });

  it('embeds with one script tag: a floating button opens the chat in an iframe', async () => {
    // The ward's site: another origin (localhost vs 127.0.0.1), both on loopback so Chromium's
    // private-network rules do not apply.
    const site = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><body><h1>Phường 9</h1><script src="${base}/webchat/embed.js"></script></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const port = (site.address() as AddressInfo).port;
    const page = await browser.context.newPage();
    await page.goto(`http://localhost:${port}/`);
    const button = page.locator('button', { hasText: 'Hỏi thủ tục hành chính' });
    await button.click({ timeout: 5000 });
    const frame = page.frameLocator('iframe[title="Trợ lý dịch vụ công"]');
    await frame.locator('.msg.bot', { hasText: 'Xin chào' }).first().waitFor({ timeout: 5000 });
    // The button's text changes while the panel is open: find it by its role in the page.
    const launcher = page.locator('button[aria-haspopup="dialog"]');
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    await frame.locator('#close').click({ timeout: 5000 });
    await page.locator('iframe').waitFor({ state: 'hidden', timeout: 5000 });
    // Focus leaves the hidden frame for the button that opened it.
    await expect.poll(() => launcher.evaluate((b) => document.activeElement === b)).toBe(true);
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    await page.close();
    site.closeAllConnections();
    await new Promise((resolve) => site.close(resolve));
  });
});
