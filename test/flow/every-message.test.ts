/**
 * Issue 9, item 11 (and the small things of item 12), generated: walks every flow from the
 * greeting and every catalog entry from its card — pressing every choice shown, answering every
 * question with a valid and an invalid answer, and sending free-text probes (small talk, vague
 * words, emergencies, out-of-scope questions, every entry's name) — over the real catalog and a
 * fixture with conditional documents and cases. Every message the assistant sends must keep the
 * rules of test/helpers/message-rules.ts: at most 1,000 characters as Zalo shows it, no
 * "undefined", no `{{`, no broken markup, no English, no choice twice... The same walk is made in
 * English (from "/lang en", with English probes and every entry's English name): the same rules,
 * but no Vietnamese left outside brackets and quotes; on the real catalog nothing says "not
 * translated yet", and on the fixture (entries without `en:`) every message that shows
 * Vietnamese says so.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { TurnInput } from '../../src/engine/engine-types.js';
import type { Outbound } from '../../src/engine/messages.js';
import type { Json, Session } from '../../src/engine/session.js';
import type { Assistant } from '../../src/load-assistant.js';
import { CONDITIONAL_CATALOG, makeAssistantContentDir } from '../catalog/catalog-fixture.js';
import { assistantOn, drive } from '../helpers/drive.js';
import { messageProblems } from '../helpers/message-rules.js';

/** Typed answers for `ask` steps, by input test: one valid, one not. */
const ASK_ANSWERS: Record<string, string[]> = {
  text: ['làm giấy khai sinh cho con', '?'],
  phone: ['0912 345 678', '123'],
  cccd: ['012345678901', '12'],
  date: ['05/09/2026', 'mai'],
  number: ['3', 'ba mươi'],
  yes_no: ['có', 'hừm'],
  choice: ['1', 'zzz'],
};

/** Free text sent at the main menu. */
const PROBES = [
  'cảm ơn', 'cam on ban nhieu nhe', 'alo', 'ok', 'chào em', 'bạn là ai', 'tạm biệt',
  'bảo hiểm', 'đất', 'giấy tờ nhà', 'xe', 'hộ tịch',
  'nhà tôi đang bị cháy', 'co nguoi bi thuong', 'có trộm vào nhà',
  'giá vàng hôm nay', 'dự báo thời tiết ngày mai', 'nop truc tiep', 'khai sinh', 'chứng thực',
  'trợ giúp', 'quay lại', 'xóa dữ liệu', 'gặp cán bộ', 'bắt đầu lại', '😀',
];

/** Free text sent at the main menu of an English conversation. */
const ENGLISH_PROBES = [
  'thank you', 'hello', 'who are you', 'weather tomorrow', 'price of gold today', 'insurance', 'land',
  'my house is on fire', 'help', 'back', 'erase my data', 'talk to a person', 'start over', 'Tiếng Việt',
  'How can I get a birth certificate for my son?', 'police clearance certificate', 'renew my passport',
];

const MAX_STATES = 40_000;

/**
 * Problems in the catalog's own text that are known and reported to the catalog reviewers rather
 * than hidden by code (none today). Any other problem fails; an entry of this list that no longer
 * occurs is printed, to be removed.
 */
const KNOWN_CONTENT_PROBLEMS: string[] = [];


interface Reached {
  states: number;
  flows: Set<string>;
  /** `flow.step` where some question waited, per procedure. */
  steps: Set<string>;
  problems: string[];
  /** English messages that said some text is not translated yet. */
  untranslated: number;
}

/** What makes two states the same for the walk: where it is and what decides what comes next. */
function signature(s: Session): string {
  return JSON.stringify([s.lang ?? null, signatureOf(s)]);
}

function signatureOf(s: Session): string {
  const v = s.vars;
  const answers = Array.isArray(v.answers) ? (v.answers as string[]) : [];
  const counts = ['have', 'lack', 'na', 'yes', 'no'].map((a) => answers.filter((x) => x === a).length).join(',');
  const inFind = s.frames.some((f) => f.flow === 'find');
  const keep: Record<string, Json | undefined> = { p: v.procedure_id, c: v.case_id, cc: v.case_choices, a: counts, f: inFind ? v.found : undefined };
  return JSON.stringify([s.frames, s.waiting, keep]);
}

