/**
 * @module What a platform channel runs in the background and must finish before it stops: the
 * turns and deliveries it started, and its long-poll loop. Shared by Telegram and Zalo.
 */
export interface BackgroundWork {
  /** Remembers a promise until it settles; returns it unchanged. */
  track<T>(promise: Promise<T>): Promise<T>;
  /** Resolves once every tracked promise, including ones started meanwhile, has settled. */
  idle(): Promise<void>;
}

export function createBackgroundWork(): BackgroundWork {
  const inflight = new Set<Promise<unknown>>();
  return {
    track(promise) {
      inflight.add(promise);
      const forget = () => inflight.delete(promise);
      void promise.then(forget, forget);
      return promise;
    },
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
}

export interface Poller {
  /** Starts the loop unless it runs already. */
  start(): void;
  /** Aborts the loop's signal and waits for the loop to return. */
  stop(): Promise<void>;
}

export function createPoller(loop: (signal: AbortSignal) => Promise<void>): Poller {
  let running: { abort: AbortController; done: Promise<void> } | undefined;
  return {
    start() {
      if (running) return;
      const abort = new AbortController();
      running = { abort, done: loop(abort.signal) };
    },
    async stop() {
      if (!running) return;
      running.abort.abort();
      await running.done;
      running = undefined;
    },
  };
}
