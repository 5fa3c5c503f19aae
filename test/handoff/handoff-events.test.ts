/**
 * Live updates across instances: a console connected (SSE, real socket) to instance B hears of
 * a ticket opened on instance A and of a citizen message there, through Redis pub/sub.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/conversation/logger.js';
import { staffRoutes } from '../../src/handoff/staff-routes.js';
import { textFrom } from '../helpers/assistant.js';
import { handoffKit, type HandoffKit } from './handoff-kit.js';
import { staffClient } from './staff-client.js';

let kit: HandoffKit | undefined;
let app: FastifyInstance | undefined;
const aborts: AbortController[] = [];
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort();
  await app?.close();
  await kit?.close();
  app = undefined;
  kit = undefined;
});

describe('live updates', () => {
  it('reach a console on another instance through Redis pub/sub', async () => {
    kit = await handoffKit();
    await kit.handoff.accounts.add('lan', 'mật-khẩu-dài-123');
    app = Fastify();
    await app.register(staffRoutes({ handoff: kit.instance(), sessionSecret: 'events-test-secret-0123456789', log: silentLogger }));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const client = await staffClient(base);
    expect((await client.login('lan', 'mật-khẩu-dài-123')).status).toBe(200);
    const cookie = client.cookies();

    const abort = new AbortController();
    aborts.push(abort);
    const response = await fetch(`${base}/staff/api/events`, { headers: { cookie }, signal: abort.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let received = '';
    const readUntil = async (needle: string) => {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        received += new TextDecoder().decode(value);
      }
    };
    await readUntil('retry:');
    // The subscriber connects on the first console; wait until Redis reports it.
    await expect.poll(async () => Number(((await kit!.redis!.call('PUBSUB', 'NUMSUB', `${kit!.prefix}handoff:events`)) as [string, number])[1])).toBeGreaterThan(0);

    // Instance A (the kit's conversation and handoff) opens the ticket.
    await kit.conversation.handleInbound(textFrom('77', 'gặp cán bộ', 'telegram'));
    const [ticket] = await kit.handoff.desk.list();
    await readUntil(`"ticket_opened","ticketId":"${ticket!.id}"`);
    await kit.conversation.handleInbound(textFrom('77', 'tôi cần hỏi về sổ đỏ', 'telegram'));
    await readUntil('event: message');
    // Events carry ids, never what the citizen wrote.
    expect(received).not.toContain('sổ đỏ');
  });
});