function walk(assistant: Assistant, label: string, options: { english?: boolean; allowUntranslated?: boolean } = {}): Reached {
  const { engine, flowSet, phrasebook, texts } = assistant;
  const en = assistant.translations.get('en');
  const unit = assistant.catalog.unit;
  // Kept in Vietnamese on purpose: the unit's names, the legal texts cited, the item that switches to Vietnamese.
  const names = [
    unit.name, unit.short_name, unit.address, unit.desk, ...Object.values(unit.en ?? {}).filter((v): v is string => typeof v === 'string'), ...(unit.former_names ?? []),
    ...assistant.catalog.entries.flatMap((e) => e.legal_basis),
    // A procedure's and a case's own name, where `en:` lacks it: a name, and a label (no note on buttons).
    ...assistant.catalog.entries.flatMap((e) => [e.name, ...(e.cases ?? []).map((c) => c.name)]),
    ...['menu.language', 'language.vietnamese'].map((key) => en?.get(key) ?? ''),
  ];
  const untranslatedNotes = [en?.get('system.untranslated'), en?.get('card_parts.untranslated')].filter((n): n is string => Boolean(n));
  const hedges = phrasebook.checks.hedges;
  const unverifiedHeader = texts.get('card_parts.unverified');
  const labels = [...flowSet.flows.values()].flatMap((f) =>
    [...f.steps.values()].flatMap((st) => (st.type === 'menu' ? (st.props as { choices: { label: string }[] }).choices.map((c) => texts.get(c.label) ?? '') : [])),
  );
  const englishLabels = [...flowSet.flows.values()].flatMap((f) =>
    [...f.steps.values()].flatMap((st) => (st.type === 'menu' ? (st.props as { choices: { label: string }[] }).choices.map((c) => en?.get(c.label) ?? '') : [])),
  );
  const reached: Reached = { states: 0, flows: new Set(), steps: new Set(), problems: [], untranslated: 0 };
  const seen = new Set<string>();
  const queue: { session: Session; last: Outbound | undefined; path: string[] }[] = [];

  const known = new Set<string>();
  const record = (replies: Outbound[], path: string[], lang: string | undefined) => {
    for (const reply of replies) {
      const rules = lang === 'en' ? { language: 'en' as const, names, untranslatedNotes, labels: englishLabels } : { hedges, labels, unverifiedHeader };
      const problems = messageProblems(reply, rules);
      if (lang === 'en') {
        const noted = untranslatedNotes.some((note) => reply.text.includes(note));
        if (noted) reached.untranslated += 1;
        if (noted && !options.allowUntranslated) problems.push('says a text is not translated yet: write its English');
      }
      // The menu item that switches language is written in the other one on purpose.
      for (const problem of problems.filter((p) => !p.includes('English word "english"'))) {
        // Each problem of each message once, with the first path that shows it.
        const key = `${problem} ${reply.text.slice(0, 80)}`;
        if (known.has(key) || reached.problems.length >= 60) continue;
        known.add(key);
        reached.problems.push(`${label} · ${path.join(' → ')}: ${problem}\n    «${reply.text.slice(0, 160).replace(/\n/g, ' ⏎ ')}»`);
      }
    }
  };
  const step = (session: Session | null, input: TurnInput, path: string[]) => {
    const chat = drive(engine, session ? structuredClone(session) : null);
    const turn = chat.send(input);
    record(turn.replies, path, turn.session.lang);
    for (const e of turn.events) if (e.type === 'flow_entered') reached.flows.add(e.flow);
    const key = signature(turn.session);
    // A walk stays in its language: the switch's own messages are checked, not the other walk.
    if ((turn.session.lang === 'en') !== (options.english === true)) return;
    if (seen.has(key) || turn.session.frames.length === 0) return;
    seen.add(key);
    queue.push({ session: turn.session, last: turn.replies.at(-1), path });
  };

  if (options.english) {
    // An English conversation: "/lang en" first, then the same starts in English.
    const first = drive(engine).send('/lang en');
    record(first.replies, ['/lang en'], first.session.lang);
    const root = first.session;
    seen.add(signature(root));
    queue.push({ session: root, last: first.replies.at(-1), path: ['/lang en'] });
    for (const probe of ENGLISH_PROBES) step(root, { kind: 'text', text: probe }, ['/lang en', probe]);
    for (const entry of assistant.catalog.entries) {
      step(root, { kind: 'start', text: entry.id }, ['/lang en', `/start ${entry.id}`]);
      step(root, { kind: 'text', text: entry.en?.name ?? entry.name }, ['/lang en', entry.en?.name ?? entry.name]);
    }
  } else {
    step(null, { kind: 'start' }, ['/start']);
    const root = queue[0]!.session;
    for (const probe of PROBES) step(root, { kind: 'text', text: probe }, ['/start', probe]);
    for (const entry of assistant.catalog.entries) {
      step(null, { kind: 'start', text: entry.id }, [`/start ${entry.id}`]);
      step(root, { kind: 'text', text: entry.name }, ['/start', entry.name]);
    }
  }

  while (queue.length > 0) {
    if (++reached.states > MAX_STATES) throw new Error(`${label}: more than ${MAX_STATES} states; the walk's signature is too fine`);
    const { session, last, path } = queue.shift()!;
    const frame = session.frames.at(-1)!;
    const def = flowSet.flows.get(frame.flow)?.steps.get(frame.step);
    if (!def || !session.waiting) continue;
    const first = !reached.steps.has(`${frame.flow}.${frame.step}`);
    reached.steps.add(`${frame.flow}.${frame.step}`);
    const deeper = (what: string) => [...path.slice(-6), what];
    if (def.type === 'menu') {
      for (const choice of last?.choices ?? []) step(session, { kind: 'choice', choiceId: choice.id }, deeper(choice.label));
      // A number not on the list, once per question: the answer is the same everywhere.
      if (first) step(session, { kind: 'text', text: '99' }, deeper('99'));
    } else if (def.type === 'ask') {
      const test = (def.props as { test: { type: string } }).test.type;
      for (const answer of ASK_ANSWERS[test] ?? ['?']) step(session, { kind: 'text', text: answer }, deeper(answer));
    }
  }
  return reached;
}

