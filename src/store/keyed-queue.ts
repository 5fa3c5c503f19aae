/**
 * @module Runs tasks one at a time per key, in arrival order, within this process: a failed task
 * does not stop the next one. Both session stores put a conversation's turns through it (the
 * Redis store adds its cross-process lock on top), and the channel kit a conversation's
 * deliveries (open-channel.ts), so one conversation's messages leave in order.
 */
export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Settles when the tasks queued now have settled. */
  idle(): Promise<void>;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      const run = previous.then(task);
      const settled = run.catch(() => undefined);
      tails.set(key, settled);
      void settled.then(() => {
        if (tails.get(key) === settled) tails.delete(key);
      });
      return run;
    },
    async idle() {
      await Promise.allSettled([...tails.values()]);
    },
  };
}
