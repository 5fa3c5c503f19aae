/**
 * Issue 9, items 5 and 6, generated over every catalog entry (real and fixture): the online guide
 * is the entry's (or the case's) own steps in their order — after the login for a procedure — and
 * nothing after them; an entry with cases gives each case its own guide and level, on the card and
 * in the guide; and `flows check` flags an entry whose text contradicts its online level.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { stripMarkup } from '../../src/channels/plain-text.js';
import { checkContent, entryWarnings } from '../../src/catalog/check-content.js';
import { createEngineServices, hasFee } from '../../src/catalog/engine-services.js';
import { loadPhrasebook } from '../../src/catalog/load-phrasebook.js';
import type { CatalogEntry } from '../../src/catalog/types.js';
import type { Json } from '../../src/engine/session.js';
import type { Assistant } from '../../src/load-assistant.js';
import { assistantOn } from '../helpers/drive.js';
import { CONDITIONAL_CATALOG, makeAssistantContentDir, REAL_CONTENT_DIR } from './catalog-fixture.js';

const fixture = makeAssistantContentDir(CONDITIONAL_CATALOG);
afterAll(() => fixture.remove());

type Data = { parts: string[]; url: string };
/** All the messages of an answer. */
const textOf = (data: Json | undefined) => ((data as Data).parts ?? [(data as unknown as { text: string }).text]).join('\n');
const services = new WeakMap<Assistant, ReturnType<typeof createEngineServices>>();
/** Calls a service the flows call, built from the assistant's own catalog, finder, texts and phrasebook. */
const call = (a: Assistant, name: string, args: Record<string, Json>) => {
  let built = services.get(a);
  if (!built) services.set(a, (built = createEngineServices(a)));
  return built[name as keyof typeof built](args, {});
};

/** The numbered lines of a guide, without their numbers, and what comes after the last one. */
function numbered(text: string): { steps: string[]; after: string[] } {
  const lines = stripMarkup(text).split('\n');
  let last = -1;
  lines.forEach((l, i) => {
    if (/^\d+\. /.test(l)) last = i;
  });
  return { steps: lines.filter((l) => /^\d+\. /.test(l)).map((l) => l.replace(/^\d+\. /, '')), after: lines.slice(last + 1).filter(Boolean) };
}

for (const [label, load] of [
  ['the real catalog', () => assistantOn('content')],
  ['a fixture with cases', () => assistantOn(fixture.dir)],
] as const) {
  describe(`online guides over ${label}`, () => {
    const assistant = load();
    const login = (entry: CatalogEntry, portal?: string) =>
      stripMarkup(assistant.texts.get('card_parts.online_login')!.replace('{{portal}}', portal ?? entry.online.portal ?? assistant.texts.get('card_parts.default_portal')!));
    for (const entry of assistant.catalog.entries) {
      const variants = [undefined, ...(entry.cases ?? [])];
      it(`${entry.id}: ${entry.cases ? 'each case has its own guide: ' : ''}the entry's own steps in order, nothing after them`, () => {
        for (const c of variants) {
          // A case's own online text, with the entry's portal link when it gives none.
          const own = c?.online ?? entry.online;
          const online = { ...own, url: own.url ?? entry.online.url, portal: own.portal ?? entry.online.portal, link: own.url ? own.link : entry.online.link };
          const result = call(assistant, 'procedure.online', { id: entry.id, ...(c ? { case: c.id } : {}) });
          const where = `${entry.id}${c ? ` / ${c.id}` : ''}`;
          if (online.level === 'none' || !online.url) {
            expect(result.outcome, where).toBe('offline');
            continue;
          }
          const data = result.data as Data;
          expect(data.url, where).toBe(online.url);
          const text = textOf(result.data);
          const { steps, after } = numbered(text);
          const expected = [...(entry.kind === 'procedure' ? [login(entry, online.portal)] : []), ...(online.steps ?? []).map(stripMarkup)];
          expect(steps, `${where}: the numbered steps`).toEqual(expected);
          // After the last step only notes: the partial-level note, what the link opens, the entry's
          // notes, the case's fee and time.
          const opens = online.link && online.link.opens !== 'procedure' && entry.kind === 'procedure' ? stripMarkup(assistant.texts.get(`card_parts.online_opens_${online.link.opens}`)!).split('{{')[0] : undefined;
          const allowed = [
            online.level === 'partial' ? stripMarkup(assistant.texts.get('card_parts.online_partial_note')!) : undefined,
            opens,
            online.notes,
            hasFee(entry) ? stripMarkup(assistant.texts.get('card_parts.online_fee_payment')!) : undefined,
            c?.fee_summary,
            c?.processing_time,
          ].filter((s): s is string => Boolean(s));
          for (const line of after) expect(allowed.some((a) => line.includes(a)), `${where}: "${line}" after the last step`).toBe(true);
          if (c) expect(text, where).toContain(c.name);
        }
      });
      if (entry.cases?.length) {
        it(`${entry.id}: the card gives each case's online level, and the flow asks the case before the guide`, () => {
          const card = textOf(call(assistant, 'procedure.card', { id: entry.id }).data);
          for (const c of entry.cases!) {
            // What the card says of the case is what its guide does: a guide when it says online.
            const guide = call(assistant, 'procedure.online', { id: entry.id, case: c.id }).outcome;
            const level = guide === 'online' ? (c.online ?? entry.online).level : 'none';
            expect(stripMarkup(card), c.id).toContain(`${c.name}: ${stripMarkup(assistant.texts.get(`card_parts.level_${level}`)!)}`);
            expect(guide, `${c.id}: a case the catalog files online gets its guide`).toBe((c.online ?? entry.online).level === 'none' ? 'offline' : 'online');
          }
          const cases = call(assistant, 'procedure.cases', { id: entry.id });
          expect(cases.data).toEqual({ choices: entry.cases!.map((c) => ({ id: c.id, label: c.name })) });
        });
      }
    }
  });
}

