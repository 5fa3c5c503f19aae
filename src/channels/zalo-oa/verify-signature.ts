/**
 * @module Zalo OA webhook authentication: `X-ZEvent-Signature: mac=<hex>` where hex is the plain
 * SHA-256 (not an HMAC) of `app_id + raw body + timestamp + OA secret key`, `app_id` and
 * `timestamp` read from the JSON body, the body hashed as the bytes received (never re-serialised).
 * Compared in constant time. A correctly signed event whose timestamp is outside the dedupe window
 * (or more than a few minutes ahead) is a replay: its message id may have been forgotten already.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Verdict, VerifyRequest } from '../define-channel.js';

export const SIGNATURE_HEADER = 'x-zevent-signature';
/** Clock difference tolerated between Zalo and us. */
const SKEW_MS = 5 * 60_000;

export function expectedSignature(rawBody: Buffer, appId: string, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256').update(Buffer.concat([Buffer.from(appId, 'utf8'), rawBody, Buffer.from(timestamp, 'utf8'), Buffer.from(oaSecretKey, 'utf8')])).digest('hex');
}

export function verifySignature(request: VerifyRequest, options: { oaSecretKey: string; windowMs: number; now: number }): Verdict {
  const header = request.headers[SIGNATURE_HEADER];
  if (typeof header !== 'string') return 'unauthorized';
  let body: { app_id?: unknown; timestamp?: unknown };
  try {
    body = JSON.parse(request.rawBody.toString('utf8')) as typeof body;
  } catch {
    return 'unauthorized';
  }
  if (typeof body !== 'object' || body === null) return 'unauthorized';
  const { app_id: appId, timestamp } = body;
  if ((typeof appId !== 'string' && typeof appId !== 'number') || (typeof timestamp !== 'string' && typeof timestamp !== 'number')) return 'unauthorized';
  const expected = Buffer.from(expectedSignature(request.rawBody, String(appId), String(timestamp), options.oaSecretKey), 'hex');
  const given = /^(?:mac=)?([0-9a-fA-F]{64})$/.exec(header.trim())?.[1];
  if (!given || !timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), expected)) return 'unauthorized';
  const at = Number(timestamp);
  if (!Number.isFinite(at)) return 'unauthorized';
  // The dedupe mark of an event lives `windowMs` from when it arrived: accept it only while the mark surely does.
  const oldest = Math.max(options.windowMs - SKEW_MS, options.windowMs / 2);
  if (options.now - at > oldest || at - options.now > SKEW_MS) return 'replay';
  return 'ok';
}
