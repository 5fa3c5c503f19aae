/**
 * @module The port where no staff desk runs (`npm start` without Redis or without
 * STAFF_SESSION_SECRET): nothing is queued or kept, and each request is answered `no_desk` with
 * whether the office is open now and when it opens next, so the flows give the hotline and, at
 * night, say that the office is closed.
 */
import { noDeskPort, type HandoffPort } from '../conversation/handoff-port.js';
import type { Assistant } from '../load-assistant.js';
import { describeOpening, officeStatus } from './office-hours.js';

export function createNoDesk(options: { assistant: Pick<Assistant, 'engine' | 'catalog'>; now?: () => number }): HandoffPort {
  const now = options.now ?? Date.now;
  return noDeskPort((lang) => {
    // "7:30 Thứ Hai, 08/06/2026" or "7:30 on Monday, 08/06/2026": in the conversation's language.
    const text = (key: string, vars?: Record<string, unknown>) => options.assistant.engine.text(key, vars, lang);
    const status = officeStatus(options.assistant.catalog.unit, now());
    return { open: status.open, nextOpening: status.nextOpening ? describeOpening(status.nextOpening, text) : text('handoff.next_opening_unknown') };
  });
}
