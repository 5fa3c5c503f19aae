/** @module Turns a line typed in the terminal into an Inbound message. */
import type { Inbound } from '../../engine/messages.js';

export function toInbound(line: string, turn: number, conversationId: string): Inbound {
  const base = { channel: 'cli' as const, conversationId, userId: 'cli', platformMessageId: String(turn) };
  const start = /^\/start(?:\s+(\S+))?\s*$/i.exec(line.trim());
  if (start) return { ...base, kind: 'start', ...(start[1] ? { text: start[1] } : {}) };
  return { ...base, kind: 'text', text: line };
}