const fixture = makeAssistantContentDir(CONDITIONAL_CATALOG);
afterAll(() => fixture.remove());

describe('every message the assistant sends', () => {
  const cases: [string, () => Assistant, string[]][] = [
    ['the real flows and catalog', () => assistantOn('content'), ['card.actions', 'checklist.document', 'checklist.condition', 'find.confirm', 'find.topic', 'find.clarify', 'find.describe_again', 'main.ask_query']],
    // With a staff desk, so the report flow's questions are walked too.
    ['the real flows on a fixture catalog with conditions and cases, with a staff desk', () => assistantOn(fixture.dir, { desk: true }), ['card.actions', 'card.pick_case', 'checklist.document', 'checklist.condition', 'checklist.optional', 'find.confirm', 'report.describe', 'report.phone']],
  ];
  for (const [label, load, required] of cases) {
    it(`keeps the message rules, over ${label}`, () => {
      const assistant = load();
      const reached = walk(assistant, label);
      const unknown = reached.problems.filter((p) => !KNOWN_CONTENT_PROBLEMS.some((k) => p.includes(k)));
      const stale = KNOWN_CONTENT_PROBLEMS.filter((k) => !reached.problems.some((p) => p.includes(k)));
      if (stale.length > 0 && label.startsWith('the real flows and')) console.warn(`fixed, remove from KNOWN_CONTENT_PROBLEMS: ${stale.join('; ')}`);
      expect(unknown, unknown.join('\n')).toEqual([]);
      // The walk reached every flow, and the questions that matter.
      expect([...reached.flows].sort()).toEqual([...assistant.flowSet.flows.keys()].sort());
      for (const step of required) expect(reached.steps, step).toContain(step);
      expect(reached.states).toBeGreaterThan(assistant.catalog.entries.length);
    });
  }

  it('keeps the message rules in English, over the real flows and catalog, and shows no untranslated text', () => {
    const assistant = assistantOn('content');
    const reached = walk(assistant, 'in English, the real flows and catalog', { english: true });
    expect(reached.problems, reached.problems.join('\n')).toEqual([]);
    expect([...reached.flows].sort()).toEqual([...assistant.flowSet.flows.keys()].sort());
    for (const step of ['card.actions', 'checklist.document', 'checklist.condition', 'find.confirm', 'find.describe_again', 'main.ask_query']) expect(reached.steps, step).toContain(step);
    expect(reached.untranslated).toBe(0);
  }, 120_000); // a walk over every flow and entry: some 12 s alone, over 30 s on a loaded 2-core machine

  it('in English over a catalog without English, shows the Vietnamese with the note, and keeps the rules', () => {
    const reached = walk(assistantOn(fixture.dir, { desk: true }), 'in English, a fixture catalog without en:', { english: true, allowUntranslated: true });
    expect(reached.problems, reached.problems.join('\n')).toEqual([]);
    for (const step of ['card.actions', 'card.pick_case', 'checklist.document', 'checklist.condition', 'report.describe']) expect(reached.steps, step).toContain(step);
    expect(reached.untranslated).toBeGreaterThan(0);
  });
});
