/**
 * @module `handoff`: asks the host for a person (`request: person`, the default), to cancel that
 * request (`cancel`), or to keep a citizen's report for staff (`report`). The step says nothing
 * itself: the run stops until the host answers with what actually happened (see events.ts), then
 * the step saves the answer's data in `save` and goes to the route of its outcome. `routes` must
 * name a step for every outcome the host may give (HANDOFF_OUTCOMES), so a flow cannot promise
 * "đã chuyển" where no desk exists. `context` maps what staff are shown (asked, procedure,
 * missing, report, phone) to the session variables holding it.
 *
 * ```yaml
 * spec: 1
 * flow: example
 * start: person
 * steps:
 *   person:
 *     type: handoff
 *     reason: asked
 *     context: { asked: query, procedure: procedure_id }
 *     save: _handoff
 *     routes:
 *       queued: queued
 *       queued_after_hours: queued
 *       already_queued: queued
 *       with_staff: queued
 *       no_desk: hotline
 *   queued:
 *     type: end
 *     text: example.queued
 *   hotline:
 *     type: end
 *     text: example.hotline
 * ```
 */
import { z } from 'zod';
import { defineStep } from '../define-step.js';
import { HANDOFF_CONTEXT_ROLES, HANDOFF_OUTCOMES, type HandoffContext, type HandoffRequestKind } from '../events.js';
import type { Json } from '../session.js';
import { target } from './common.js';

const variable = z.string().regex(/^[a-z_]\w*$/i);
const context = z.partialRecord(z.enum(HANDOFF_CONTEXT_ROLES), variable).default({});
const save = z.string().regex(/^_?[a-z][a-z0-9_]*$/i).default('_handoff');

/** Every outcome of the request, each routed to a step. */
function routesOf<K extends HandoffRequestKind>(kind: K) {
  const outcomes = HANDOFF_OUTCOMES[kind] as readonly string[];
  return z.strictObject(Object.fromEntries(outcomes.map((o) => [o, target])) as Record<(typeof HANDOFF_OUTCOMES)[K][number], typeof target>);
}

const schema = z.discriminatedUnion('request', [
  z.strictObject({ request: z.literal('person').default('person'), reason: z.enum(['asked', 'failures', 'not_found']), context, save, routes: routesOf('person') }),
  z.strictObject({ request: z.literal('cancel'), save, routes: routesOf('cancel') }),
  z.strictObject({ request: z.literal('report'), context, save, routes: routesOf('report') }),
]);

// `request` may be left out for the common case; the discriminated union needs it present.
const withDefault = z.preprocess((raw) => (raw && typeof raw === 'object' && !('request' in raw) ? { ...raw, request: 'person' } : raw), schema);

export const handoffStep = defineStep({
  type: 'handoff',
  schema: withDefault,
  waits: false,
  targets: (p) => Object.values(p.routes as Record<string, string>),
  contentKeys: () => [],
  enter(ctx, p) {
    const gathered: HandoffContext = {};
    if (p.request !== 'cancel') {
      for (const [role, name] of Object.entries(p.context) as Array<[keyof HandoffContext, string]>) {
        const value = ctx.getVar(name);
        if (value !== undefined && value !== null) gathered[role] = value as Json;
      }
    }
    if (p.request === 'person') ctx.requestHost({ type: 'handoff_requested', reason: p.reason, context: gathered });
    else if (p.request === 'report') ctx.requestHost({ type: 'report_requested', context: gathered });
    else ctx.requestHost({ type: 'handoff_cancel_requested' });
    return { awaitHost: true };
  },
  answered(ctx, p, answer) {
    const routes = p.routes as Record<string, string>;
    const next = routes[answer.outcome];
    ctx.setVar(p.save, (answer.data ?? {}) as Json);
    // An outcome this request cannot have is a host bug; the one truthful fallback is "no desk".
    return { next: next ?? routes.no_desk ?? routes.nothing_to_cancel ?? (Object.values(routes)[0] as string) };
  },
});
