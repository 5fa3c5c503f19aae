/**
 * @module The services the flows call (`call` steps): finding a procedure (with small talk, vague
 * topics and "file in person" recognised first), and turning a catalog entry into the short card,
 * its details, the online guide (per case), the in-person answer and the document checklist.
 * Synchronous and in memory, as the engine requires. Every label comes from content/texts.yaml
 * (`card_parts.*`, `checklist_parts.*`), every fact from the catalog entry. Long answers come back
 * as `parts`, each at most one phone screen, for a `say` step with `each`.
 */
import type { Service, ServiceMeta, ServiceResult } from '../engine/define-step.js';
import type { Texts } from '../engine/flow-types.js';
import type { Json } from '../engine/session.js';
import { render } from '../engine/template.js';
import { planChecklist, type ChecklistAnswer } from './checklist-plan.js';
import { createLanguageDetector } from './detect-language.js';
import { entryIn, type Area } from './entry-language.js';
import type { Catalog } from './load-catalog.js';
import { EMPTY_PHRASEBOOK, type Phrasebook } from './load-phrasebook.js';
import { createPhrasebookMatcher } from './phrasebook-matcher.js';
import { foldText } from './normalise-vietnamese.js';
import type { CatalogCase, CatalogDocument, CatalogEntry, Finder, OnlineInfo, Unit } from './types.js';

export const SERVICE_NAMES = [
  'find',
  'procedure.exists',
  'procedure.card',
  'procedure.details',
  'procedure.cases',
  'procedure.case_of',
  'procedure.online',
  'procedure.office',
  'checklist.next',
  'checklist.summary',
  'language.detect',
] as const;

/** The longest query sent to the finder; a citizen's essay is cut, not refused. */
const MAX_QUERY = 300;
/** How much of a query a "not found" quotes back. */
const QUOTE = 60;
/** The longest message the assistant sends: one phone screen (the Zalo rendering adds its choices). */
export const MESSAGE_LIMIT = 1000;
/** Room left in a message for the choices a channel without buttons lists under it. */
const CHOICES_ROOM = 200;
/** Candidates offered after a search (the best one is confirmed, the others are alternatives). */
const CANDIDATES = 4;
/** Entries offered for a vague topic word. */
const TOPIC_CHOICES = 6;

export interface EngineServicesDeps {
  catalog: Catalog;
  finder: Finder;
  /** The default language's texts (content/texts.yaml). */
  texts: Texts;
  phrasebook?: Phrasebook;
  /** Other languages' texts (content/texts.<lang>.yaml); a key a language lacks is the default's. */
  translations?: ReadonlyMap<string, Texts>;
  /** The unit as each other language shows it (its English desk and hours); else `catalog.unit`. */
  units?: Record<string, Unit>;
}

/**
 * The services, answering in the conversation's language (`meta.lang`): labels from that
 * language's texts, the entry's texts from its `en:` block (entry-language.ts), and a one-line
 * note (`card_parts.untranslated`) under an answer that shows some text in Vietnamese.
 */