describe('flows check on online text that contradicts the online level', () => {
  const { phrasebook } = loadPhrasebook(REAL_CONTENT_DIR);
  const ours = (found: { message: string }[]) => found.filter((w) => /online\.level|hearsay/.test(w.message));

  it('flags a partial entry whose notes say it is done wholly online (the căn cước card of issue 9)', () => {
    const entry = assistantOn(fixture.dir).catalog.byId.get('theo-truong-hop') as CatalogEntry;
    const flagged = ours(entryWarnings({ ...entry, cases: undefined, online: { ...entry.online, notes: 'Cấp lại thẻ do mất làm được toàn bộ trực tuyến.' } }, phrasebook.checks));
    expect(flagged).toEqual([expect.objectContaining({ path: ['online', 'notes'], message: expect.stringContaining('"toàn bộ trực tuyến" but online.level is partial') })]);
  });

  it('accepts the same words once the entry has cases with their own levels, and reads negations', () => {
    const entry = assistantOn(fixture.dir).catalog.byId.get('theo-truong-hop') as CatalogEntry;
    const withCases = { ...entry, cases: entry.cases!.map((c) => (c.id === 'mat-the' ? { ...c, notes: ['Làm được toàn bộ trực tuyến, không phải đến nơi.'] } : c)) };
    expect(ours(entryWarnings(withCases, phrasebook.checks))).toEqual([]);
    const negated = { ...entry, cases: undefined, online: { ...entry.online, level: 'none' as const, notes: 'Hộ nghèo được xét qua rà soát nên không giải quyết hoàn toàn trực tuyến.' } };
    expect(ours(entryWarnings(negated, phrasebook.checks))).toEqual([]);
    const full = { ...entry, cases: undefined, online: { ...entry.online, level: 'full' as const, notes: 'Sau đó vẫn phải đến Công an để chụp ảnh.' } };
    expect(ours(entryWarnings(full, phrasebook.checks))).toEqual([expect.objectContaining({ message: expect.stringContaining('"vẫn phải đến" but online.level is full') })]);
  });

  it('flags hearsay ("được cho là") in what the citizen reads', () => {
    const entry = assistantOn(fixture.dir).catalog.byId.get('giay-to-dieu-kien') as CatalogEntry;
    const rumour = { ...entry, notes: ['Giấy này được cho là không còn phải nộp từ 01/01/2026.'] };
    expect(ours(entryWarnings(rumour, phrasebook.checks))).toEqual([expect.objectContaining({ path: ['notes', 0], message: expect.stringContaining('hearsay') })]);
  });
});

describe('the real catalog', () => {
  it('has no entry whose online text contradicts its level, and no hearsay', () => {
    const { warnings } = checkContent(REAL_CONTENT_DIR, { today: new Date(), maxAgeDays: 100_000 });
    expect(warnings.filter((w) => /online\.level|hearsay/.test(w.message))).toEqual([]);
  });
});
