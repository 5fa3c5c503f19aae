/**
 * @module The SessionStore contract: every implementation registers these tests with its own
 * factory (`memory-session-store.test.ts`, `redis-session-store.test.ts`), so they behave alike.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newSession, type Session } from '../../src/engine/session.js';
import type { SessionStore, SessionStoreOptions } from '../../src/store/session-store.js';

/** Makes a fresh, empty store; the suite closes it (close() must also release what the factory opened). */
export type SessionStoreFactory = (options: SessionStoreOptions) => Promise<SessionStore>;

const DEFAULTS: SessionStoreOptions = { sessionTtlSeconds: 3600, dedupeTtlSeconds: 3600 };

function session(key: string, vars: Session['vars'] = {}): Session {
  return { ...newSession(key, 'telegram', 1_700_000_000_000), vars };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeSessionStoreContract(name: string, makeStore: SessionStoreFactory): void {
  describe(`SessionStore contract: ${name}`, () => {
    const opened: SessionStore[] = [];
    async function open(options: Partial<SessionStoreOptions> = {}): Promise<SessionStore> {
      const store = await makeStore({ ...DEFAULTS, ...options });
      opened.push(store);
      return store;
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('starts a conversation with no session, saves what the turn returns and passes its result through', async () => {
      const store = await open();
      const result = await store.runTurn('tg:1', 'm1', async (ctx) => {
        expect(ctx).toEqual({ session: null, alreadyProcessed: false });
        return { session: session('tg:1', { step: 'a' }), result: 'answered' };
      });
      expect(result).toBe('answered');
      expect(await store.peek('tg:1')).toEqual(session('tg:1', { step: 'a' }));
      await store.runTurn('tg:1', 'm2', async (ctx) => {
        expect(ctx.session).toEqual(session('tg:1', { step: 'a' }));
        expect(ctx.alreadyProcessed).toBe(false);
        return { session: 'unchanged', result: null };
      });
    });

    it('keeps conversations apart and returns null for unknown ones', async () => {
      const store = await open();
      await store.runTurn('tg:1', 'm1', async () => ({ session: session('tg:1', { who: 'one' }), result: null }));
      await store.runTurn('zalo:1', 'm1', async (ctx) => {
        expect(ctx).toEqual({ session: null, alreadyProcessed: false });
        return { session: session('zalo:1', { who: 'two' }), result: null };
      });
      expect((await store.peek('tg:1'))?.vars).toEqual({ who: 'one' });
      expect((await store.peek('zalo:1'))?.vars).toEqual({ who: 'two' });
      expect(await store.peek('tg:404')).toBeNull();
    });

    it('stores a copy: changing the object after the turn changes nothing stored', async () => {
      const store = await open();
      const saved = session('tg:1', { list: [1, 2] });
      await store.runTurn('tg:1', 'm1', async () => ({ session: saved, result: null }));
      saved.vars.list = [];
      const peeked = await store.peek('tg:1');
      expect(peeked?.vars).toEqual({ list: [1, 2] });
      peeked!.vars.list = ['changed'];
      expect((await store.peek('tg:1'))?.vars).toEqual({ list: [1, 2] });
    });

    it('keeps Vietnamese text and odd conversation keys intact', async () => {
      const store = await open();
      const key = 'web:{a}%b}';
      await store.runTurn(key, 'm1', async () => ({ session: session(key, { name: 'Nguyễn Thị Ánh' }), result: null }));
      expect((await store.peek(key))?.vars).toEqual({ name: 'Nguyễn Thị Ánh' });
      expect(await store.peek('web:{a}')).toBeNull();
    });

    it('keeps a large session intact', async () => {
      const store = await open();
      const docs = Array.from({ length: 40 }, (_, i) => ({ name: `Giấy tờ số ${i}: bản sao có chứng thực`, have: i % 3 === 0 }));
      await store.runTurn('tg:1', 'm1', async () => ({ session: session('tg:1', { docs }), result: null }));
      expect((await store.peek('tg:1'))?.vars).toEqual({ docs });
      expect(await store.runTurn('tg:1', 'm2', async (ctx) => ({ session: 'unchanged', result: ctx.session?.vars }))).toEqual({ docs });
    });

    it('marks a message id handled once the turn saved, for that conversation only', async () => {
      const store = await open();
      await store.runTurn('tg:1', 'm1', async () => ({ session: session('tg:1'), result: null }));
      const again = await store.runTurn('tg:1', 'm1', async (ctx) => ({ session: 'unchanged', result: ctx.alreadyProcessed }));
      expect(again).toBe(true);
      const otherMessage = await store.runTurn('tg:1', 'm2', async (ctx) => ({ session: 'unchanged', result: ctx.alreadyProcessed }));
      expect(otherMessage).toBe(false);
      const otherConversation = await store.runTurn('tg:2', 'm1', async (ctx) => ({ session: 'unchanged', result: ctx.alreadyProcessed }));
      expect(otherConversation).toBe(false);
    });

    it('records the message also when the session is unchanged', async () => {
      const store = await open();
      await store.runTurn('tg:1', 'm1', async () => ({ session: 'unchanged', result: null }));
      expect(await store.peek('tg:1')).toBeNull();
      expect(await store.runTurn('tg:1', 'm1', async (ctx) => ({ session: 'unchanged', result: ctx.alreadyProcessed }))).toBe(true);
    });

    it('saves nothing and records nothing when the turn throws; the error reaches the caller', async () => {
      const store = await open();
      await store.runTurn('tg:1', 'm1', async () => ({ session: session('tg:1', { n: 1 }), result: null }));
      const boom = new Error('engine exploded');
      await expect(
        store.runTurn('tg:1', 'm2', async () => {
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect((await store.peek('tg:1'))?.vars).toEqual({ n: 1 });
      // The redelivery is handled normally, and the conversation is not stuck.
      const redelivered = await store.runTurn('tg:1', 'm2', async (ctx) => ({
        session: session('tg:1', { n: 2 }),
        result: ctx.alreadyProcessed,
      }));
      expect(redelivered).toBe(false);
      expect((await store.peek('tg:1'))?.vars).toEqual({ n: 2 });
    });

    it('deletes the session when the turn returns null', async () => {
      const store = await open();
      await store.runTurn('tg:1', 'm1', async () => ({ session: session('tg:1'), result: null }));
      await store.runTurn('tg:1', 'm2', async () => ({ session: null, result: null }));
      expect(await store.peek('tg:1')).toBeNull();
      await store.runTurn('tg:1', 'm3', async (ctx) => {
        expect(ctx.session).toBeNull();
        return { session: 'unchanged', result: null };
      });
    });

    it('erase forgets the session and the handled message ids', async () => {
      const store = await open();
      await store.runTurn('tg:1', 'm1', async () => ({ session: session('tg:1'), result: null }));
      await store.runTurn('tg:2', 'm1', async () => ({ session: session('tg:2'), result: null }));
      await store.erase('tg:1');
      expect(await store.peek('tg:1')).toBeNull();
      expect(await store.runTurn('tg:1', 'm1', async (ctx) => ({ session: 'unchanged', result: ctx }))).toEqual({
        session: null,
        alreadyProcessed: false,
      });
      expect(await store.peek('tg:2')).not.toBeNull();
      await store.erase('tg:never-seen');
    });

    it('runs the turns of one conversation one at a time, in arrival order, losing no update', async () => {
      const store = await open();
      let active = 0;
      let maxActive = 0;
      const order: number[] = [];
      const turns = Array.from({ length: 20 }, (_, i) =>
        store.runTurn('tg:1', `m${i}`, async ({ session: current }) => {
          active++;
          maxActive = Math.max(maxActive, active);
          order.push(i);
          const count = (current?.vars.count as number | undefined) ?? 0;
          await sleep(1);
          active--;
          return { session: session('tg:1', { count: count + 1 }), result: i };
        }),
      );
      expect(await Promise.all(turns)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(maxActive).toBe(1);
      expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect((await store.peek('tg:1'))?.vars.count).toBe(20);
    });

    it('does not make one conversation wait for another', async () => {
      const store = await open();
      let releaseFirst!: () => void;
      const firstMayEnd = new Promise<void>((resolve) => (releaseFirst = resolve));
      const first = store.runTurn('tg:1', 'm1', async () => {
        await firstMayEnd; // only the other conversation's turn can end this one
        return { session: session('tg:1'), result: 'first' };
      });
      const second = store.runTurn('tg:2', 'm1', async () => ({ session: session('tg:2'), result: 'second' }));
      expect(await second).toBe('second');
      releaseFirst();
      expect(await first).toBe('first');
    });

    it('a failed turn does not block the ones queued behind it', async () => {
      const store = await open();
      const failing = store.runTurn('tg:1', 'm1', async () => {
        await sleep(5);
        throw new Error('no');
      });
      const next = store.runTurn('tg:1', 'm2', async () => ({ session: session('tg:1', { ok: true }), result: 'next' }));
      await expect(failing).rejects.toThrow('no');
      expect(await next).toBe('next');
    });

    it('forgets an idle session after the session TTL and a message id after the dedupe TTL', async () => {
      const store = await open({ sessionTtlSeconds: 1, dedupeTtlSeconds: 1 });
      await store.runTurn('tg:1', 'm1', async () => ({ session: session('tg:1'), result: null }));
      expect(await store.peek('tg:1')).not.toBeNull();
      await sleep(1300);
      expect(await store.peek('tg:1')).toBeNull();
      expect(await store.runTurn('tg:1', 'm1', async (ctx) => ({ session: 'unchanged', result: ctx }))).toEqual({
        session: null,
        alreadyProcessed: false,
      });
    });

    it('is ready while open', async () => {
      const store = await open();
      expect(await store.ready()).toBe(true);
    });
  });
}