export function createEngineServices(deps: EngineServicesDeps): Record<(typeof SERVICE_NAMES)[number], Service> {
  const { catalog, finder, texts } = deps;
  const matcher = createPhrasebookMatcher(deps.phrasebook ?? EMPTY_PHRASEBOOK, catalog);
  const detector = createLanguageDetector(catalog.entries);
  let lang = 'vi';
  const unit = () => deps.units?.[lang] ?? catalog.unit;
  const textIn = (key: string) => (lang !== 'vi' ? deps.translations?.get(lang)?.get(key) : undefined) ?? texts.get(key) ?? '';
  const part = (key: string, values: Record<string, unknown> = {}) => render(textIn(`card_parts.${key}`), { ...values, unit: unit() }).trim();
  const checklistPart = (key: string, values: Record<string, unknown> = {}) => render(textIn(`checklist_parts.${key}`), { ...values, unit: unit() }).trim();
  /** The entry in the conversation's language, and whether an answer in `area` needs the note. */
  let untranslated: ReadonlySet<Area> = new Set();
  let title = '';
  const entryOf = (args: Record<string, Json>): CatalogEntry | undefined => {
    const entry = typeof args.id === 'string' ? catalog.byId.get(args.id) : undefined;
    if (!entry) return undefined;
    const view = entryIn(entry, lang);
    untranslated = view.untranslated;
    title = view.title;
    return view.entry;
  };
  /** The note's section, for an answer in `area` that shows some Vietnamese text. */
  const noteFor = (area: Area): string[][] => (lang !== 'vi' && untranslated.has(area) ? [[part('untranslated')]] : []);
  const nameOf = (id: string): string => (lang === 'vi' ? catalog.byId.get(id)?.name : entryIn(catalog.byId.get(id) as CatalogEntry, lang).entry.name) ?? id;
  const caseOf = (entry: CatalogEntry, args: Record<string, Json>): CatalogCase | undefined =>
    typeof args.case === 'string' ? entry.cases?.find((c) => c.id === args.case) : undefined;
  const missing: ServiceResult = { ok: true, outcome: 'missing' };
  const date = (iso: string) => iso.split('-').reverse().join('/');
  const bullets = (items: string[]) => items.map((line) => `- ${line}`);
  const lines = (...items: (string | false | undefined)[]) => items.filter((s): s is string => Boolean(s)).join('\n');
  const asChoice = (e: { id: string; name: string }) => ({ id: e.id, label: catalog.byId.has(e.id) ? nameOf(e.id) : e.name });

  /**
   * "Tờ khai (theo mẫu, 2 bản)". Never brackets in brackets, nor two in a row: a name that ends in
   * brackets gets the details inside them, details with brackets of their own follow a colon.
   */
  const docName = (d: CatalogDocument) => {
    const detail = [d.form, d.count && d.count > 1 ? part('copies', { count: d.count }) : undefined].filter(Boolean).join(', ');
    if (!detail) return d.name;
    if (detail.includes('(')) return `${d.name}: ${detail}`;
    return d.name.endsWith(')') ? `${d.name.slice(0, -1)}, ${detail})` : `${d.name} (${detail})`;
  };
  const docLabel = (d: CatalogDocument) => (d.when ? part('doc_when', { doc: docName(d), when: d.when }) : docName(d));
  /**
   * How a case (or the entry) is filed online: the case's own level, steps and notes; the portal
   * link and name come from the entry when the case gives none. Without a link there is no guide
   * to give, so the card says what the guide will: not online.
   */
  const onlineOf = (entry: CatalogEntry, c?: CatalogCase): OnlineInfo => {
    const own = c?.online;
    if (!own) return entry.online;
    const portal = own.portal ?? entry.online.portal;
    const { url, link } = own.url ? own : entry.online;
    return { ...own, ...(url ? { url } : {}), ...(link ? { link } : {}), ...(portal ? { portal } : {}) };
  };
  /** Folded words with the catalog's abbreviations written out ("mất cccd" → "mat can cuoc cong dan"). */
  const abbreviations = new Map(Object.entries(catalog.synonyms.abbreviations).map(([k, v]) => [foldText(k), foldText(v[0] ?? k)]));
  const expand = (text: string) =>
    foldText(text)
      .split(' ')
      .map((w) => abbreviations.get(w) ?? w)
      .join(' ');
  const levelText = (online: OnlineInfo) => part(`level_${online.url ? online.level : 'none'}`);

  const services: Record<(typeof SERVICE_NAMES)[number], Service> = {
    /** Outcome `en` for a clearly English text, `vi` for Vietnamese (accents or not), `unknown`. */
    'language.detect'(args) {
      const text = typeof args.text === 'string' ? args.text.slice(0, MAX_QUERY) : '';
      const detected = detector.detect(text);
      return { ok: true, outcome: detected, data: { lang: detected } };
    },

    find(args): ServiceResult {
      const query = typeof args.query === 'string' ? args.query.slice(0, MAX_QUERY) : '';
      const smallTalk = matcher.smallTalk(query);
      if (smallTalk) return { ok: true, outcome: 'small_talk', data: { outcome: 'small_talk', kind: smallTalk } };
      if (matcher.inPerson(query)) return { ok: true, outcome: 'in_person', data: { outcome: 'in_person' } };
      // The finder itself answers nothing for a bare number ("1" typed at the wrong moment).
      const answer = finder.find(query);
      if (answer.outcome !== 'confident') {
        const topic = matcher.topic(query);
        if (topic) {
          return { ok: true, outcome: 'topic', data: { outcome: 'topic', topic: topic.label, candidates: topic.entries.slice(0, TOPIC_CHOICES).map(asChoice) } };
        }
      }
      if (answer.results.length === 0 || answer.outcome === 'none') return { ok: true, outcome: 'none', data: { outcome: 'none', quote: quoteOf(query) } };
      return {
        ok: true,
        outcome: answer.outcome,
        // Best first; the flow confirms the first and offers the others. Kept small: it is stored.
        data: { outcome: answer.outcome, candidates: answer.results.slice(0, CANDIDATES).map(asChoice) },
      };
    },

    'procedure.exists'(args) {
      return entryOf(args) ? { ok: true, outcome: 'found' } : missing;
    },

    /** The first message about a procedure: what it is, where, fee, time, online or not. */
    'procedure.card'(args) {
      const entry = entryOf(args);
      if (!entry) return missing;
      // The case the citizen's words named ("mất căn cước"): its own fee, time and online level.
      const named = caseOf(entry, args);
      const online = named
        ? part('online_for_case', { case: named.name, value: levelText(onlineOf(entry, named)) })
        : entry.cases?.length
        ? lines(part('online_cases'), ...bullets(entry.cases.map((c) => part('online_case', { case: c.name, value: levelText(onlineOf(entry, c)) }))))
        : part('online', { value: levelText(onlineOf(entry)) });
      // Three blocks kept whole where they can be: a list of cases is not cut between two messages.
      const head = [
        part('title', { name: title }),
        entry.summary,
        part('handled_by', { value: entry.handled_by }),
        entry.where ? part('where', { value: entry.where }) : '',
        part('fee', { value: named?.fee_summary ?? entry.fee.summary }),
        part('time', { value: named?.processing_time ?? entry.processing_time }),
      ];
      const tail = [entry.documents.length > 0 ? part('documents_count', { count: entry.documents.length }) : '', (entry.unverified?.length ?? 0) > 0 ? part('to_confirm_hint') : ''];
      const blocks = [head, online.split('\n'), tail, ...noteFor('card')].map((block) => block.filter(Boolean));
      return { ok: true, outcome: 'found', data: { parts: packMessages(blocks, MESSAGE_LIMIT - CHOICES_ROOM, '\n') } };
    },

    /** Documents, case differences, notes, legal basis and what to confirm, in phone-sized parts. */
    'procedure.details'(args) {
      const entry = entryOf(args);
      if (!entry) return { ok: false, error: 'unknown_procedure' };
      const sections: string[][] = [];
      if (entry.documents.length > 0) sections.push([part('documents'), ...bullets(entry.documents.map(docLabel))]);
      for (const c of entry.cases ?? []) {
        const own = [
          c.fee_summary && part('fee', { value: c.fee_summary }),
          c.processing_time && part('time', { value: c.processing_time }),
          ...(c.notes ?? []).map((note) => part('note', { value: note })),
        ].filter((s): s is string => Boolean(s));
        if (own.length > 0) sections.push([part('case_title', { name: c.name }), ...own]);
      }
      sections.push(
        [
          ...(entry.notes ?? []).map((note) => part('note', { value: note })),
          entry.legal_basis.length > 0 && part('legal', { value: entry.legal_basis.slice(0, 3).join('; ') }),
        ].filter((s): s is string => Boolean(s)),
      );
      if ((entry.unverified?.length ?? 0) > 0) sections.push([part('unverified'), ...bullets(entry.unverified ?? [])]);
      sections.push([part('reviewed', { date: date(entry.reviewed_on) })], ...noteFor('details'));
      return { ok: true, outcome: 'found', data: { parts: packMessages(sections, MESSAGE_LIMIT - CHOICES_ROOM) } };
    },

    /** The cases an entry is filed in differently (first card vs lost card), for the citizen to pick. */
    'procedure.cases'(args) {
      const entry = entryOf(args);
      if (!entry) return { ok: false, error: 'unknown_procedure' };
      if (!entry.cases?.length) return { ok: true, outcome: 'single' };
      return { ok: true, outcome: 'cases', data: { choices: entry.cases.map((c) => ({ id: c.id, label: c.name })) } };
    },

    /**
     * The case a citizen's words name (`query`: "mất CCCD" → the lost-card case): the one case
     * with a `words` phrase found in them, whole words, accents and abbreviations aside. Two
     * cases named, or none: no case (the card lists them all and the guide asks).
     */
    'procedure.case_of'(args) {
      const entry = entryOf(args);
      if (!entry) return { ok: false, error: 'unknown_procedure' };
      // The entry's own name names no case ("Đăng ký xe, sang tên xe" is not the transfer case).
      const query = typeof args.query === 'string' ? ` ${expand(args.query.slice(0, MAX_QUERY))} `.replace(` ${expand(entry.name)} `, ' ') : '';
      const named = (entry.cases ?? []).filter((c) => (c.words ?? []).some((w) => query.includes(` ${expand(w)} `)));
      if (named.length !== 1) return { ok: true, outcome: 'none' };
      return { ok: true, outcome: 'case', data: { id: named[0]!.id, name: named[0]!.name } };
    },

    /** The online guide: the entry's (or the case's) own steps, in order, and nothing after them. */
    'procedure.online'(args) {
      const entry = entryOf(args);
      if (!entry) return { ok: false, error: 'unknown_procedure' };
      const chosen = caseOf(entry, args);
      const online = onlineOf(entry, chosen);
      if (online.level === 'none' || !online.url) return { ok: true, outcome: 'offline' };
      const portal = online.portal ?? part('default_portal');
      // A procedure is filed after logging in; a guide (how to get the account, how to pay)
      // says in its own steps where to start.
      const steps = [...(entry.kind === 'procedure' ? [part('online_login', { portal })] : []), ...(online.steps ?? [])];
      const sections = [
        [chosen ? part('online_title_case', { name: entry.name, case: chosen.name }) : part('online_title', { name: entry.name })],
        steps.map((step, i) => `${i + 1}. ${step}`),
        [
          online.level === 'partial' ? part('online_partial_note') : '',
          // The link does not open this procedure's own page (none could be confirmed): say so.
          entry.kind === 'procedure' && online.link && online.link.opens !== 'procedure' ? part(`online_opens_${online.link.opens}`, { name: entry.name, portal }) : '',
          online.notes ?? '',
          // Cashless: where the procedure has a fee, how the portal takes it (thanh-toan-truc-tuyen).
          hasFee(entry) ? part('online_fee_payment') : '',
          chosen?.fee_summary ? part('fee', { value: chosen.fee_summary }) : '',
          chosen?.processing_time ? part('time', { value: chosen.processing_time }) : '',
        ].filter(Boolean),
        ...noteFor('online'),
      ];
      return { ok: true, outcome: 'online', data: { parts: packMessages(sections, MESSAGE_LIMIT - CHOICES_ROOM), url: online.url } };
    },

    'procedure.office'(args) {
      const entry = entryOf(args);
      if (!entry) return { ok: false, error: 'unknown_procedure' };
      const text = lines(
        part('office_title', { name: entry.name }),
        part('office_where', { value: entry.where ?? `${unit().desk}, ${unit().address}` }),
        part('office_hours'),
        ...noteFor('card').flat(),
      );
      return { ok: true, outcome: 'found', data: { text } };
    },

    /**
     * The next question of the checklist, from the answers given so far (`answers`: one word per
     * question asked, in order): a condition ("Bé sinh ra nhờ mang thai hộ?"), a document, or an
     * optional document (`when` without a rule: "không cần" is an answer), or done.
     */
    'checklist.next'(args): ServiceResult {
      const entry = entryOf(args);
      if (!entry) return { ok: false, error: 'unknown_procedure' };
      const plan = planChecklist(entry, answersOf(args));
      const next = plan.next;
      if (!next) return { ok: true, outcome: 'done', data: { missing: plan.missing } };
      // A question or an explanation shown in Vietnamese says so under it.
      const noted = (text: string) => [text, ...noteFor('checklist').flat()].join('\n');
      if (next.kind === 'condition') {
        const ask = noted(entry.conditions?.find((c) => c.id === next.condition.id)?.ask ?? next.condition.ask);
        return { ok: true, outcome: 'condition', data: { kind: 'condition', ask, missing: plan.missing } };
      }
      const doc = entry.documents[next.index]!;
      const primary = doc.instead_of ? entry.documents.find((d) => d.id === doc.instead_of) : undefined;
      return {
        ok: true,
        outcome: next.kind,
        data: {
          kind: next.kind,
          position: `${next.position}/${plan.total}`,
          // A condition already answered (or the document replaced) says when it is needed.
          label: next.kind === 'optional' ? docLabel(doc) : docName(doc),
          hint: `${primary ? `${checklistPart('instead_of', { doc: primary.name })}\n` : ''}${noteFor('checklist').map(([note]) => `${note}\n`).join('')}`,
          explain: doc.explain !== undefined ? noted(doc.explain) : checklistPart('no_explain'),
          missing: plan.missing,
        },
      };
    },

    /** What is still missing: exactly the documents answered "chưa có" that nothing replaces. */
    'checklist.summary'(args) {
      const entry = entryOf(args);
      if (!entry) return { ok: false, error: 'unknown_procedure' };
      const plan = planChecklist(entry, answersOf(args));
      const lacking = plan.missing.map((i) => {
        const doc = entry.documents[i]!;
        const alternatives = plan.lackingAlternatives(i).map((a) => docName(entry.documents[a]!));
        return alternatives.length > 0 ? checklistPart('or_instead', { doc: docName(doc), alternative: alternatives.join('; ') }) : docName(doc);
      });
      const onRequest = plan.onRequest.map((i) => docName(entry.documents[i]!));
      const unsure = plan.unsure.map((i) => docLabel(entry.documents[i]!));
      const sections: string[][] = [];
      if (lacking.length > 0) sections.push([checklistPart('missing_title', { count: lacking.length }), ...bullets(lacking)]);
      if (unsure.length > 0) sections.push([checklistPart('unsure_title', { count: unsure.length }), ...bullets(unsure)]);
      if (lacking.length === 0 && unsure.length === 0) sections.push([checklistPart('complete')]);
      if (onRequest.length > 0) sections.push([checklistPart('on_request'), ...bullets(onRequest)]);
      const atDesk = plan.atDesk.map((i) => docName(entry.documents[i]!));
      if (atDesk.length > 0) sections.push([checklistPart('at_desk'), ...bullets(atDesk)]);
      sections.push([checklistPart(lacking.length > 0 || unsure.length > 0 ? 'missing_after' : 'complete_after')], ...noteFor('checklist'));
      return { ok: true, outcome: lacking.length > 0 ? 'incomplete' : unsure.length > 0 ? 'unsure' : 'complete', data: { parts: packMessages(sections, MESSAGE_LIMIT - CHOICES_ROOM), missing: plan.missing } };
    },
  };
  // Every service answers in the turn's language: set it for the call (services are synchronous).
  return Object.fromEntries(
    Object.entries(services).map(([name, service]) => [
      name,
      (args: Record<string, Json>, vars: Readonly<Record<string, Json>>, meta?: ServiceMeta) => {
        lang = meta?.lang ?? 'vi';
        untranslated = new Set();
        return service(args, vars, meta);
      },
    ]),
  ) as Record<(typeof SERVICE_NAMES)[number], Service>;
}

