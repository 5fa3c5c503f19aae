/**
 * Issue 15, English for foreign residents: content/texts.en.yaml has every key of
 * content/texts.yaml, states the same numbers and reads only the values its Vietnamese text reads;
 * `flows check` refuses an English key texts.yaml lacks and lists the keys a language lacks; and a
 * text missing in English is shown in Vietnamese with the one-line note (a button's label without
 * it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../../src/channels/cli/run-cli.js';
import { loadTexts } from '../../src/flow/load-texts.js';
import { loadTranslations } from '../../src/flow/load-translations.js';
import { formatProblem } from '../../src/flow/yaml-source.js';
import { CONDITIONAL_CATALOG, makeAssistantContentDir, REAL_CONTENT_DIR, type ContentDir } from '../catalog/catalog-fixture.js';
import { assistantOn, drive } from '../helpers/drive.js';

let content: ContentDir | undefined;
afterEach(() => {
  content?.remove();
  content = undefined;
});

/** A content folder with the real texts, and texts.en.yaml changed by `edit`. */
function withEnglish(edit: (en: Record<string, any>) => void): ContentDir {
  const dir = makeAssistantContentDir(CONDITIONAL_CATALOG);
  const en = parse(readFileSync(join(REAL_CONTENT_DIR, 'texts.en.yaml'), 'utf8')) as Record<string, any>;
  edit(en);
  writeFileSync(join(dir.dir, 'texts.en.yaml'), stringify(en, { lineWidth: 0 }));
  return dir;
}

async function flowsCheck(dir: string) {
  const output = new PassThrough();
  let out = '';
  output.on('data', (d) => (out += String(d)));
  const code = await runCli(['flows', 'check', '--content', dir], { input: new PassThrough(), output, errors: new PassThrough() }, { flowsDir: 'flows', contentDir: dir, sessionTtlSeconds: 3600 });
  return { code, out };
}

describe('content/texts.en.yaml', () => {
  it('has every key of texts.yaml, and no problem', () => {
    const { texts, lines } = loadTexts(REAL_CONTENT_DIR);
    const { translations, problems, missing } = loadTranslations(REAL_CONTENT_DIR, texts, lines);
    expect(problems.map(formatProblem)).toEqual([]);
    expect(missing.map((m) => m.key)).toEqual([]);
    expect([...(translations.get('en')?.keys() ?? [])].sort()).toEqual([...texts.keys()].sort());
  });

  it('refuses a key texts.yaml lacks, other numbers, and a value the Vietnamese text does not read', () => {
    content = withEnglish((en) => {
      en.menu.typo = 'A text nothing shows';
      en.emergency.numbers = en.emergency.numbers.replace('**115**', '**911**');
      en.find.not_found = `${en.find.not_found} {{unit.hotlines.business}}`;
    });
    const { texts, lines } = loadTexts(content.dir);
    const messages = loadTranslations(content.dir, texts, lines).problems.map(formatProblem).join('\n');
    expect(messages).toMatch(/texts\.en\.yaml:\d+:\d+ \[menu\.typo\]: "menu\.typo" is not a key of texts\.yaml/);
    expect(messages).toMatch(/\[emergency\.numbers\]: states other numbers than texts\.yaml \(113 114 911; texts\.yaml: 113 114 115\)/);
    expect(messages).toMatch(/\[find\.not_found\]: reads \{\{unit\.hotlines\.business\}\}/);
  });

  it('makes flows check list the keys English lacks (and still pass), then fail on a wrong one', async () => {
    content = withEnglish((en) => {
      delete en.help.text;
      delete en.card.next;
    });
    const listed = await flowsCheck(content.dir);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^warning: .*texts\.yaml:\d+:1 \[card\.next\]: no text in texts\.en\.yaml \(shown in Vietnamese with a note\)$/m);
    expect(listed.out).toMatch(/^warning: .*texts\.yaml:\d+:1 \[help\.text\]: no text in texts\.en\.yaml/m);
    writeFileSync(join(content.dir, 'texts.en.yaml'), `${readFileSync(join(content.dir, 'texts.en.yaml'), 'utf8')}nonsense:\n  key: text\n`);
    const broken = await flowsCheck(content.dir);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/\[nonsense\.key\]: "nonsense\.key" is not a key of texts\.yaml/);
  });

  it('shows a text English lacks in Vietnamese with the one-line note, and a label without it', () => {
    content = withEnglish((en) => {
      delete en.help.text;
      delete en.menu.find;
    });
    const assistant = assistantOn(content.dir);
    const note = assistant.translations.get('en')?.get('system.untranslated') as string;
    const chat = drive(assistant.engine);
    const menu = chat.send('/lang en').replies.at(-1);
    // The label falls back to Vietnamese without the note; the other labels are English.
    expect(menu?.choices?.map((c) => c.label)).toEqual(expect.arrayContaining(['🔎 Tìm thủ tục', '💻 How to file online']));
    expect(menu?.text).not.toContain(note);
    const help = chat.send('help').replies.map((r) => r.text).join('\n');
    expect(help).toContain('Tôi giúp anh/chị tìm thủ tục hành chính');
    expect(help).toContain(note);
    // The rest is still English.
    expect(help).toContain('What do you need?');
  });
});
