/**
 * @module Pieces the fake platform APIs (fake-telegram.ts, fake-zalo.ts) share: listening on
 * loopback, reading request parameters as the real APIs accept them, and polling for a condition.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** JSON or form-encoded parameters, as the Bot APIs accept; anything else as `_raw`. */
export async function readParams(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  return { _raw: raw };
}

/** Polls `check` every 10 ms until it returns a value, or throws `<name>: timed out waiting for <what>`. */
export async function waitFor<T>(name: string, check: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${name}: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
