/**
 * Sample unit data is marked wherever a citizen reads it: generated over every text in
 * content/texts.yaml that shows the unit's address, a hotline or the office hours, plus the
 * in-person card; the one switch (`sample_data: false`) removes every marker.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConversation } from '../../src/conversation/handle-inbound.js';
import { hotlineOnlyHandoff } from '../../src/conversation/handoff-port.js';
import { silentLogger } from '../../src/conversation/logger.js';
import { loadAssistant, type Assistant } from '../../src/load-assistant.js';
import { createMemorySessionStore } from '../../src/store/memory-session-store.js';
import { realAssistant, textFrom } from '../helpers/assistant.js';
import { REAL_CONTENT_DIR, entryYaml, makeContentDir, type ContentDir } from './catalog-fixture.js';

/** The unit fields that hold sample data, and the marker each carries. */
const SAMPLE_FIELDS: [RegExp, RegExp][] = [
  [/\{\{\s*unit\.hotlines\./, /số mẫu, chưa xác nhận/],
  [/\{\{\s*unit\.address\s*\}\}/, /địa chỉ mẫu, chưa xác nhận/],
  [/\{\{\s*unit\.office_hours\./, /giờ mẫu, chưa xác nhận/],
];

const textsShowing = (assistant: Assistant) =>
  [...assistant.texts.entries()].flatMap(([key, template]) => SAMPLE_FIELDS.filter(([uses]) => uses.test(template)).map(([, marker]) => ({ key, marker })));

/** The in-person card of khai sinh, reached as a citizen reaches it. */
async function officeCard(assistant: Assistant): Promise<string> {
  const store = createMemorySessionStore({ sessionTtlSeconds: 3600, dedupeTtlSeconds: 3600 });
  const conversation = createConversation({ engine: assistant.engine, store, handoff: hotlineOnlyHandoff, log: silentLogger });
  let last = '';
  for (const text of ['/start khai-sinh', 'Nộp trực tiếp']) last = (await conversation.handleInbound(textFrom('office-card', text))).replies.map((r) => r.text).join('\n');
  await store.close();
  return last;
}

let content: ContentDir | undefined;
afterEach(() => content?.remove());

describe('sample unit data', () => {
  const assistant = realAssistant();
  const cases = textsShowing(assistant);

  it('is shown by several texts (the generated cases below are not empty)', () => {
    expect(new Set(cases.map((c) => c.key)).size).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('$key says its sample value is a sample', ({ key, marker }) => {
    expect(assistant.catalog.unit.sample_data).toBe(true);
    expect(assistant.engine.text(key, { _former: { old: 'Phường 9', since: '01/07/2025' } })).toMatch(marker);
  });

  it('is marked in the in-person card, once per value', async () => {
    const text = await officeCard(assistant);
    expect(text).toContain('Nộp trực tiếp');
    expect(text).toMatch(/địa chỉ mẫu, chưa xác nhận/);
    expect(text).toMatch(/giờ mẫu, chưa xác nhận/);
    expect(text.match(/mẫu, chưa xác nhận/g)).toHaveLength(2);
  });

  it('loses every marker when the ward sets sample_data: false', async () => {
    content = makeContentDir({ 'khai-sinh.yaml': entryYaml('khai-sinh', { name: 'Đăng ký khai sinh' }) });
    copyFileSync(join(REAL_CONTENT_DIR, 'texts.yaml'), join(content.dir, 'texts.yaml'));
    const unitPath = join(content.dir, 'unit.yaml');
    writeFileSync(unitPath, readFileSync(unitPath, 'utf8').replace('sample_data: true', 'sample_data: false'));
    const { assistant: confirmed, problems } = loadAssistant({ flowsDir: 'flows', contentDir: content.dir, sessionTtlSeconds: 86_400 });
    expect(problems).toEqual([]);
    for (const { key } of textsShowing(confirmed!)) expect(confirmed!.engine.text(key, { _former: { old: 'Phường 9', since: '01/07/2025' } }), key).not.toMatch(/mẫu, chưa xác nhận/);
    const office = await officeCard(confirmed!);
    expect(office).toContain(confirmed!.catalog.unit.address);
    expect(office).not.toMatch(/mẫu/);
  });
});
