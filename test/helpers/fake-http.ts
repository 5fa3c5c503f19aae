/**
 * @module Pieces the fake platform APIs (fake-telegram.ts, fake-zalo.ts) share: listening on
 * loopback, reading request parameters as the real APIs accept them, and polling for a condition.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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

/** One request a fake Bot API received, as tests read it. */
export interface BotApiCall {
  method: string;
  params: Record<string, unknown>;
  /** HTTP status answered (0 when the connection was dropped). */
  status: number;
}

/**
 * A failure the fakes play without an API envelope: a raw body (a proxy's HTML page), a dropped
 * socket, or a hang: no answer for `hangMs`, then the socket is dropped (nothing delivered).
 */
export type RawFailure = { status: number; body: string } | { drop: true } | { hangMs: number };

/**
 * The part both Bot APIs share (`/bot<token>/<method>`): records the call, answers a wrong path
 * (404) or token (401) with `refuse`, and plays a queued raw failure. Returns what is left to
 * answer, with a queued envelope failure if any; undefined when the request is already answered.
 */
export async function acceptBotCall<F extends object>(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    token: string;
    calls: BotApiCall[];
    failures: Map<string, Array<F | RawFailure>>;
    refuse: (res: ServerResponse, code: number, description: string) => number;
    /** Decides a failure for calls no queued failure is left for (random faults); undefined: answer normally. */
    failWhen?: (method: string, params: Record<string, unknown>) => F | RawFailure | undefined;
  },
): Promise<{ call: BotApiCall; method: string; params: Record<string, unknown>; failure?: F } | undefined> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
  const params = { ...Object.fromEntries(url.searchParams), ...(await readParams(req)) };
  const call: BotApiCall = { method: match?.[2] ?? url.pathname, params, status: 0 };
  options.calls.push(call);
  if (!match) {
    call.status = options.refuse(res, 404, 'Not Found');
    return undefined;
  }
  if (decodeURIComponent(match[1]!) !== options.token) {
    call.status = options.refuse(res, 401, 'Unauthorized');
    return undefined;
  }
  const method = match[2]!;
  const failure = options.failures.get(method)?.shift() ?? options.failWhen?.(method, params);
  if (failure && 'drop' in failure) {
    req.socket.destroy();
    return undefined;
  }
  if (failure && 'hangMs' in failure) {
    const timer = setTimeout(() => req.socket.destroy(), failure.hangMs);
    req.socket.once('close', () => clearTimeout(timer));
    return undefined;
  }
  if (failure && 'body' in failure) {
    res.writeHead(failure.status, { 'content-type': 'text/html' }).end(failure.body);
    call.status = failure.status;
    return undefined;
  }
  return { call, method, params, ...(failure ? { failure: failure as F } : {}) };
}

export interface FakeServer {
  port: number;
  /** Drops every open connection and stops listening: calls fail as when the API is unreachable. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

/** Serves `handle` on a free loopback port; a handler that throws answers 500. */
export async function serveFake(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, 0);
  const fake: FakeServer = {
    port,
    async stop() {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async restart() {
      await fake.stop();
      await listen(server, port);
    },
  };
  return fake;
}
