/**
 * @module The services the flows call (`call` steps): finding a procedure, and turning a catalog
 * entry into the card, the online guide, the in-person answer and the document checklist.
 * Synchronous and in memory, as the engine requires. Every label comes from content/texts.yaml
 * (`card_parts.*`), every fact from the catalog entry.
 */
import type { Service, ServiceResult } from '../engine/define-step.js';
import type { Texts } from '../engine/flow-types.js';
import type { Json } from '../engine/session.js';
import { render } from '../engine/template.js';
import type { Catalog } from './load-catalog.js';
import type { CatalogEntry, Finder } from './types.js';

export const SERVICE_NAMES = [
  'find',
  'procedure.exists',
  'procedure.card',
  'procedure.online',
  'procedure.office',
  'checklist.item',
  'checklist.summary',
] as const;

/** The longest query sent to the finder; a citizen's essay is cut, not refused. */
const MAX_QUERY = 300;

export function createEngineServices(deps: { catalog: Catalog; finder: Finder; texts: Texts }): Record<(typeof SERVICE_NAMES)[number], Service> {
  const { catalog, finder, texts } = deps;
  const part = (key: string, values: Record<string, unknown> = {}) => render(texts.get(`card_parts.${key}`) ?? '', { ...values, unit: catalog.unit }).trim();
  const entryOf = (args: Record<string, Json>): CatalogEntry | undefined => (typeof args.id === 'string' ? catalog.byId.get(args.id) : undefined);
  const missing: ServiceResult = { ok: true, outcome: 'missing' };
  const date = (iso: string) => iso.split('-').reverse().join('/');
  const docLabel = (d: CatalogEntry['documents'][number]) => {
    const detail = [d.form, d.count && d.count > 1 ? `${d.count} bản` : undefined].filter(Boolean).join(', ');
    return `${d.name}${detail ? ` (${detail})` : ''}${d.when ? ` — ${d.when}` : ''}`;
  };
  const bullets = (lines: string[]) => lines.map((line) => `- ${line}`).join('\n');
  const numbered = (lines: string[]) => lines.map((line, i) => `${i + 1}. ${line}`).join('\n');
  const lines = (...items: (string | false | undefined)[]) => items.filter((s): s is string => Boolean(s)).join('\n');

  return {
    find(args): ServiceResult {
      const query = typeof args.query === 'string' ? args.query.slice(0, MAX_QUERY) : '';
      // The finder itself answers nothing for a bare number ("1" typed at the wrong moment).
      const answer = finder.find(query);
      const asChoice = (r: { id: string; name: string }) => ({ id: r.id, label: r.name });
      if (answer.results.length === 0 || answer.outcome === 'none') {
        const none: ServiceResult = { ok: true, outcome: 'none', data: { outcome: 'none' } };
        return none;
      }
      return {
        ok: true,
        outcome: answer.outcome,
        // Best first; the flow confirms the first and offers the others. Kept small: it is stored.
        data: { outcome: answer.outcome, candidates: answer.results.slice(0, 4).map(asChoice) },
      };
    },

    'procedure.exists'(args) {
      return entryOf(args) ? { ok: true, outcome: 'found' } : missing;
    },

    'procedure.card'(args) {
      const entry = entryOf(args);
      if (!entry) return missing;
      const where = entry.where ? `${entry.handled_by} (${entry.where})` : entry.handled_by;
      const online = part(`online_${entry.online.level}`);
      const text = lines(
        part('title', { name: entry.name }),
        entry.summary,
        part('handled_by', { value: where }),
        entry.documents.length > 0 && lines(part('documents'), bullets(entry.documents.map(docLabel))),
        part('fee', { value: entry.fee.summary }),
        part('time', { value: entry.processing_time }),
        online,
        ...(entry.notes ?? []).map((note) => part('note', { value: note })),
        entry.legal_basis.length > 0 && part('legal', { value: entry.legal_basis.slice(0, 3).join('; ') }),
        (entry.unverified?.length ?? 0) > 0 && lines(part('unverified'), bullets(entry.unverified ?? [])),
        part('reviewed', { date: date(entry.reviewed_on) }),
      );
      return { ok: true, outcome: 'found', data: { text } };
    },

    'procedure.online'(args) {
      const entry = entryOf(args);
      if (!entry) return { ok: false, error: 'unknown_procedure' };
      if (entry.online.level === 'none' || !entry.online.url) return { ok: true, outcome: 'offline' };
      const portal = entry.online.portal ?? part('default_portal');
      const steps = [part('online_login', { portal }), ...(entry.online.steps ?? []), part('online_finish')];
      const text = lines(
        part('online_title', { name: entry.name }),
        numbered(steps),
        entry.online.level === 'partial' && part('online_partial_note'),
        // The link does not open this procedure's own page (none could be confirmed): say so.
        entry.kind === 'procedure' && entry.online.link && entry.online.link.opens !== 'procedure' && part(`online_opens_${entry.online.link.opens}`, { name: entry.name, portal }),
        entry.online.notes,
      );
      return { ok: true, outcome: 'online', data: { text, url: entry.online.url } };
    },

    'procedure.office'(args) {
      const entry = entryOf(args);
      if (!entry) return { ok: false, error: 'unknown_procedure' };
      const text = lines(
        part('office_title', { name: entry.name }),
        part('office_where', { value: entry.where ?? `${catalog.unit.desk}, ${catalog.unit.address}` }),
        part('office_hours'),
      );
      return { ok: true, outcome: 'found', data: { text } };
    },

    'checklist.item'(args) {
      const entry = entryOf(args);
      if (!entry) return { ok: false, error: 'unknown_procedure' };
      const index = typeof args.index === 'number' ? args.index : 0;
      const doc = entry.documents[index];
      if (!doc) return { ok: true, outcome: 'done' };
      return {
        ok: true,
        outcome: 'item',
        data: {
          name: docLabel(doc),
          position: `${index + 1}/${entry.documents.length}`,
          explain: doc.explain ?? part('no_explain'),
        },
      };
    },

    'checklist.summary'(args) {
      const entry = entryOf(args);
      if (!entry) return { ok: false, error: 'unknown_procedure' };
      const indices = Array.isArray(args.missing) ? args.missing.filter((i): i is number => typeof i === 'number') : [];
      const lacking = indices.map((i) => entry.documents[i]).filter((d) => d !== undefined);
      if (lacking.length === 0) return { ok: true, outcome: 'complete' };
      const text = lines(part('missing_title', { count: lacking.length }), bullets(lacking.map(docLabel)), part('missing_after'));
      return { ok: true, outcome: 'incomplete', data: { text } };
    },
  };
}
