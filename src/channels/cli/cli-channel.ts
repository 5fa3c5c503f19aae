/**
 * @module The terminal as a channel (`npm run cli -- chat`): a typed line is a message
 * (`/start [payload]` starts over), replies are written as plain text with numbered choices. It
 * never runs in the server (no `open`); run-cli.ts gives it its output stream and runs it through
 * the kit like any other channel, so its text is cleaned the same way.
 */
import type { Outbound } from '../../engine/messages.js';
import { defineChannel } from '../define-channel.js';
import { renderPlainText } from '../plain-text.js';

export interface CliContext {
  output: NodeJS.WritableStream;
}

/** One typed line; `turn` numbers the lines of a run (the message id). */
export interface CliLine {
  line: string;
  turn: number;
  conversationId: string;
}

function isCliLine(native: unknown): native is CliLine {
  const n = native as Partial<CliLine> | null;
  return typeof n === 'object' && n !== null && typeof n.line === 'string' && typeof n.turn === 'number' && typeof n.conversationId === 'string';
}

export const cliChannel = defineChannel<CliContext, string>({
  name: 'cli',
  keyPrefix: 'cli',
  label: 'Dòng lệnh',
  capabilities: { buttons: 'numbered', textLimit: 100_000, markup: 'plain', linkButtons: false, replyWindow: 'none' },
  parse(_ctx, native) {
    if (!isCliLine(native)) return { reject: 'not a line' };
    const base = { channel: 'cli', conversationId: native.conversationId, userId: 'cli', platformMessageId: String(native.turn) };
    const start = /^\/start(?:\s+(\S+))?\s*$/i.exec(native.line.trim());
    if (start) return { inbound: { ...base, kind: 'start', ...(start[1] ? { text: start[1] } : {}) } };
    return { inbound: { ...base, kind: 'text', text: native.line } };
  },
  render: (message: Outbound) => [renderPlainText(message)],
  async send(ctx, _conversationId, messages) {
    for (const message of messages) ctx.output.write(`\n${renderPlainText(message)}\n`);
  },
  describeError: (_ctx, error) => (error instanceof Error ? error.message : String(error)),
});