/**
 * The citizen's words as a reply may quote them: at most QUOTE characters, cut at a word, and
 * never a long number (a CCCD or phone number typed in the question is not repeated back).
 */
function quoteOf(query: string): string {
  const text = query
    .replace(/\+?\d(?:[\s.-]?\d){7,}/g, '…')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= QUOTE) return text;
  const cut = text.slice(0, QUOTE);
  const space = cut.lastIndexOf(' ');
  return `${(space > QUOTE / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function answersOf(args: Record<string, Json>): ChecklistAnswer[] {
  return Array.isArray(args.answers) ? (args.answers.filter((a) => typeof a === 'string') as ChecklistAnswer[]) : [];
}

/**
 * Joins sections (lists of lines) into messages of at most `limit` characters, `between` (a blank
 * line) between sections; a section that does not fit where it would start begins the next
 * message, and one longer than a message goes on line by line.
 * Nothing is cut: a single line longer than the limit is sent alone (and the message tests flag it).
 */
export function packMessages(sections: string[][], limit: number, between = '\n\n'): string[] {
  const messages: string[] = [];
  let current = '';
  for (const section of sections) {
    if (section.length === 0) continue;
    // A section that fits whole in a message of its own does not start at the end of another.
    const whole = section.join('\n');
    if (current && current.length + between.length + whole.length > limit && whole.length <= limit) {
      messages.push(current);
      current = '';
    }
    let separator = current ? between : '';
    for (const line of section) {
      if (current && current.length + separator.length + line.length > limit) {
        messages.push(current);
        current = '';
        separator = '';
      }
      current += separator + line;
      separator = '\n';
    }
  }
  if (current) messages.push(current);
  return messages;
}

/** A procedure with a fee to pay in some case (an amount, or one set locally and not known here). */
export function hasFee(entry: Pick<CatalogEntry, 'kind' | 'fee'>): boolean {
  return entry.kind === 'procedure' && (entry.fee.items ?? []).some((item) => item.amount_vnd === null || item.amount_vnd > 0);
}
