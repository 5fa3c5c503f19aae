/**
 * @module Redis key names of one conversation, shared by the session store and the outbox: every
 * key of conversation K starts with `<prefix>{K}` (K with `%`, `{`, `}` percent-encoded), so all of
 * them are in one Cluster slot and one script may touch them together.
 */
export function conversationTag(prefix: string, key: string): string {
  return `${prefix}{${key.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}}`;
}

/** The conversation key back from a key name `<prefix>{K}<suffix>`; undefined when it is not one. */
export function conversationKeyOf(prefix: string, redisKey: string, suffix: string): string | undefined {
  if (!redisKey.startsWith(`${prefix}{`) || !redisKey.endsWith(`}${suffix}`)) return undefined;
  return redisKey.slice(prefix.length + 1, redisKey.length - suffix.length - 1).replace(/%([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function conversationKeys(prefix: string, key: string) {
  const tag = conversationTag(prefix, key);
  return {
    turn: `${tag}:turn`,
    session: `${tag}:session`,
    seen: `${tag}:seen`,
    /** LIST of OutboxItem JSON, oldest first; absent when nothing is pending. */
    outbox: `${tag}:outbox`,
    /** STRING: the instance token holding the conversation's delivery lease. */
    outboxLease: `${tag}:outbox-lease`,
    /** STRING: replies given up on since the citizen was last told (a count). */
    undelivered: `${tag}:undelivered`,
  };
}
