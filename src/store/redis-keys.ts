/**
 * @module Redis key helpers shared by every store that keeps per-conversation or per-ticket keys.
 * A key's hash tag (`<prefix>{tg:123}`) puts all keys of one conversation in one Redis Cluster
 * slot, so a Lua script may touch them together; `%`, `{` and `}` in the tagged part are escaped
 * (`%25`, `%7B`, `%7D`) so no id can end the tag early or collide with another.
 */

/** `<prefix>{<key>}`, the start of every key that belongs to `key` (a conversation, `h:<ticket id>`…). */
export function hashTagged(prefix: string, key: string): string {
  return `${prefix}{${key.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}}`;
}

/** A key prefix with a brace would break every hash tag after it. */
export function assertKeyPrefix(prefix: string): void {
  if (/[{}]/.test(prefix)) throw new Error('Redis key prefix must not contain { or }: it would break the Cluster hash tag.');
}

/** The key back from a key name `<prefix>{K}<suffix>` (hashTagged undone); undefined when it is not one. */
export function conversationKeyOf(prefix: string, redisKey: string, suffix: string): string | undefined {
  if (!redisKey.startsWith(`${prefix}{`) || !redisKey.endsWith(`}${suffix}`)) return undefined;
  return redisKey.slice(prefix.length + 1, redisKey.length - suffix.length - 1).replace(/%([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Every key of one conversation that the session store and the outbox share. */
export function conversationKeys(prefix: string, key: string) {
  const tag = hashTagged(prefix, key);
  return {
    turn: `${tag}:turn`,
    session: `${tag}:session`,
    seen: `${tag}:seen`,
    /** LIST of OutboxItem JSON, oldest first; absent when nothing is pending. */
    outbox: `${tag}:outbox`,
    /** STRING: the worker token holding the conversation's delivery lease. */
    outboxLease: `${tag}:outbox-lease`,
    /** STRING: replies given up on since the citizen was last told (a count). */
    undelivered: `${tag}:undelivered`,
  };
}
