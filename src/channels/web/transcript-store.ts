/**
 * @module What the web chat keeps so a reloaded page can show the conversation again: the last
 * few messages of each web conversation, forgotten after the session's idle time and erased with
 * the conversation ("xóa dữ liệu"). Bounded: only the newest `maxEntries` are kept.
 * Implementations: memory (no Redis) and Redis (shared by every instance).
 */
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
}

export const DEFAULT_MAX_TRANSCRIPT_ENTRIES = 40;

export function createMemoryTranscriptStore(options: TranscriptStoreOptions & { now?: () => number }): TranscriptStore {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? DEFAULT_MAX_TRANSCRIPT_ENTRIES;
  const kept = new Map<string, { entries: string[]; expiresAt: number }>();

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
      const next = [...current, ...entries.map((e) => JSON.stringify(e))].slice(-max);
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
