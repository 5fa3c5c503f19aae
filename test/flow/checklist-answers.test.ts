/**
 * Walk-through 2026-12, item 1: the checklist is answered in words, not only with buttons. Over
 * every catalog entry, at its first question:
 *  - "không biết", "chưa rõ", "để em hỏi lại"… keep the checklist going (never the finder's "not
 *    found", never another procedure), and the summary lists that document (or the documents of
 *    that condition) as to be asked at the desk: never as had, and never "đã có đủ".
 *  - the polite ways of saying yes or no ("dạ có", "có rồi ạ", "vâng", "dạ chưa", "em chưa có ạ")
 *    do exactly what the button does.
 *  - words that answer nothing ("hôm qua trời mưa") ask the same question again.
 */
import { describe, expect, it } from 'vitest';
import { stripMarkup } from '../../src/channels/plain-text.js';
import type { CatalogEntry } from '../../src/catalog/types.js';
import type { Outbound } from '../../src/engine/messages.js';
import { realAssistant } from '../helpers/assistant.js';
import { drive, type Turn } from '../helpers/drive.js';

const UNSURE = ['không biết', 'chưa rõ', 'để em hỏi lại', 'dạ em không biết ạ', 'ko bt', 'chưa chắc', 'không nhớ', 'để tôi hỏi lại đã', 'hỏi lại sau'];
const YES = ['dạ có', 'có rồi ạ', 'vâng', 'em có rồi', 'có rồi em', 'dạ có ạ', 'vâng ạ'];
const NO = ['dạ chưa', 'chưa ạ', 'em chưa có ạ', 'dạ không', 'không ạ', 'chưa có đâu'];

const assistant = realAssistant();
const texts = assistant.texts;
const entries = assistant.catalog.entries.filter((e) => e.documents.some((d) => !d.on_request));

function firstQuestion(entry: CatalogEntry) {
  const chat = drive(assistant.engine);
  chat.send({ kind: 'start', text: entry.id });
  const turn = chat.press('checklist');
  return { chat, turn };
}

const last = (turn: Turn) => turn.replies.at(-1) as Outbound;
const ids = (turn: Turn) => (last(turn).choices ?? []).map((c) => c.id);
const isQuestion = (turn: Turn) => ids(turn).includes('have') || (ids(turn).includes('yes') && ids(turn).includes('no'));
const isSummary = (turn: Turn) => ids(turn).includes('checklist') && ids(turn).includes('online');
const inChecklist = (turn: Turn) => turn.session.frames.some((f) => f.flow === 'checklist');
const plain = (turn: Turn) => turn.replies.map((r) => stripMarkup(r.text)).join('\n');

/** Presses "have" / "no" until the checklist ends; returns the summary. */
function finish(chat: ReturnType<typeof drive>, turn: Turn): string {
  for (let i = 0; i < 60 && !isSummary(turn); i++) {
    expect(isQuestion(turn), `not a checklist question: ${last(turn).text}`).toBe(true);
    turn = chat.press(ids(turn).includes('have') ? 'have' : 'no');
  }
  expect(isSummary(turn)).toBe(true);
  return plain(turn);
}

/** The summary's section of documents to ask about, as bullet lines. */
function unsureBullets(summary: string): string[] {
  const title = stripMarkup(texts.get('checklist_parts.unsure_title') ?? '@@none').split('{{')[0]!;
  const at = summary.indexOf(title);
  if (at < 0) return [];
  const lines = summary.slice(at).split('\n').slice(1);
  const bullets: string[] = [];
  for (const l of lines) {
    if (!l.startsWith('- ')) break;
    bullets.push(l.slice(2));
  }
  return bullets;
}

