/**
 * Issue 14, "Mở liên kết": with PUBLIC_URL set, the online guide's portal link goes through our
 * `/go/<entry>[/<case>]?c=<token>` redirect, which counts `online_link_opened` and sends the
 * citizen on to the catalog's own URL. Driven through the real channels (Telegram on the local
 * fake Bot API, the web chat over HTTP) and read back on the dashboard API; every catalog entry
 * and case checked for its target; nothing else reachable (unknown ids 404, the query string
 * never a target); forged tokens, HEAD and link-preview fetchers not counted.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlineInfoOf } from '../../src/catalog/engine-services.js';
import { loadCatalog } from '../../src/catalog/load-catalog.js';
import { staffClient, type StaffClient } from '../handoff/staff-client.js';
import { REAL_CONTENT_DIR } from '../catalog/catalog-fixture.js';
import { MANAGER_PASSWORD, startImpactServer, type ImpactServer } from './impact-server-kit.js';

const PUBLIC = 'https://chatbot.phuong9.example';
const BROWSER = 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';
const { catalog } = loadCatalog(REAL_CONTENT_DIR, { allowProblems: true });
const DAY = '2026-06-01';

describe('the online guide’s portal link, counted through /go', () => {
  let s: ImpactServer;
  let manager: StaffClient;
  /** Opens a link the citizen was given, on our server (its public address stands for the test's). */
  const open = (link: string, init: { method?: string; agent?: string } = {}) =>
    fetch(link.replace(PUBLIC, s.url), { method: init.method ?? 'GET', redirect: 'manual', headers: { 'user-agent': init.agent ?? BROWSER } });
  const linksOpened = async () => {
    await s.server.analytics.flush();
    const r = (await manager.get(`/staff/api/impact?from=${DAY}&to=${DAY}`)).json as { funnel: Array<{ step: string; count: number }>; topProcedures: Array<{ id: string; links: number }>; byChannel: Array<{ channel: string }> };
    return { total: r.funnel.find((f) => f.step === 'online_link_opened')!.count, byProcedure: Object.fromEntries(r.topProcedures.map((p) => [p.id, p.links])) };
  };

  beforeAll(async () => {
    s = await startImpactServer();
    manager = await staffClient(s.url);
    expect((await manager.login('minh', MANAGER_PASSWORD)).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('gives Telegram and the web chat a tracked link that opens the catalog’s portal page and is counted once per opening', async () => {
    await s.telegramSays(3001, '/start khai-sinh');
    await s.telegramSays(3001, 'nộp trực tuyến');
    const button = await s.tg.waitFor(() => s.tg.sent(3001).flatMap((m) => m.reply_markup?.inline_keyboard?.flat() ?? []).find((b) => b.url));
    expect(button.url).toMatch(new RegExp(`^${PUBLIC}/go/khai-sinh\\?c=telegram\\.[0-9a-f]{16}\\.[0-9a-f]{16}$`));
    expect(await linksOpened()).toEqual({ total: 0, byProcedure: { 'khai-sinh': 0 } });

    const answer = await open(button.url!);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(catalog!.byId.get('khai-sinh')!.online.url);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(await linksOpened()).toEqual({ total: 1, byProcedure: { 'khai-sinh': 1 } });

    // The web chat: a case of its own (the guide of a case links that case).
    const web = randomUUID();
    const say = async (message: Record<string, string>) => {
      const res = await fetch(`${s.url}/webchat/conversations/${web}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId: randomUUID(), ...message }) });
      expect(res.status).toBe(200);
      return ((await res.json()) as { replies: Array<{ links: Array<{ url: string }> }> }).replies.flatMap((r) => r.links.map((l) => l.url));
    };
    await say({ kind: 'start', text: 'ket-hon' });
    const links = await say({ kind: 'text', text: 'nộp trực tuyến' });
    const link = links.find((u) => u.startsWith(`${PUBLIC}/go/`));
    expect(link).toMatch(new RegExp(`^${PUBLIC}/go/ket-hon(/[a-z0-9-]+)?\\?c=web\\.[0-9a-f]{16}\\.[0-9a-f]{16}$`));
    const web302 = await open(link!);
    expect(web302.status).toBe(302);
    const caseId = /\/go\/ket-hon\/([a-z0-9-]+)/.exec(link!)?.[1];
    const entry = catalog!.byId.get('ket-hon')!;
    expect(web302.headers.get('location')).toBe(onlineInfoOf(entry, entry.cases?.find((c) => c.id === caseId)).url);
    await open(link!);
    expect(await linksOpened()).toEqual({ total: 3, byProcedure: { 'khai-sinh': 1, 'ket-hon': 2 } });
    // The dashboard says what the figure now means.
    const page = await (await fetch(`${s.url}/staff/reports`, { headers: { cookie: manager.cookies() } })).text();
    expect(page).toContain('“Mở liên kết” là số lần người dân bấm liên kết đến cổng');
    expect(page).not.toContain('chưa đếm được');
  });

  it('sends the citizen on without counting a forged token, no token, HEAD or a link-preview fetcher', async () => {
    const before = (await linksOpened()).total;
    const forged = `telegram.${'0'.repeat(16)}.${'1'.repeat(16)}`;
    for (const [path, init] of [
      [`/go/khai-sinh?c=${forged}`, {}],
      ['/go/khai-sinh', {}],
      ['/go/khai-sinh?c=', {}],
      ['/go/khai-sinh?c=a&c=b', {}],
      ['/go/khai-sinh', { method: 'HEAD' }],
      ['/go/khai-sinh?c=x', { agent: 'TelegramBot (like TwitterBot)' }],
      ['/go/khai-sinh?c=x', { agent: 'facebookexternalhit/1.1' }],
    ] as Array<[string, { method?: string; agent?: string }]>) {
      const answer = await open(`${s.url}${path}`, init);
      expect([path, answer.status, answer.headers.get('location')]).toEqual([path, 302, catalog!.byId.get('khai-sinh')!.online.url]);
    }
    // A real token from a preview fetcher is not counted either.
    await s.telegramSays(3002, '/start khai-sinh');
    await s.telegramSays(3002, 'nộp trực tuyến');
    const button = await s.tg.waitFor(() => s.tg.sent(3002).flatMap((m) => m.reply_markup?.inline_keyboard?.flat() ?? []).find((b) => b.url));
    expect((await open(button.url!, { agent: 'TelegramBot (like TwitterBot)' })).status).toBe(302);
    expect((await open(button.url!, { method: 'HEAD' })).status).toBe(302);
    expect((await linksOpened()).total).toBe(before);
  });

  it('sends every entry and case to the catalog’s own URL, and nothing else anywhere', async () => {
    let checked = 0;
    for (const entry of catalog!.entries) {
      for (const chosen of [undefined, ...(entry.cases ?? [])]) {
        const online = onlineInfoOf(entry, chosen);
        const path = `/go/${entry.id}${chosen ? `/${chosen.id}` : ''}?url=https://evil.example/&next=//evil.example`;
        const answer = await fetch(`${s.url}${path}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
        if (online.level === 'none' || !online.url) expect([path, answer.status]).toEqual([path, 404]);
        else {
          expect([path, answer.status, answer.headers.get('location')]).toEqual([path, 302, online.url]);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    for (const path of ['/go/khong-co-thu-tuc-nay', '/go/khai-sinh/khong-co-truong-hop', '/go/khai-sinh/a/b', '/go/..%2f..%2fstaff', '/go/%2F%2Fevil.example', '/go/https:%2F%2Fevil.example', '/go/']) {
      const answer = await fetch(`${s.url}${path}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
      expect([path, answer.status, answer.headers.get('location')]).toEqual([path, 404, null]);
    }
  });
});
