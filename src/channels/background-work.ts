/**
 * @module What a channel runs in the background and must finish before it stops: the turns and
 * deliveries it started (open-channel.ts tracks them for every channel).
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
