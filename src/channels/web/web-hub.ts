/**
 * @module How a message for a web conversation reaches the browser tabs that show it: the
 * instance that sends publishes, every instance delivers to the SSE streams it holds for that
 * conversation. In one process (no Redis) that is a simple in-memory fan-out; with Redis it is
 * pub/sub (redis-web-hub.ts), so a staff reply sent from any instance reaches the citizen's tab
 * wherever it is connected.
 */
export type HubListener = (payload: unknown) => void;

export interface WebHub {
  /** Delivers `payload` to every subscriber of the conversation, on every instance. */
  publish(conversationId: string, payload: unknown): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(conversationId: string, listener: HubListener): () => void;
  close(): Promise<void>;
}

/** The local half every hub needs: listeners of this process, by conversation. */
export function createLocalFanOut(): {
  deliver(conversationId: string, payload: unknown): void;
  subscribe(conversationId: string, listener: HubListener): () => void;
  clear(): void;
} {
  const listeners = new Map<string, Set<HubListener>>();
  return {
    deliver(conversationId, payload) {
      for (const listener of listeners.get(conversationId) ?? []) listener(payload);
    },
    subscribe(conversationId, listener) {
      let set = listeners.get(conversationId);
      if (!set) listeners.set(conversationId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(conversationId) === set) listeners.delete(conversationId);
      };
    },
    clear() {
      listeners.clear();
    },
  };
}

export function createMemoryWebHub(): WebHub {
  const local = createLocalFanOut();
  return {
    async publish(conversationId, payload) {
      local.deliver(conversationId, payload);
    },
    subscribe: local.subscribe,
    async close() {
      local.clear();
    },
  };
}
