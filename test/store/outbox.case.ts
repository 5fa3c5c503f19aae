/**
 * @module The Outbox contract: every implementation registers these tests with a factory giving an
 * outbox and the session store that writes into it (`outbox.test.ts`: memory, Redis, one-node
 * Redis Cluster), so turns' replies are queued, ordered, fenced and buried alike.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newSession } from '../../src/engine/session.js';
import type { DeadLetter, Outbox, OutboxItem } from '../../src/store/outbox.js';
import type { SessionStore } from '../../src/store/session-store.js';

export interface OutboxPair {
  outbox: Outbox;
  store: SessionStore;
  close(): Promise<void>;
}

export type OutboxFactory = () => Promise<OutboxPair>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function letter(key: string, item: OutboxItem, reason = 'horizon'): DeadLetter {
  return { key, channel: item.channel, conversationId: item.conversationId, createdAt: item.createdAt, deadAt: Date.now(), reason, description: 'test', texts: item.messages.map((m) => m.text) };
}

export function describeOutboxContract(name: string, make: OutboxFactory): void {
  describe(`Outbox contract: ${name}`, () => {
    const opened: OutboxPair[] = [];
    async function open(): Promise<OutboxPair> {
      const pair = await make();
      opened.push(pair);
      return pair;
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((p) => p.close()));
    });

    /** One turn of `key` that saves a session and queues `texts` as its replies. */
    async function turn(store: SessionStore, key: string, messageId: string, texts: string[]): Promise<void> {
      await store.runTurn(key, messageId, async () => ({
        session: newSession(key, 'telegram', 1_700_000_000_000),
        result: null,
        outbox: { channel: 'telegram', conversationId: key.slice(3), messages: texts.map((text) => ({ text })) },
      }));
    }

    it("queues a turn's replies with its save, in turn order; a turn that throws queues nothing", async () => {
      const { outbox, store } = await open();
      await turn(store, 'tg:1', 'm1', ['một', 'hai']);
      await expect(
        store.runTurn('tg:1', 'm2', async () => {
          throw new Error('engine broke');
        }),
      ).rejects.toThrow('engine broke');
      await turn(store, 'tg:1', 'm3', ['ba']);
      const first = await outbox.claim('tg:1', 'w1', 10_000, Date.now());
      expect(first.state).toBe('ready');
      if (first.state !== 'ready') return;
      expect(first.depth).toBe(2);
      expect(first.item).toMatchObject({ channel: 'telegram', conversationId: '1', messages: [{ text: 'một' }, { text: 'hai' }], sent: 0, attempts: 0 });
      const second = await outbox.complete('tg:1', 'w1', first.item, 10_000);
      expect(second.state).toBe('ready');
      if (second.state !== 'ready') return;
      expect(second.item.messages).toEqual([{ text: 'ba' }]);
      expect(await outbox.complete('tg:1', 'w1', second.item, 10_000)).toEqual({ state: 'empty' });
      expect(await outbox.pending()).toEqual([]);
      // The message that threw was not recorded: its redelivery is a normal turn.
      await store.runTurn('tg:1', 'm2', async (ctx) => {
        expect(ctx.alreadyProcessed).toBe(false);
        return { session: 'unchanged', result: null };
      });
    });

    it('lets one worker at a time work on a conversation, and others on other conversations', async () => {
      const { outbox, store } = await open();
      await turn(store, 'tg:1', 'm1', ['a']);
      await turn(store, 'tg:2', 'm1', ['b']);
      expect((await outbox.claim('tg:1', 'w1', 10_000, Date.now())).state).toBe('ready');
      expect(await outbox.claim('tg:1', 'w2', 10_000, Date.now())).toEqual({ state: 'busy' });
      expect((await outbox.claim('tg:2', 'w2', 10_000, Date.now())).state).toBe('ready');
      const pending = (await outbox.pending()).sort((a, b) => a.key.localeCompare(b.key));
      expect(pending.map((p) => [p.key, p.depth])).toEqual([
        ['tg:1', 1],
        ['tg:2', 1],
      ]);
      expect(pending.every((p) => typeof p.oldestAt === 'number')).toBe(true);
    });

    it('fences a worker whose lease expired: its complete, defer and bury change nothing', async () => {
      const { outbox, store } = await open();
      await turn(store, 'tg:1', 'm1', ['a']);
      await turn(store, 'tg:1', 'm2', ['b']);
      const stale = await outbox.claim('tg:1', 'w1', 100, Date.now());
      if (stale.state !== 'ready') throw new Error('expected a claim');
      await sleep(250);
      const fresh = await outbox.claim('tg:1', 'w2', 10_000, Date.now());
      expect(fresh.state).toBe('ready');
      expect(await outbox.complete('tg:1', 'w1', stale.item, 10_000)).toEqual({ state: 'lost' });
      expect(await outbox.defer('tg:1', 'w1', stale.item, { ...stale.item, attempts: 9 })).toBe(false);
      expect(await outbox.bury('tg:1', 'w1', stale.item, letter('tg:1', stale.item))).toBe(false);
      expect(await outbox.renew('tg:1', 'w1', 10_000)).toBe(false);
      expect((await outbox.pending())[0]?.depth).toBe(2);
      expect(await outbox.deadLetters(10)).toEqual([]);
    });

    it('keeps a deferred item at the head until it is due, for any worker', async () => {
      const { outbox, store } = await open();
      await turn(store, 'tg:1', 'm1', ['a']);
      await turn(store, 'tg:1', 'm2', ['b']);
      const claim = await outbox.claim('tg:1', 'w1', 10_000, Date.now());
      if (claim.state !== 'ready') throw new Error('expected a claim');
      const at = Date.now() + 60_000;
      expect(await outbox.defer('tg:1', 'w1', claim.item, { ...claim.item, attempts: 1, sent: 0, nextAt: at, lastError: 'HTTP 500' })).toBe(true);
      // Released: another worker may look, but the head is not due, and the later item waits behind it.
      expect(await outbox.claim('tg:1', 'w2', 10_000, Date.now())).toEqual({ state: 'later', at });
      const due = await outbox.claim('tg:1', 'w2', 10_000, at + 1);
      expect(due.state).toBe('ready');
      if (due.state !== 'ready') return;
      expect(due.item).toMatchObject({ messages: [{ text: 'a' }], attempts: 1, nextAt: at, lastError: 'HTTP 500' });
    });

    it('buries the head for staff, counts it for the next turn, which clears the count', async () => {
      const { outbox, store } = await open();
      await turn(store, 'tg:1', 'm1', ['a']);
      await turn(store, 'tg:1', 'm2', ['b']);
      const claim = await outbox.claim('tg:1', 'w1', 10_000, Date.now());
      if (claim.state !== 'ready') throw new Error('expected a claim');
      expect(await outbox.bury('tg:1', 'w1', claim.item, letter('tg:1', claim.item, 'blocked'))).toBe(true);
      const next = await outbox.claim('tg:1', 'w1', 10_000, Date.now());
      expect(next.state === 'ready' && next.item.messages).toEqual([{ text: 'b' }]);
      expect(await outbox.deadLetters(10)).toEqual([expect.objectContaining({ key: 'tg:1', channel: 'telegram', conversationId: '1', reason: 'blocked', texts: ['a'] })]);
      await store.runTurn('tg:1', 'm3', async (ctx) => {
        expect(ctx.undelivered).toBe(1);
        return { session: 'unchanged', result: null, clearUndelivered: true };
      });
      await store.runTurn('tg:1', 'm4', async (ctx) => {
        expect(ctx.undelivered).toBeUndefined();
        return { session: 'unchanged', result: null };
      });
    });

    it('keeps the replies of a turn that erases the conversation (the confirmation must arrive)', async () => {
      const { outbox, store } = await open();
      await store.runTurn('tg:1', 'm1', async () => ({ session: null, result: null, outbox: { channel: 'telegram', conversationId: '1', messages: [{ text: 'Đã xóa.' }] } }));
      const claim = await outbox.claim('tg:1', 'w1', 10_000, Date.now());
      expect(claim.state === 'ready' && claim.item.messages).toEqual([{ text: 'Đã xóa.' }]);
    });

    it("takes the worker's lease in the save when it is free, and says busy when another worker holds it", async () => {
      const { outbox, store } = await open();
      const claims: Array<{ owner: string; state: string; texts?: string[] }> = [];
      const save = (messageId: string, owner: string, text: string) =>
        store.runTurn('tg:1', messageId, async () => ({
          session: newSession('tg:1', 'telegram', 1_700_000_000_000),
          result: null,
          outbox: { channel: 'telegram', conversationId: '1', messages: [{ text }] },
          lease: { owner, leaseMs: 10_000, claimed: (claim) => claims.push({ owner, state: claim.state, ...(claim.state === 'ready' ? { texts: claim.item.messages.map((m) => m.text) } : {}) }) },
        }));
      await save('m1', 'w1', 'một');
      await save('m2', 'w2', 'hai');
      expect(claims).toEqual([
        { owner: 'w1', state: 'ready', texts: ['một'] },
        { owner: 'w2', state: 'busy' },
      ]);
      expect(await outbox.claim('tg:1', 'w2', 10_000, Date.now())).toEqual({ state: 'busy' });
      const held = await outbox.claim('tg:1', 'w1', 10_000, Date.now());
      expect(held.state === 'ready' && held.depth).toBe(2);
    });

    it('appends outside a turn after what is pending (a notice)', async () => {
      const { outbox, store } = await open();
      await turn(store, 'tg:1', 'm1', ['a']);
      await outbox.append('tg:1', { channel: 'telegram', conversationId: '1', messages: [{ text: 'notice' }] });
      const claim = await outbox.claim('tg:1', 'w1', 10_000, Date.now());
      if (claim.state !== 'ready') throw new Error('expected a claim');
      const next = await outbox.complete('tg:1', 'w1', claim.item, 10_000);
      expect(next.state === 'ready' && next.item.messages).toEqual([{ text: 'notice' }]);
    });
  });
}
