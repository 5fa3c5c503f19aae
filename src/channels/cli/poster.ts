/**
 * @module `cli poster <procedure-id> [--source TAG] [--channel NAME] [--bot USERNAME]
 * [--base-url URL] [--link URL] [--chromium PATH] --out FILE.pdf`: the A4 poster of one procedure
 * as a PDF, printed by headless Chromium. Channel: any registered channel but the CLI (default
 * web). Telegram needs the bot's username, the web chat its address (default PUBLIC_URL), Zalo
 * optionally the chat's own share link for the QR code (else the poster only says what to type).
 */
import { writeFileSync } from 'node:fs';
import { displayUnit } from '../../catalog/unit-display.js';
import { kitLink, KitLinkError, posterChannels } from '../../kit/kit-links.js';
import { posterHtml } from '../../kit/posters.js';
import { ChromiumMissingError, renderPdf } from '../../kit/render-pdf.js';
import type { Assistant } from '../../load-assistant.js';
import type { CliIo } from './run-cli.js';

export const POSTER_USAGE = 'cli poster <procedure-id> [--source TAG] [--channel web|telegram|zalo|zalo-oa] [--bot USERNAME] [--base-url URL] [--link URL] --out FILE.pdf';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function runPoster(args: string[], io: CliIo, assistant: Assistant, defaults: { publicUrl?: string }): Promise<number> {
  const id = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
  const out = option(args, '--out');
  if (!id || !out) {
    io.errors.write(`Usage: ${POSTER_USAGE}\n`);
    return 2;
  }
  const entry = assistant.catalog.byId.get(id);
  if (!entry) {
    io.errors.write(`Unknown procedure "${id}". Ids: npm run cli -- find <words>.\n`);
    return 2;
  }
  const channel = option(args, '--channel') ?? 'web';
  const label = posterChannels().find((c) => c.name === channel)?.label;
  const source = option(args, '--source');
  try {
    const link = kitLink({
      channel,
      procedure: entry.id,
      procedureName: entry.name,
      ...(source !== undefined ? { source } : {}),
      ...(option(args, '--bot') ? { bot: option(args, '--bot') } : {}),
      ...((option(args, '--base-url') ?? defaults.publicUrl) ? { baseUrl: option(args, '--base-url') ?? defaults.publicUrl } : {}),
      ...(option(args, '--link') ? { link: option(args, '--link') } : {}),
    });
    const unit = displayUnit(assistant.catalog.unit, assistant.texts);
    const html = await posterHtml({ unit, entry, channel, channelLabel: label ?? channel, link, ...(source ? { source } : {}) });
    const chromiumPath = option(args, '--chromium');
    writeFileSync(out, await renderPdf(html, chromiumPath ? { chromiumPath } : {}));
    io.errors.write(`poster: ${out}${link.url ? ` (QR: ${link.url})` : ''}${link.countsSource ? '' : ` — ${label ?? channel} has no deep links: the poster says what to type and its conversations are not counted per source`}\n`);
    return 0;
  } catch (error) {
    if (error instanceof KitLinkError || error instanceof ChromiumMissingError) {
      io.errors.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
