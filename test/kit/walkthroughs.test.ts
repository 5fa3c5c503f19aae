/**
 * Issue 14: every scripted walkthrough of the community kit, played through the real flows and
 * catalog turn by turn, shows the audience what the script says it will.
 */
import { describe, expect, it } from 'vitest';
import { stripMarkup } from '../../src/channels/plain-text.js';
import { WALKTHROUGHS } from '../../src/kit/walkthroughs.js';
import { assistantOn, drive } from '../helpers/drive.js';

const assistant = assistantOn('content', { desk: true });

describe('demo walkthroughs', () => {
  it('there are five, each with its own id', () => {
    expect(WALKTHROUGHS).toHaveLength(5);
    expect(new Set(WALKTHROUGHS.map((w) => w.id)).size).toBe(5);
  });
  for (const walkthrough of WALKTHROUGHS) {
    it(`${walkthrough.id}: the audience sees what the script says`, () => {
      const chat = drive(assistant.engine);
      for (const turn of walkthrough.turns) {
        const replies = chat.send(turn.kind === 'start' ? { kind: 'start', text: turn.type } : { kind: 'text', text: turn.type }).replies;
        const seen = replies.map((r) => `${stripMarkup(r.text)}\n${(r.choices ?? []).map((c) => c.label).join('\n')}`).join('\n');
        for (const words of turn.sees) expect(seen, `${walkthrough.id} · "${turn.type}"`).toContain(words);
      }
    });
  }
});
