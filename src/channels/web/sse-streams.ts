/**
 * @module The Server-Sent Events streams this process holds open, by web conversation: writes
 * events to them, keeps them alive through proxies with comment heartbeats, caps how many there
 * are, and ends them all at shutdown (an open stream would otherwise hold the server open).
 */
import type { ServerResponse } from 'node:http';

export interface SseStreams {
  /**
   * Takes over `res` as an event stream and returns the function that writes one `message` event
   * to it; undefined when the caps are reached (nothing written: the caller answers 503).
   * `onClose` runs once when the stream ends, whoever ends it.
   */
  open(conversationId: string, res: ServerResponse, onClose: () => void): ((data: unknown) => void) | undefined;
  count(): number;
  closeAll(): void;
}

export interface SseStreamOptions {
  /** Streams per conversation (tabs of one citizen). Default 5. */
  perConversation?: number;
  /** Streams in this process. Default 2000. */
  total?: number;
  /** Comment line interval, under the idle timeout of common proxies. Default 25 s. */
  heartbeatMs?: number;
}

export function createSseStreams(options: SseStreamOptions = {}): SseStreams {
  const perConversation = options.perConversation ?? 5;
  const total = options.total ?? 2000;
  const streams = new Map<string, Set<ServerResponse>>();
  const closers = new Map<ServerResponse, () => void>();
  let timer: NodeJS.Timeout | undefined;

  function ensureHeartbeat(): void {
    if (timer) return;
    timer = setInterval(() => {
      for (const res of closers.keys()) res.write(': ping\n\n');
    }, options.heartbeatMs ?? 25_000);
    timer.unref();
  }

  function remove(conversationId: string, res: ServerResponse): void {
    const set = streams.get(conversationId);
    set?.delete(res);
    if (set?.size === 0) streams.delete(conversationId);
    const onClose = closers.get(res);
    closers.delete(res);
    onClose?.();
    if (closers.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    open(conversationId, res, onClose) {
      const set = streams.get(conversationId) ?? new Set<ServerResponse>();
      if (set.size >= perConversation || closers.size >= total) return undefined;
      set.add(res);
      streams.set(conversationId, set);
      closers.set(res, onClose);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx: do not buffer the stream.
        'x-accel-buffering': 'no',
      });
      // Reconnect after 3 s when the connection drops (EventSource does so by itself).
      res.write('retry: 3000\n\n');
      res.on('close', () => remove(conversationId, res));
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
          remove(conversationId, res);
        }
      }
    },
  };
}
