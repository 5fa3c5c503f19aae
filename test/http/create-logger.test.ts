import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logFormatFor, maskPath, type LogFormat } from '../../src/http/create-logger.js';

function capture(format: LogFormat) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    format,
    destination: new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  });
  return { logger, lines };
}

// The same guarantees in both formats: the readable one is printed from the redacted JSON line.
describe.each(['json', 'pretty'] as const)('createLogger (%s)', (format) => {
  it('redacts known fields: tokens, secrets, headers, the citizen text', () => {
    const { logger, lines } = capture(format);
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
    expect(out).toMatch(/"choiceId": ?"find"/);
    expect(out).toContain('[redacted]');
  });

  it('masks personal numbers and bot tokens in messages and top-level strings', () => {
    const { logger, lines } = capture(format);
    logger.warn({ err: 'call to https://api.telegram.org/bot123456789:AAFakeTokenFakeTokenFakeTokenFake1234/sendMessage failed' }, 'CCCD 079123456789 phone +84 912 345 678');
    const out = lines.join('');
    expect(out).not.toContain('AAFakeTokenFakeToken');
    expect(out).not.toContain('079123456789');
    expect(out).not.toContain('912 345 678');
    expect(out).toContain('*********789');
  });
});

describe('log formats', () => {
  it('json writes one JSON object per line; pretty writes a readable line with the level and the message first', () => {
    const json = capture('json');
    json.logger.info({ url: 'http://127.0.0.1:3000' }, 'serving the web chat on http://127.0.0.1:3000/');
    const line = json.lines.join('').trim();
    expect(JSON.parse(line)).toMatchObject({ level: 30, msg: 'serving the web chat on http://127.0.0.1:3000/', url: 'http://127.0.0.1:3000' });

    const pretty = capture('pretty');
    pretty.logger.info({ url: 'http://127.0.0.1:3000' }, 'serving the web chat on http://127.0.0.1:3000/');
    const text = pretty.lines.join('');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: serving the web chat on http:\/\/127\.0\.0\.1:3000\/ /);
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(() => JSON.parse(text)).toThrow();
    expect(text).not.toMatch(/hostname|"pid"/);
  });

  it('LOG_FORMAT=auto is pretty in a terminal and JSON otherwise; json and pretty are forced', () => {
    expect(logFormatFor('auto', true)).toBe('pretty');
    expect(logFormatFor('auto', false)).toBe('json');
    expect(logFormatFor('json', true)).toBe('json');
    expect(logFormatFor('pretty', false)).toBe('pretty');
  });
});

describe('maskPath', () => {
  it('logs web paths without conversation ids or query strings', () => {
    expect(maskPath('/webchat/conversations/0f8fad5b-d9cb-469f-a165-70867728950e/events?x=1')).toBe('/webchat/conversations/:id/events?…');
    expect(maskPath('/healthz')).toBe('/healthz');
  });
});