describe('"không biết" in the checklist', () => {
  for (const entry of entries) {
    it(`${entry.id}: keeps the checklist going and lists the paper as to ask about`, () => {
      for (const phrase of UNSURE) {
        const { chat, turn: first } = firstQuestion(entry);
        const condition = !ids(first).includes('have');
        const turn = chat.send(phrase);
        const where = `${entry.id}, "${phrase}" at ${stripMarkup(last(first).text)}`;
        expect(plain(turn), where).not.toContain('chưa thấy thủ tục');
        expect(ids(turn), where).not.toContain('none');
        expect(inChecklist(turn) || isSummary(turn), `${where}: left the checklist`).toBe(true);
        expect(isQuestion(turn) || isSummary(turn), `${where}: ${last(turn).text}`).toBe(true);
        // Not counted as "có": the same document is not asked again, and the summary lists it.
        const summary = finish(chat, turn);
        expect(summary, where).not.toContain(stripMarkup(texts.get('checklist_parts.complete')!));
        const bullets = unsureBullets(summary);
        if (condition) {
          const cond = entry.conditions!.find((c) => stripMarkup(last(first).text).includes(c.ask))!;
          const names = entry.documents.filter((d) => d.if === cond.id).map((d) => d.name.replace(/\)$/, ''));
          for (const n of names) expect(bullets.some((b) => b.startsWith(n)), `${where}: "${n}" not listed in ${JSON.stringify(bullets)}`).toBe(true);
        } else {
          const line = stripMarkup(last(first).text).split('\n').find((l) => /^\d+\/\d+ /.test(l)) ?? '';
          const name = line.replace(/^\d+\/\d+ /, '');
          expect(bullets.some((b) => name.startsWith(b.split(' (')[0]!)), `${where}: "${name}" not listed in ${JSON.stringify(bullets)}`).toBe(true);
        }
      }
    });
  }
});

describe('polite answers do what the buttons do', () => {
  for (const entry of entries) {
    it(`${entry.id}: "dạ có", "dạ chưa"…`, () => {
      const { turn: first } = firstQuestion(entry);
      const condition = !ids(first).includes('have');
      for (const [phrases, button] of [
        [YES, condition ? 'yes' : 'have'],
        [NO, condition ? 'no' : 'lack'],
      ] as const) {
        const pressed = firstQuestion(entry).chat.press(button);
        for (const phrase of phrases) {
          const typed = firstQuestion(entry).chat.send(phrase);
          expect(plain(typed), `${entry.id}: "${phrase}" is not "${button}"`).toBe(plain(pressed));
          expect(typed.session.vars.answers).toEqual(pressed.session.vars.answers);
        }
      }
    });
  }
});

describe('words that answer nothing', () => {
  it.each(entries.map((e) => e.id))('%s: the question comes again, the checklist stays', (id) => {
    const entry = entries.find((e) => e.id === id)!;
    const { chat, turn: first } = firstQuestion(entry);
    const turn = chat.send('hôm qua trời mưa');
    expect(inChecklist(turn)).toBe(true);
    expect(plain(turn)).not.toContain('chưa thấy thủ tục');
    const question = stripMarkup(last(first).text).split('\n\n').at(-1)!;
    expect(stripMarkup(last(turn).text).endsWith(question), `${stripMarkup(last(turn).text)}\n is not\n${question}`).toBe(true);
    expect(plain(turn)).toContain(stripMarkup(texts.get('checklist.not_understood')!));
  });
});

/**
 * Walk-through 2026-12, item 8: a paper the desk provides (the tờ khai it has, the CC01 sheet the
 * officer prints, `at_desk`) was asked like any other and, answered "chưa có", listed as missing.
 */
describe('papers the desk provides', () => {
  const withDesk = assistant.catalog.entries.filter((e) => e.documents.some((d) => d.at_desk));
  it('the catalog marks some', () => expect(withDesk.length).toBeGreaterThan(0));
  it.each(withDesk.map((e) => e.id))('%s: never asked, never missing, named as provided', (id) => {
    const entry = withDesk.find((e) => e.id === id)!;
    const names = entry.documents.filter((d) => d.at_desk).map((d) => d.name.replace(/\)$/, ''));
    for (const button of ['have', 'lack'] as const) {
      const { chat, turn: first } = firstQuestion(entry);
      let turn = first;
      const asked: string[] = [];
      for (let i = 0; i < 60 && !isSummary(turn); i++) {
        asked.push(stripMarkup(last(turn).text));
        turn = chat.press(ids(turn).includes('have') ? button : 'yes');
      }
      for (const n of names) expect(asked.some((q) => q.includes(n)), `"${n}" asked`).toBe(false);
      const summary = plain(turn);
      const title = stripMarkup(texts.get('checklist_parts.at_desk') ?? '@@none');
      expect(summary).toContain(title);
      const afterTitle = summary.slice(summary.indexOf(title));
      for (const n of names) expect(afterTitle, `"${n}" not named as provided`).toContain(n);
      const missingPart = summary.slice(0, summary.indexOf(title));
      for (const n of names) expect(missingPart, `"${n}" listed as missing`).not.toContain(n);
    }
  });
});
