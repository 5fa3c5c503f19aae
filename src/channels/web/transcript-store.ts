/**
 * @module What the web chat keeps so a reloaded page can show the conversation again: the last
 * few messages of each web conversation, forgotten after the session's idle time and erased with
 * the conversation ("xóa dữ liệu"). Bounded: only the newest `maxEntries` are kept. Stored masked:
 * a CCCD or phone number the citizen typed (or a reply quoted) is kept as `079 ****** 789`,
 * `0912 *** 678` (redact.ts), so a reload shows the citizen what they wrote without the store
 * holding the number.
 * Implementations: memory (no Redis) and Redis (shared by every instance).
 */
import { maskPersonalNumbersForCitizen as mask } from '../../conversation/redact.js';
import type { Outbound } from '../../engine/messages.js';

export type TranscriptEntry =
  | { id: string; at: number; from: 'citizen'; text: string }
  | { id: string; at: number; from: 'bot'; msg: Outbound };

export interface TranscriptStore {
  /** Adds entries at the end (in order), drops the oldest beyond the bound, and restarts the idle timer. */
  append(conversationId: string, entries: TranscriptEntry[]): Promise<void>;
  /** Oldest first; empty when nothing is kept. */
  read(conversationId: string): Promise<TranscriptEntry[]>;
  erase(conversationId: string): Promise<void>;
}

export interface TranscriptStoreOptions {
  /** Idle time after which the transcript is forgotten: the session's TTL. */
  ttlSeconds: number;
  /** Newest entries kept per conversation. Default 40. */
  maxEntries?: number;
  /** Numbers (digits only) of the unit itself, its hotlines: not masked in the bot's messages. */
  publicNumbers?: string[];
}

export const DEFAULT_MAX_TRANSCRIPT_ENTRIES = 40;

/**
 * An entry as stored: every text a person reads, masked; in the bot's messages the unit's own
 * numbers (`publicNumbers`, its hotlines) stay as written. Both stores write only this.
 */
export function storedEntry(entry: TranscriptEntry, publicNumbers: ReadonlySet<string> = new Set()): string {
  if (entry.from === 'citizen') return JSON.stringify({ ...entry, text: mask(entry.text) });
  const { text, choices, links } = entry.msg;
  const masked = (t: string) => mask(t, publicNumbers);
  const msg: Outbound = {
    text: masked(text),
    ...(choices ? { choices: choices.map((c) => ({ ...c, label: masked(c.label) })) } : {}),
    ...(links ? { links: links.map((l) => ({ ...l, label: masked(l.label) })) } : {}),
  };
  return JSON.stringify({ ...entry, msg });
}

export function createMemoryTranscriptStore(options: TranscriptStoreOptions & { now?: () => number }): TranscriptStore {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? DEFAULT_MAX_TRANSCRIPT_ENTRIES;
  const kept = new Map<string, { entries: string[]; expiresAt: number }>();
  const publicNumbers = new Set(options.publicNumbers ?? []);

  function sweep(): void {
    // Cheap enough at demo scale, and keeps memory bounded by live conversations only.
    const t = now();
    for (const [id, value] of kept) if (value.expiresAt <= t) kept.delete(id);
  }

  return {
    async append(conversationId, entries) {
      sweep();
      const current = kept.get(conversationId)?.entries ?? [];
      // Stored as JSON, as in Redis, so callers never share objects with the store.
      const next = [...current, ...entries.map((e) => storedEntry(e, publicNumbers))].slice(-max);
      kept.set(conversationId, { entries: next, expiresAt: now() + options.ttlSeconds * 1000 });
    },
    async read(conversationId) {
      const value = kept.get(conversationId);
      if (!value || value.expiresAt <= now()) return [];
      return value.entries.map((e) => JSON.parse(e) as TranscriptEntry);
    },
    async erase(conversationId) {
      kept.delete(conversationId);
    },
  };
}
