/**
 * @module Constant-time comparison of a webhook's shared-secret header with the configured secret,
 * so an attacker cannot learn the secret byte by byte from response times. Shared by the Telegram
 * and Zalo webhooks.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** False when the secret is not configured, the header is missing or repeated, or they differ. */
export function secretMatches(header: string | string[] | undefined, expected: string | undefined): boolean {
  if (!expected || typeof header !== 'string') return false;
  // Hashing first gives equal-length buffers, as timingSafeEqual requires, without leaking the length.
  const a = createHash('sha256').update(header).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
