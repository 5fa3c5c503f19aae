/**
 * @module Reads QR codes off rendered pages for tests: a screenshot of the page (what a phone's
 * camera would see on the printed sheet) is decoded with jsQR. Also where page tests keep their
 * screenshots (`artifactPath`): test-artifacts/ at the repository root, or TEST_ARTIFACTS.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import type { Page } from 'playwright-core';

// jsqr is CommonJS with `exports.default`: under NodeNext the default import is the module object.
type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = ((jsQRModule as unknown as { default?: JsQr }).default ?? jsQRModule) as unknown as JsQr;

export function artifactPath(name: string): string {
  const dir = process.env.TEST_ARTIFACTS ?? join(process.cwd(), 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Decodes the QR code in a PNG screenshot (pixels read back through a canvas in the same browser). */
export async function decodeQr(page: Page, png: Buffer): Promise<string | null> {
  const { width, height, data } = await page.evaluate(async (src) => {
    const image = new Image();
    image.src = src;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width: pixels.width, height: pixels.height, data: Array.from(pixels.data) };
  }, `data:image/png;base64,${png.toString('base64')}`);
  return jsQR(Uint8ClampedArray.from(data), width, height)?.data ?? null;
}

/** How many pages a PDF has, and the size of the first (points). */
export function pdfPages(pdf: Buffer): { pages: number; mediaBox: number[] } {
  const text = pdf.toString('latin1');
  const pages = (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
  const box = /\/MediaBox\s*\[([^\]]+)\]/.exec(text)?.[1]?.trim().split(/\s+/).map(Number) ?? [];
  return { pages, mediaBox: box };
}
