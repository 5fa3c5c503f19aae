/**
 * Runs every conversation transcript in flows/transcripts/*.yaml against the real flows and
 * content: each user turn goes through the conversation layer, and the replies must contain the
 * expected fragments, choices and links.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { stripMarkup } from '../../src/channels/plain-text.js';
import { memoryConversation, textFrom } from '../helpers/assistant.js';
import { deskConversation, MONDAY_9AM, noDeskConversation, SATURDAY_10AM } from '../helpers/desk.js';

const turnSchema = z
  .object({
    user: z.union([z.string(), z.number()]).transform(String),
    says: z.array(z.string()).default([]),
    /** Fragments that must appear in the text or among the choices (confirm or clarify alike). */
    mentions: z.array(z.string()).default([]),
    not_says: z.array(z.string()).default([]),
    choices: z.array(z.string()).default([]),
    links: z.array(z.string()).default([]),
    silent: z.boolean().default(false),
  })
  .strict();
const transcriptSchema = z
  .object({
    name: z.string(),
    channel: z.enum(['web', 'telegram', 'zalo', 'cli']).default('web'),
    /** The setup: no staff desk (`npm start`, the default), or a desk on memory stores (`npm run demo`, Redis). */
    desk: z.boolean().default(false),
    /** When it happens: unset (no clock for the no-desk hotline), in office hours, or out of them. */
    clock: z.enum(['in_hours', 'after_hours']).optional(),
    turns: z.array(turnSchema).min(1),
  })
  .strict();

const CLOCKS = { in_hours: MONDAY_9AM, after_hours: SATURDAY_10AM } as const;

function conversationFor(transcript: z.infer<typeof transcriptSchema>) {
  const start = CLOCKS[transcript.clock ?? 'in_hours'];
  if (transcript.desk) return deskConversation({ start }).conversation;
  return transcript.clock ? noDeskConversation(start).conversation : memoryConversation().conversation;
}

const dir = 'flows/transcripts';
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('conversation transcripts', () => {
  it('exist for every flow', () => {
    const flows = readdirSync('flows').filter((f) => f.endsWith('.yaml') && f !== 'commands.yaml').map((f) => f.replace('.yaml', ''));
    for (const flow of flows) expect(files.some((f) => f.startsWith(`${flow}.`)), `no transcript for flow ${flow}`).toBe(true);
  });

  for (const file of files) {
    const transcript = transcriptSchema.parse(parse(readFileSync(join(dir, file), 'utf8')));
    it(`${file}: ${transcript.name}`, async () => {
      const conversation = conversationFor(transcript);
      const id = `t-${file}`;
      for (const [i, turn] of transcript.turns.entries()) {
        const handled = await conversation.handleInbound(textFrom(id, turn.user, transcript.channel));
        const where = `${file} turn ${i + 1} ("${turn.user}")`;
        const text = handled.replies.map((r) => stripMarkup(r.text)).join('\n');
        const choices = handled.replies.flatMap((r) => r.choices ?? []).map((c) => c.label);
        const links = handled.replies.flatMap((r) => r.links ?? []).map((l) => l.url);
        expect(handled.status, where).toBe('ok');
        if (turn.silent) expect(handled.replies, where).toEqual([]);
        else expect(handled.replies.length, `${where}: no reply`).toBeGreaterThan(0);
        for (const fragment of turn.says) expect(text, `${where}: should say "${fragment}"`).toContain(fragment);
        for (const fragment of turn.mentions) expect(`${text}\n${choices.join('\n')}`, `${where}: should mention "${fragment}"`).toContain(fragment);
        for (const fragment of turn.not_says) expect(text, `${where}: should not say "${fragment}"`).not.toContain(fragment);
        for (const label of turn.choices) expect(choices.join(' | '), `${where}: choice "${label}"`).toContain(label);
        for (const url of turn.links) expect(links.join(' '), `${where}: link ${url}`).toContain(url);
      }
    });
  }
});
