/**
 * Issue 14, posters: `cli poster` makes a one-page A4 PDF through headless Chromium, and the QR
 * code on the poster (read with jsQR off a screenshot of the same page) opens the deep link with
 * its source tag, for Telegram and the web chat; a Zalo poster says what to type, and what it says
 * finds the procedure at once, for every procedure in the catalog.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUnit } from '../../src/catalog/unit-display.js';
import { runCli } from '../../src/channels/cli/run-cli.js';
import { kitLink, posterChannels } from '../../src/kit/kit-links.js';
import { posterHtml } from '../../src/kit/posters.js';
import { assistantOn } from '../helpers/drive.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { artifactPath, decodeQr, pdfPages } from '../helpers/qr.js';

const assistant = assistantOn('content');
const dir = mkdtempSync(join(tmpdir(), 'poster-'));
let browser: TestBrowser;

beforeAll(async () => {
  browser = await launchBrowser({ viewport: { width: 794, height: 1123 } });
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; errors: string }> {
  const errors: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => errors.push(c.toString()));
  const code = await runCli(args, { input: new PassThrough(), output: new PassThrough(), errors: sink }, { flowsDir: 'flows', contentDir: 'content', sessionTtlSeconds: 3600 });
  return { code, errors: errors.join('') };
}

describe('cli poster', () => {
  for (const [channel, extra, expected] of [
    ['telegram', ['--bot', 'PhuongTamThangBot'], 'https://t.me/PhuongTamThangBot?start=khai-sinh_poster-kp3'],
    ['web', ['--base-url', 'https://chatbot.tamthang.example'], 'https://chatbot.tamthang.example/?start=khai-sinh.poster-kp3'],
  ] as const) {
    it(`${channel}: one A4 page whose QR code opens ${expected}`, async () => {
      const out = join(dir, `${channel}.pdf`);
      const run = await cli(['poster', 'khai-sinh', '--source', 'poster-kp3', '--channel', channel, ...extra, '--out', out]);
      expect(run, run.errors).toMatchObject({ code: 0 });
      const pdf = readFileSync(out);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const { pages, mediaBox } = pdfPages(pdf);
      expect(pages).toBe(1);
      // A4 is 595.28 × 841.89 points.
      expect(Math.abs(mediaBox[2]! - 595.28)).toBeLessThan(1);
      expect(Math.abs(mediaBox[3]! - 841.89)).toBeLessThan(1);

      const entry = assistant.catalog.byId.get('khai-sinh')!;
      const link = kitLink({ channel, procedure: 'khai-sinh', procedureName: entry.name, source: 'poster-kp3', bot: 'PhuongTamThangBot', baseUrl: 'https://chatbot.tamthang.example' });
      const html = await posterHtml({ unit: displayUnit(assistant.catalog.unit, assistant.texts), entry, channel, channelLabel: posterChannels().find((c) => c.name === channel)!.label, link, source: 'poster-kp3' });
      const page = await browser.context.newPage();
      await page.setContent(html);
      const text = (await page.textContent('body')) ?? '';
      for (const words of ['Phường Tam Thắng', 'Đăng ký khai sinh', '088 8801 247', 'quét mã QR']) expect(text).toContain(words);
      await page.screenshot({ fullPage: true, path: artifactPath(`poster-${channel}.png`) });
      // The code as printed: a screenshot of its box on the rendered page.
      expect(await decodeQr(page, await page.locator('.qr').screenshot())).toBe(expected);
      await page.close();
    }, 120_000);
  }

  it('refuses what it cannot make: an unknown procedure, Telegram without a bot, a bad tag', async () => {
    expect((await cli(['poster', 'khong-co', '--out', join(dir, 'x.pdf')])).code).toBe(2);
    expect((await cli(['poster', 'khai-sinh', '--channel', 'telegram', '--out', join(dir, 'x.pdf')])).errors).toContain('--bot');
    expect((await cli(['poster', 'khai-sinh', '--source', 'Poster KP3', '--base-url', 'https://a.example', '--out', join(dir, 'x.pdf')])).errors).toContain('source tag');
    expect((await cli(['poster', 'khai-sinh'])).code).toBe(2);
  });
});

describe('Zalo posters say what to type', () => {
  const channels = posterChannels().filter((c) => !['telegram', 'web'].includes(c.name));
  it('there is at least one such channel in the registry', () => expect(channels.length).toBeGreaterThan(0));
  for (const entry of assistant.catalog.entries) {
    it(`${entry.id}: the words on the poster find it first`, () => {
      const link = kitLink({ channel: channels[0]!.name, procedure: entry.id, procedureName: entry.name });
      expect(link.url).toBeUndefined();
      expect(link.typeText).toBe(entry.name);
      expect(assistant.finder.search(link.typeText!)[0]?.id).toBe(entry.id);
    });
  }
});
