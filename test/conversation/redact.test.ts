/** The one redaction module: known secrets in every form a library may echo, and personal numbers. */
import { describe, expect, it } from 'vitest';
import { maskPersonalNumbers, maskPersonalNumbersForCitizen, maskSecrets, redactSecrets } from '../../src/conversation/redact.js';

const TELEGRAM = '123456789:AAHk3vXb-9f_QWERTYuiopASDFGhjklZXCV';

describe('redactSecrets', () => {
  it('cuts a bot token out whole, URL-encoded, and its secret half alone', () => {
    const text = `GET /bot${TELEGRAM}/getMe · /bot${encodeURIComponent(TELEGRAM)}/x · half ${TELEGRAM.split(':')[1]}`;
    const out = redactSecrets(text, [TELEGRAM]);
    expect(out).not.toContain(TELEGRAM.split(':')[1]);
    expect(out).not.toContain('123456789%3A');
    expect(out.match(/<redacted>/g)).toHaveLength(3);
  });

  it('cuts several secrets (an OA access token and the app secret), longest first', () => {
    const access = 'oa-access-token-0123456789abcdef';
    const secret = 'app-secret-XYZ12345';
    expect(redactSecrets(`token=${access}&secret_key=${secret}`, [secret, access])).toBe('token=<redacted>&secret_key=<redacted>');
  });

  it('leaves text alone for empty or very short secrets (they would match ordinary words)', () => {
    expect(redactSecrets('Zalo getMe failed: 1 a', ['', '1', 'a'])).toBe('Zalo getMe failed: 1 a');
  });
});

describe('maskSecrets and maskPersonalNumbers', () => {
  it('masks token-shaped strings, token query parameters, CCCD and phone numbers', () => {
    const out = maskSecrets(`bot ${TELEGRAM} ?access_token=abc123 CCCD 012345678901 gọi 0912345678`);
    expect(out).not.toContain(TELEGRAM);
    expect(out).toContain('access_token=***');
    expect(out).not.toContain('012345678901');
    expect(out).not.toContain('0912345678');
    expect(maskPersonalNumbers('0912345678')).toBe('09******78');
  });
});

describe('maskPersonalNumbersForCitizen', () => {
  it('shows citizens enough of their own numbers to recognise them, in every written form', () => {
    for (const [typed, shown] of [
      ['0912345678', '0912 *** 678'],
      ['0912 345 678', '0912 *** 678'],
      ['0912.345.678', '0912 *** 678'],
      ['+84 912 345 678', '0912 *** 678'],
      ['84912345678', '0912 *** 678'],
      ['CCCD 079123456789', 'CCCD 079 ****** 789'],
      ['CMND 123456789', 'CMND *********'],
      ['hẻm 12, số 7', 'hẻm 12, số 7'],
    ] as const) {
      expect(maskPersonalNumbersForCitizen(typed), typed).toBe(shown);
    }
  });

  it("leaves the numbers it is told to keep (the ward's hotlines) as written", () => {
    const keep = new Set(['0888801247']);
    expect(maskPersonalNumbersForCitizen('Gọi 088 8801 247 hoặc số của anh 0912345678', keep)).toBe('Gọi 088 8801 247 hoặc số của anh 0912 *** 678');
  });
});
