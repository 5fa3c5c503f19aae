/**
 * @module Where handoff data lives in Redis. Everything under the configured prefix; keys that
 * belong to one conversation carry its hash tag (`<prefix>{tg:123}:...`, as the session store
 * does), keys of one ticket carry the ticket's own tag (`<prefix>{h:<id>}:...`), so every script
 * touches a single Cluster slot. The few global keys (queue, audit, accounts) are single keys.
 *
 *   <prefix>{K}:handoff          HASH   ticket → the conversation's open ticket id; rating → a
 *                                       closed ticket waiting for the citizen's 1-5 rating
 *   <prefix>{K}:handoff:tickets  SET    every ticket id of the conversation (for erase)
 *   <prefix>{K}:handoff:recent   LIST   the citizen's last few messages, masked (ticket context)
 *   <prefix>{h:ID}:ticket        HASH   the ticket (status, staff, context JSON, phone...)
 *   <prefix>{h:ID}:log           LIST   the transcript, JSON entries, bounded
 *   <prefix>{handoff}:open       ZSET   open tickets (waiting or held) → arrival number
 *   <prefix>{handoff}:queue      ZSET   waiting tickets → arrival number: the citizen's place
 *   <prefix>{handoff}:arrivals   STRING counter giving each new ticket its arrival number
 *   <prefix>{handoff}:waits      LIST   recent waits until a claim (ms), for the estimate
 *                                       (these three share a tag: updated together in MULTIs)
 *   <prefix>handoff:audit        LIST   staff actions, JSON, newest first, bounded
 *   <prefix>handoff:events       pub/sub channel: changes, for every instance's consoles
 *   <prefix>staff:accounts       HASH   username → JSON {name, hash, createdAt}
 *   <prefix>staff:session:TOKEN  STRING username (console login), expires
 *   <prefix>staff:login:U|IP     STRING wrong passwords in the current window
 */

export function tagOf(key: string): string {
  // The same escaping as the session store, so `{`/`}` in an id cannot break the hash tag.
  return `{${key.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}}`;
}

export function handoffKeys(prefix: string) {
  if (/[{}]/.test(prefix)) throw new Error('Redis key prefix must not contain { or }: it would break the Cluster hash tag.');
  return {
    pointer: (key: string) => `${prefix}${tagOf(key)}:handoff`,
    conversationTickets: (key: string) => `${prefix}${tagOf(key)}:handoff:tickets`,
    recent: (key: string) => `${prefix}${tagOf(key)}:handoff:recent`,
    ticket: (id: string) => `${prefix}${tagOf(`h:${id}`)}:ticket`,
    log: (id: string) => `${prefix}${tagOf(`h:${id}`)}:log`,
    open: `${prefix}{handoff}:open`,
    queue: `${prefix}{handoff}:queue`,
    waits: `${prefix}{handoff}:waits`,
    arrivals: `${prefix}{handoff}:arrivals`,
    audit: `${prefix}handoff:audit`,
    events: `${prefix}handoff:events`,
    accounts: `${prefix}staff:accounts`,
    staffSession: (token: string) => `${prefix}staff:session:${token}`,
    loginFailures: (username: string, ip: string) => `${prefix}staff:login:${username}|${ip}`,
  };
}

export type HandoffKeys = ReturnType<typeof handoffKeys>;
