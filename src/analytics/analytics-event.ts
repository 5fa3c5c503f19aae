/**
 * @module What the dashboard counts: one AnalyticsEvent per thing that happened, built by the host
 * (create-analytics.ts) from the engine's events and the desk's activity. An event carries no
 * message text and no personal number: the citizen is a keyed hash (`citizenHash`), a question
 * that found nothing is masked (personal numbers, then every digit) and folded (no diacritics,
 * lower case), so "Xin giấy 0912345678" and "xin giay #" are counted together.
 */
import { createHmac } from 'node:crypto';
import { foldText } from '../catalog/normalise-vietnamese.js';
import { maskPersonalNumbers } from '../conversation/redact.js';

export const ANALYTICS_NAMES = [
  'conversation_started',
  'procedure_found',
  'procedure_not_found',
  'card_viewed',
  'checklist_finished',
  'online_guide_opened',
  'online_link_opened',
  'in_person_opened',
  'filed_confirmed',
  'person_asked',
  'person_answered',
  'person_closed',
  'person_rated',
  'report_filed',
  'report_resolved',
  'erased',
] as const;
export type AnalyticsName = (typeof ANALYTICS_NAMES)[number];

/** The path to online filing, in order: each step a citizen can reach only after the one before. */
export const FUNNEL_STEPS = ['procedure_found', 'card_viewed', 'checklist_finished', 'online_guide_opened', 'online_link_opened', 'filed_confirmed'] as const satisfies readonly AnalyticsName[];

export interface AnalyticsEvent {
  name: AnalyticsName;
  /** Epoch ms. */
  at: number;
  /** A channel definition's name (web, telegram, zalo, zalo-oa, cli). */
  channel: string;
  /** Keyed hash of the citizen (`citizenHash`), for unique counts; absent for desk-side events. */
  citizen?: string;
  /** Catalog id of the procedure concerned. */
  procedure?: string;
  /** conversation_started from a deep link: the poster's or meeting's tag (`poster-kp3`). */
  source?: string;
  /** procedure_not_found: the question, masked and folded (`maskQuery`). */
  query?: string;
  /** checklist_finished: how many documents the citizen lacked. */
  missing?: number;
  /** person_answered: ms from the request to a person taking the chat. */
  waitMs?: number;
  /** person_rated: 1-5. */
  rating?: number;
}

/** Longest question kept (after masking): enough to group, not a transcript. */
export const QUERY_LIMIT = 80;

/** A question that found nothing, fit to keep: personal numbers masked, then every digit → #, folded, cut. */
export function maskQuery(text: string): string {
  // Folding keeps letters and digits only: the digits left by masking become one # per number.
  const folded = foldText(maskPersonalNumbers(text))
    .replace(/\d+/g, '#')
    .replace(/#(?:\s*#)+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
  return folded.length > QUERY_LIMIT ? folded.slice(0, QUERY_LIMIT).trimEnd() : folded;
}

/**
 * A citizen's identity as the dashboard keeps it: HMAC-SHA256 of channel and user id under a
 * secret salt, 16 hex digits. Without the salt it cannot be turned back into an id, and the same
 * citizen on the same channel always gets the same hash (unique counts across instances).
 */
export function citizenHash(salt: string, channel: string, userId: string): string {
  return createHmac('sha256', salt).update(`${channel}\u0000${userId}`).digest('hex').slice(0, 16);
}

/** The ward's calendar day of an instant (Vietnam: UTC+7, no daylight saving time), `YYYY-MM-DD`. */
export const DAY_OFFSET_MS = 7 * 3600_000;
export function dayOf(at: number): string {
  return new Date(at + DAY_OFFSET_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to` inclusive (`YYYY-MM-DD`), at most `limit`. */
export function daysBetween(from: string, to: string, limit = 800): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); out.length < limit; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (day > to) break;
    out.push(day);
  }
  return out;
}
