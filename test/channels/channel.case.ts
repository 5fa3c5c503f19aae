/**
 * @module The contract every registered channel keeps, whatever its platform. Run against each
 * channel by channels.contract.test.ts, through the whole server (startServer: real Redis, real
 * sockets) and the channel's local fake platform, via a harness that knows the platform's wire
 * format (harnesses.ts):
 *   - a citizen's text gets the answer, to that citizen only;
 *   - the same platform message delivered twice is answered once;
 *   - a wrong or missing secret / signature is refused (401) and nothing is done;
 *   - every malformed update of the platform (not an object, an object missing, a string where an
 *     object belongs, an object where an id or a text belongs) is answered 400 or ignored — never
 *     500, never an answer, never a conversation named "[object Object]" in the store;
 *   - text is cleaned the same way (NUL, bidi overrides, lone surrogates) before the conversation
 *     sees it, and the citizen still gets the right answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/store/session-store.js';

export interface HarnessRun {
  /** A user id as the platform gives them (fresh each call). */
  user(): string;
  /** The citizen writes `text` (the platform's message id `messageId`, fresh when omitted); the HTTP status. */
  text(user: string, text: string, messageId?: string): Promise<number>;
  /** The same, with a wrong or missing secret or signature: every status answered. Absent: the channel has no authentication. */
  unauthenticated?(user: string, text: string): Promise<number[]>;
  /** A raw body exactly as given, authenticated as the platform would; the HTTP status. */
  raw(body: string): Promise<number>;
  /** What citizens received so far, as plain text, for one user or all. */
  received(user?: string): string[];
  /** Waits until every reply in flight reached the platform. */
  idle(): Promise<void>;
  /** The store key of a user's conversation. */
  key(user: string): string;
  store: SessionStore;
  /** Every Redis key under this run's prefix. */
  keys(): Promise<string[]>;
  /** The server's warning and error lines (JSON), when it runs as a server. */
  logs?(): string[];
  /** The server's clock: real time plus `offset` ms. */
  clock?: { offset: number };
  stop(): Promise<void>;
}

export interface MalformedCase {
  /** Which kind of malformed: not-an-object, missing-object, string-for-object, object-for-id, object-for-text, … */
  kind: string;
  body: string;
  /** Statuses allowed besides 400 and 200 (Zalo OA: a body whose app_id cannot be read cannot be authenticated → 401). */
  alsoAllowed?: number[];
}

export interface ChannelHarness {
  name: string;
  start(): Promise<HarnessRun>;
  malformed: MalformedCase[];
}

/** The kinds every channel whose updates are JSON must cover. */
export const MALFORMED_KINDS = ['not-an-object', 'missing-object', 'string-for-object', 'object-for-id', 'object-for-text'];

const DIRTY = 'xin\u0000 giấy \u202Eđộc\u2066 thân\uD800';
const CLEAN = 'xin giấy độc thân';

export function channelContract(harness: ChannelHarness): void {
  describe(`channel contract: ${harness.name}`, () => {
    let run: HarnessRun;
    beforeAll(async () => {
      run = await harness.start();
    });
    afterAll(async () => {
      await run?.stop();
    });

    it('answers a citizen\'s text, to that citizen only', async () => {
      const [a, b] = [run.user(), run.user()];
      expect(await run.text(a, 'đăng ký kết hôn')).toBe(200);
      await run.idle();
      const texts = run.received(a).join('\n');
      expect(texts).toContain('Xin chào');
      expect(texts).toContain('Đăng ký kết hôn');
      expect(run.received(b)).toEqual([]);
      expect((await run.store.peek(run.key(a)))?.key).toBe(run.key(a));
    });

    it('answers the same platform message delivered twice once', async () => {
      const a = run.user();
      const id = `dup${Date.now().toString(36)}`;
      expect(await run.text(a, '/start', id)).toBe(200);
      expect(await run.text(a, '/start', id)).toBe(200);
      await run.idle();
      expect(run.received(a).filter((t) => t.includes('Xin chào'))).toHaveLength(1);
    });

    it('refuses a wrong or missing secret or signature with 401, and does nothing', async (context) => {
      if (!run.unauthenticated) return context.skip();
      const a = run.user();
      const statuses = await run.unauthenticated(a, '/start');
      expect(statuses.length).toBeGreaterThanOrEqual(2);
      for (const status of statuses) expect(status).toBe(401);
      await run.idle();
      expect(run.received(a)).toEqual([]);
      expect(await run.store.peek(run.key(a))).toBeNull();
    });

    it('logs a flood of refused requests once a minute per source, with the count', async (context) => {
      if (!run.unauthenticated || !run.logs || !run.clock) return context.skip();
      const clock = run.clock;
      const lines = () => run.logs!().map((l) => JSON.parse(l) as { msg: string; refusals?: number; source?: string }).filter((l) => l.msg.includes('webhook refused'));
      const a = run.user();
      try {
        // Earlier refusals of this suite are a window ago.
        clock.offset += 61_000;
        const before = lines().length;
        let refused = 0;
        for (let i = 0; i < 20; i++) refused += (await run.unauthenticated(a, '/start')).length;
        const flood = lines().slice(before);
        expect(flood).toHaveLength(1);
        expect(flood[0]?.source).toBe('127.0.0.1');
        clock.offset += 61_000;
        await run.unauthenticated(a, '/start');
        const next = lines().slice(before + 1);
        expect(next).toHaveLength(1);
        // The flood's first refusal had its own line; this one stands for the others and itself.
        expect(next[0]?.refusals).toBe(refused);
        expect(next[0]?.msg).toContain(`${refused} times`);
      } finally {
        clock.offset = 0;
      }
    });

    it('covers every kind of malformed update', () => {
      const kinds = new Set(harness.malformed.map((m) => m.kind));
      for (const kind of MALFORMED_KINDS) expect([...kinds], `${harness.name} has no "${kind}" case`).toContain(kind);
    });

    for (const malformed of harness.malformed) {
      it(`answers a malformed update (${malformed.kind}: ${malformed.body.slice(0, 70)}) with 400 or ignores it, never 500`, async () => {
        const before = run.received().length;
        const status = await run.raw(malformed.body);
        expect([200, 400, ...(malformed.alsoAllowed ?? [])]).toContain(status);
        await run.idle();
        expect(run.received().length).toBe(before);
        for (const key of await run.keys()) expect(key).not.toMatch(/object|undefined|null|NaN/i);
      });
    }

    it('cleans NUL, bidi overrides and lone surrogates from the text, and still finds the procedure', async () => {
      const a = run.user();
      expect(await run.text(a, DIRTY)).toBe(200);
      await run.idle();
      const session = await run.store.peek(run.key(a));
      expect(session?.vars.query).toBe(CLEAN);
      expect(run.received(a).join('\n')).toContain('tình trạng hôn nhân');
    });
  });
}
