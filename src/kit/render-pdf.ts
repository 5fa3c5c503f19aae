/**
 * @module Prints an A4 page of HTML to PDF through headless Chromium (playwright-core's
 * `page.pdf`), the way the ward's own browser would print it. Chromium is Debian's
 * `/usr/bin/chromium` unless a path is given; nothing is fetched from the network (the poster's
 * HTML is self-contained: inline SVG, no fonts or scripts from elsewhere).
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export class ChromiumMissingError extends Error {
  readonly code = 'chromium_missing';
}

export async function renderPdf(html: string, options: { chromiumPath?: string } = {}): Promise<Buffer> {
  const executablePath = options.chromiumPath ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) throw new ChromiumMissingError(`Chromium not found at ${executablePath} (Debian: apt-get install chromium; or pass --chromium PATH).`);
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    // Nothing leaves the machine: every request but the page itself is refused.
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, margin: { top: '0', right: '0', bottom: '0', left: '0' } });
  } finally {
    await browser.close();
  }
}
