/**
 * @module The Server-Sent Events streams this process holds open, by web conversation: writes
 * events to them, keeps them alive through proxies with comment heartbeats, caps how many are
 * open at once — per client address (IPv6 by /64: one client must not hold every slot), per
 * conversation (tabs of one citizen) and in all — and ends them all at shutdown (an open stream
 * would otherwise hold the server open). The caps count open streams, not connections per minute.
 */
import type { ServerResponse } from 'node:http';

export interface SseStreams {
  /**
   * Takes over `res` as an event stream and returns the function that writes one `message` event
   * to it; or, when a cap is reached, which one (nothing written: the caller answers 429 or 503).
   * `onClose` runs once when the stream ends, whoever ends it. `address`: the client's group
   * (client-address.ts).
   */
  open(conversationId: string, address: string, res: ServerResponse, onClose: () => void): ((data: unknown) => void) | { refused: 'address' | 'conversation' | 'total' };
  count(): number;
  closeAll(): void;
}

export interface SseStreamOptions {
  /** Streams per conversation (tabs of one citizen). Default 5. */
  perConversation?: number;
  /** Streams per client address (IPv6 by /64). Default 20. */
  perAddress?: number;
  /** Streams in this process. Default 2000. */
  total?: number;
  /** Comment line interval, under the idle timeout of common proxies. Default 25 s. */
  heartbeatMs?: number;
}

export function createSseStreams(options: SseStreamOptions = {}): SseStreams {
  const perConversation = options.perConversation ?? 5;
  const perAddress = options.perAddress ?? 20;
  const total = options.total ?? 2000;
  const streams = new Map<string, Set<ServerResponse>>();
  const byAddress = new Map<string, number>();
  const closers = new Map<ServerResponse, () => void>();
  const addressOf = new Map<ServerResponse, string>();
  let timer: NodeJS.Timeout | undefined;

  function ensureHeartbeat(): void {
    if (timer) return;
    timer = setInterval(() => {
      for (const res of closers.keys()) res.write(': ping\n\n');
    }, options.heartbeatMs ?? 25_000);
    timer.unref();
  }

  function remove(conversationId: string, address: string, res: ServerResponse): void {
    const set = streams.get(conversationId);
    if (!set?.delete(res)) return;
    if (set.size === 0) streams.delete(conversationId);
    const left = (byAddress.get(address) ?? 1) - 1;
    if (left > 0) byAddress.set(address, left);
    else byAddress.delete(address);
    const onClose = closers.get(res);
    closers.delete(res);
    addressOf.delete(res);
    onClose?.();
    if (closers.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    open(conversationId, address, res, onClose) {
      const set = streams.get(conversationId) ?? new Set<ServerResponse>();
      if ((byAddress.get(address) ?? 0) >= perAddress) return { refused: 'address' };
      if (set.size >= perConversation) return { refused: 'conversation' };
      if (closers.size >= total) return { refused: 'total' };
      set.add(res);
      streams.set(conversationId, set);
      byAddress.set(address, (byAddress.get(address) ?? 0) + 1);
      closers.set(res, onClose);
      addressOf.set(res, address);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx: do not buffer the stream.
        'x-accel-buffering': 'no',
      });
      // Reconnect after 3 s when the connection drops (EventSource does so by itself).
      res.write('retry: 3000\n\n');
      res.on('close', () => remove(conversationId, address, res));
      // A client gone before this ran never emits 'close' again: free its slot now.
      if (res.destroyed || res.socket?.destroyed) remove(conversationId, address, res);
      ensureHeartbeat();
      return (data) => {
        if (closers.has(res)) res.write(`event: message\ndata: ${JSON.stringify(data)}\n\n`);
      };
    },
    count() {
      return closers.size;
    },
    closeAll() {
      for (const [conversationId, set] of [...streams]) {
        for (const res of [...set]) {
          res.end();
          remove(conversationId, addressOf.get(res) ?? '', res);
        }
      }
    },
  };
}
