import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskPath } from '../../src/http/create-logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  });
  return { logger, lines };
}

describe('createLogger', () => {
  it('redacts known fields: tokens, secrets, headers, the citizen text', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        token: 'tok-1',
        inbound: { text: 'xin chào tôi tên Lan', choiceId: 'find' },
        req: { headers: { 'x-telegram-bot-api-secret-token': 'sec-2', authorization: 'Bearer abc' } },
        body: { phone: '0987654321' },
      },
      'turn',
    );
    const out = lines.join('');
    for (const leaked of ['tok-1', 'xin chào tôi tên Lan', 'sec-2', 'Bearer abc', '0987654321']) expect(out).not.toContain(leaked);
    expect(out).toContain('"choiceId":"find"');
    expect(out).toContain('[redacted]');
  });

  it('masks personal numbers and bot tokens in messages and top-level strings', () => {
    const { logger, lines } = capture();
    logger.warn({ err: 'call to https://api.telegram.org/bot123456789:AAFakeTokenFakeTokenFakeTokenFake1234/sendMessage failed' }, 'CCCD 079123456789 phone +84 912 345 678');
    const out = lines.join('');
    expect(out).not.toContain('AAFakeTokenFakeToken');
    expect(out).not.toContain('079123456789');
    expect(out).not.toContain('912 345 678');
    expect(out).toContain('*********789');
  });

  it('logs web paths without conversation ids or query strings', () => {
    expect(maskPath('/webchat/conversations/0f8fad5b-d9cb-469f-a165-70867728950e/events?x=1')).toBe('/webchat/conversations/:id/events?…');
    expect(maskPath('/healthz')).toBe('/healthz');
  });
});
