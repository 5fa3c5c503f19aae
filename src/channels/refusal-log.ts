/**
 * @module Logs refused requests (webhooks with a wrong or missing secret or signature, replays; web
 * conversations over their limit) without
 * letting a flood of them flood the log: at most one line per source (client address, IPv6 by
 * /64) and kind of refusal per window (a minute), with the count of refusals it stands for. The
 * first refusal of a source is logged at once; those that follow within the window are counted;
 * the next line (the next refusal after the window, or the periodic flush, or `close`) says how
 * many there were. Memory is bounded: past `maxSources` tracked sources, new ones share one entry
 * ("other").
 */
import type { Logger } from '../conversation/logger.js';

export interface RefusalLog {
  /** A request from `source` was refused; `kind` is the verdict (`unauthorized`, `replay`). */
  refused(source: string, kind: string): void;
  /** Writes the counts still pending and stops the periodic flush. */
  close(): void;
}

export interface RefusalLogOptions {
  log: Pick<Logger, 'warn'>;
  channel: string;
  /** The line's message (default: the webhook refusal, by verdict). */
  message?: (kind: string, refusals: number) => string;
  /** One line per source per window. Default 60 000 ms. */
  windowMs?: number;
  maxSources?: number;
  now?: () => number;
}

interface Entry {
  kind: string;
  source: string;
  /** When the last line for this entry was written. */
  loggedAt: number;
  /** Refusals since that line. */
  pending: number;
}

export function createRefusalLog(options: RefusalLogOptions): RefusalLog {
  const { log, channel } = options;
  const windowMs = options.windowMs ?? 60_000;
  const maxSources = options.maxSources ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  function write(entry: Entry, refusals: number): void {
    const what = entry.kind === 'replay' ? 'event too old (replay)' : 'wrong or missing secret or signature';
    const times = refusals > 1 ? ` (${refusals} times from this source since the last line)` : '';
    log.warn(
      { channel, verdict: entry.kind, source: entry.source, refusals, windowSeconds: Math.round(windowMs / 1000) },
      options.message ? `${options.message(entry.kind, refusals)}${times}` : `${channel} webhook refused: ${what}${times}`,
    );
  }

  /** Writes what is pending for entries whose window ended, and forgets the idle ones. */
  function flush(all = false): void {
    const t = now();
    for (const [key, entry] of entries) {
      if (!all && t - entry.loggedAt < windowMs) continue;
      if (entry.pending > 0) write(entry, entry.pending);
      entries.delete(key);
    }
  }

  const timer = setInterval(() => flush(), windowMs);
  timer.unref();

  return {
    refused(rawSource, kind) {
      let source = rawSource;
      let key = `${kind}|${source}`;
      if (!entries.has(key) && entries.size >= maxSources) {
        flush();
        if (entries.size >= maxSources) {
          source = 'other';
          key = `${kind}|other`;
        }
      }
      const t = now();
      const entry = entries.get(key);
      if (!entry) {
        const fresh: Entry = { kind, source, loggedAt: t, pending: 0 };
        entries.set(key, fresh);
        write(fresh, 1);
      } else if (t - entry.loggedAt >= windowMs) {
        write(entry, entry.pending + 1);
        entry.loggedAt = t;
        entry.pending = 0;
      } else {
        entry.pending += 1;
      }
    },
    close() {
      clearInterval(timer);
      flush(true);
    },
  };
}
