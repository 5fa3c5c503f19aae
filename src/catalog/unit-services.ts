/**
 * @module The services flows call about the unit itself: `unit.former_name` tells whether a
 * message names a unit merged into this one ("phường 9"), so the flow can say in one line which
 * unit serves the citizen now, then search the rest of the message.
 */
import type { Service, ServiceResult } from '../engine/define-step.js';
import { createFormerNameMatcher } from './former-names.js';
import type { Finder, Unit } from './types.js';

export const UNIT_SERVICE_NAMES = ['unit.former_name'] as const;

export function createUnitServices(deps: { unit: Unit; finder: Finder }): Record<(typeof UNIT_SERVICE_NAMES)[number], Service> {
  const matcher = createFormerNameMatcher(deps.unit.former_names ?? []);
  const since = deps.unit.formed ? deps.unit.formed.on.split('-').reverse().join('/') : '';
  return {
    /**
     * Outcomes: `former` (an old name, and the rest of the message asks for something the finder
     * knows), `former_only` (an old name and nothing else to search: "UBND phường 8 cũ ở đâu"),
     * `none`. Data: `old` ("Phường 9 (thành phố Vũng Tàu cũ)"), `since` (the merger's date) and
     * `rest`, what the finder should search (the whole message when no old name is in it).
     */
    'unit.former_name'(args): ServiceResult {
      const query = typeof args.query === 'string' ? args.query.slice(0, 300) : '';
      const found = matcher.match(query);
      if (!found) return { ok: true, outcome: 'none', data: { rest: query } };
      const data = { old: found.of ? `${found.name} (${found.of} cũ)` : `${found.name} cũ`, since, rest: found.rest };
      const asks = found.rest.trim() !== '' && deps.finder.find(found.rest).outcome !== 'none';
      return { ok: true, outcome: asks ? 'former' : 'former_only', data };
    },
  };
}
