/**
 * @module The session: plain, versioned JSON that the engine reads and returns, and that the
 * conversation layer stores. Nothing here does I/O.
 */
import type { ChannelName } from './messages.js';

export const SESSION_VERSION = 1;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where a conversation stands: a flow and a step in it. Frames form a call stack of sub-flows. */
export interface Frame {
  flow: string;
  step: string;
  /** Where to continue in the calling flow when this sub-flow ends. */
  returnTo?: string;
}

export interface Session {
  v: typeof SESSION_VERSION;
  /** Conversation key, e.g. `tg:12345`. */
  key: string;
  channel: ChannelName;
  /** The call stack; the last frame is the current step. Empty when the conversation has ended. */
  frames: Frame[];
  /** True while the current step waits for the citizen's answer. */
  waiting: boolean;
  /** Invalid answers given at the current step. */
  failures: number;
  /** Variables set by steps and services. Keep them small: they live in Redis. */
  vars: Record<string, Json>;
  /** Earlier questions, newest last, for the "back" command (bounded). */
  history: HistoryEntry[];
  /**
   * The language the citizen is answered in ("en"), once chosen (the menu, `/lang en`) or detected
   * from a clearly English message; absent: the default language, not chosen. Kept over
   * `/start` and "start over"; erasing the conversation forgets it.
   */
  lang?: string;
  /** Turns handled, for analytics and tests. */
  turns: number;
  startedAt: number;
  updatedAt: number;
}

/**
 * A question the citizen was asked: where it was, and how to undo what the turn that led to it
 * changed (the previous values of the variables it changed; null = was not set). Undo records
 * stay small where full snapshots would not (the session must stay under 2 KB in Redis).
 */
export interface HistoryEntry {
  frames: Frame[];
  undo?: Record<string, Json>;
}

export const HISTORY_LIMIT = 5;

export function newSession(key: string, channel: ChannelName, now: number): Session {
  return {
    v: SESSION_VERSION,
    key,
    channel,
    frames: [],
    waiting: false,
    failures: 0,
    vars: {},
    history: [],
    turns: 0,
    startedAt: now,
    updatedAt: now,
  };
}
