/**
 * @module Web transcripts in Redis: one LIST per conversation, `<prefix>{web:<id>}:transcript`
 * (the same hash tag as the conversation's session keys, so it lives in the same Cluster slot),
 * trimmed to the newest entries and expiring with the session's idle time.
 */
import type { RedisClient } from '../../store/redis-connection.js';
import { StoreUnavailableError } from '../../store/session-store.js';
import { DEFAULT_MAX_TRANSCRIPT_ENTRIES, storedEntry, type TranscriptEntry, type TranscriptStore, type TranscriptStoreOptions } from './transcript-store.js';
import { hashTagged } from '../../store/redis-keys.js';

export interface RedisTranscriptStoreOptions extends TranscriptStoreOptions {
  redis: RedisClient;
  /** The session store's key prefix (e.g. `dvc:`). */
  prefix: string;
}

export function createRedisTranscriptStore(options: RedisTranscriptStoreOptions): TranscriptStore {
  const { redis, prefix } = options;
  const max = options.maxEntries ?? DEFAULT_MAX_TRANSCRIPT_ENTRIES;
  const publicNumbers = new Set(options.publicNumbers ?? []);
  // The conversation's hash tag, as its session keys have it: the same Cluster slot.
  const keyOf = (conversationId: string): string => `${hashTagged(prefix, `web:${conversationId}`)}:transcript`;

  async function command<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new StoreUnavailableError('transcript store unreachable', { cause: error });
    }
  }

  return {
    async append(conversationId, entries) {
      if (entries.length === 0) return;
      const key = keyOf(conversationId);
      await command(() =>
        redis
          .multi()
          .rpush(key, ...entries.map((e) => storedEntry(e, publicNumbers)))
          .ltrim(key, -max, -1)
          .expire(key, options.ttlSeconds)
          .exec(),
      );
    },
    async read(conversationId) {
      const items = await command(() => redis.lrange(keyOf(conversationId), 0, -1));
      return items.map((e) => JSON.parse(e) as TranscriptEntry);
    },
    async erase(conversationId) {
      await command(() => redis.del(keyOf(conversationId)));
    },
  };
}
