/**
 * Issue 14, in headless Chromium on the server as production runs it (Redis, Telegram fake, web
 * chat): the dashboard (manager) shows the API's figures, draws its charts with Chart.js from our
 * own origin, prints on A4, and logs no console error; the kit (any staff) previews a poster with
 * its source tag, and its cashless-fee poster carries no bank QR code (its only QR opens the
 * assistant's guide, on PUBLIC_URL). Screenshots go to test-artifacts/.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffClient, type StaffClient } from '../handoff/staff-client.js';
import { MANAGER_PASSWORD, STAFF_PASSWORD, startImpactServer, type ImpactServer } from '../analytics/impact-server-kit.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { artifactPath, decodeQr, pdfPages } from '../helpers/qr.js';

let s: ImpactServer;
let browser: TestBrowser;
let manager: StaffClient;
let staff: StaffClient;

beforeAll(async () => {
  s = await startImpactServer();
  for (const [i, payload] of ['khai-sinh.poster-kp3', 'khai-sinh.poster-kp3', 'ket-hon.hop-to-3'].entries()) {
    const id = randomUUID();
    await s.webSays(id, { kind: 'start', text: payload });
    if (i === 0) {
      await s.webSays(id, { kind: 'text', text: 'nộp trực tuyến' });
      await s.webSays(id, { kind: 'text', text: 'đã nộp xong' });
    }
  }
  await s.telegramSays(7, 'tôi muốn nuôi chim cảnh');
  await s.server.analytics.flush();
  manager = await staffClient(s.url);
  await manager.login('minh', MANAGER_PASSWORD);
  staff = await staffClient(s.url);
  await staff.login('lan', STAFF_PASSWORD);
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

/** A page logged in with the client's cookies, recording console errors and page errors. */
async function pageAs(client: StaffClient): Promise<{ page: Page; errors: string[] }> {
  const context = browser.context;
  await context.clearCookies();
  const { hostname } = new URL(s.url);
  await context.addCookies(client.cookies().split('; ').map((pair) => {
    const at = pair.indexOf('=');
    return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: hostname, path: '/staff' };
  }));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

describe('the dashboard page', () => {
  it('shows the API’s figures with its charts, prints on A4, and logs no error', async () => {
    const api = (await manager.get('/staff/api/impact')).json as { totals: { conversations: number; citizens: number }; funnel: Array<{ count: number }> };
    expect(api.totals.conversations).toBe(4);
    const { page, errors } = await pageAs(manager);
    const scripts: string[] = [];
    page.on('request', (r) => scripts.push(r.url()));
    await page.goto(`${s.url}/staff/reports`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 15_000 });
    expect(await page.textContent('#t-conversations')).toBe(String(api.totals.conversations));
    expect(await page.textContent('#t-citizens')).toBe(String(api.totals.citizens));
    expect(await page.textContent('#t-filed')).toBe('1');
    expect(await page.textContent('#sources')).toContain('poster-kp3');
    expect(await page.textContent('#notfound')).toContain('toi muon nuoi chim canh');
    // Chart.js drew on the canvases, loaded from this server only.
    expect(await page.evaluate(() => typeof (window as unknown as { Chart?: unknown }).Chart)).toBe('function');
    expect(scripts.every((u) => u.startsWith(s.url))).toBe(true);
    await page.screenshot({ path: artifactPath('dashboard.png'), fullPage: true });
    await page.screenshot({ path: artifactPath('dashboard-top.png') });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: artifactPath('dashboard-print.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    expect(pdfPages(pdf).pages).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('a staff account is refused in the browser too', async () => {
    const { page } = await pageAs(staff);
    const response = await page.goto(`${s.url}/staff/reports`);
    expect(response?.status()).toBe(403);
    await page.close();
  });
});

describe('the kit page', () => {
  it('previews a poster with its source tag and logs no error', async () => {
    const { page, errors } = await pageAs(staff);
    await page.goto(`${s.url}/staff/kit`);
    await page.fill('#source', 'poster-kp3');
    await page.click('#poster button[type=submit]');
    await page.waitForFunction(() => (document.getElementById('preview') as HTMLIFrameElement).src.includes('source=poster-kp3'));
    const frame = page.frameLocator('#preview');
    await expect.poll(async () => frame.locator('.url').textContent(), { timeout: 10_000 }).toBe('https://chatbot.phuong9.example/?start=khai-sinh.poster-kp3');
    expect(await page.locator('.walk').count()).toBe(5);
    await page.screenshot({ path: artifactPath('kit.png'), fullPage: true });
    // Telegram without a bot name: the kit says what is missing.
    await page.selectOption('#channel', 'telegram');
    await expect.poll(async () => page.locator('#error').textContent(), { timeout: 10_000 }).toContain('--bot');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('the cashless-fee poster has no bank QR code: its only QR opens the assistant’s guide', async () => {
    const { page, errors } = await pageAs(staff);
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.goto(`${s.url}/staff/kit/cashless`);
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain('Nộp lệ phí không dùng tiền mặt');
    expect(text).toContain('không dùng để trả tiền');
    expect(await page.locator('svg').count()).toBe(1);
    await page.screenshot({ fullPage: true, path: artifactPath('cashless-poster.png') });
    // The code as printed: a screenshot of its box on the rendered page.
    const png = await page.locator('.qr').screenshot();
    expect(await decodeQr(page, png)).toBe('https://chatbot.phuong9.example/?start=thanh-toan-truc-tuyen.ap-phich-le-phi');
    await page.goto(`${s.url}/staff/kit/cards?channel=web&source=quay-mot-cua`);
    expect(await page.locator('.card').count()).toBe(12);
    // The most viewed procedures come first.
    expect(await page.locator('.card b').first().textContent()).toBe('Đăng ký khai sinh');
    await page.screenshot({ fullPage: true, path: artifactPath('qr-cards.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
