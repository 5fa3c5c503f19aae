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
