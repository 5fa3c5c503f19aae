import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('config', () => {
  it('has defaults that start the web chat with no tokens and no Redis', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, ZALO_API_ROOT: 'https://bot-api.zaloplatforms.com', TELEGRAM_API_ROOT: 'https://api.telegram.org' });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names bad variables without printing their values', () => {
    const secret = 'bad secret with spaces!';
    let message = '';
    try {
      loadConfig({ PORT: 'abc', TELEGRAM_WEBHOOK_SECRET: secret, ZALO_WEBHOOK_SECRET: 'short' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/TELEGRAM_WEBHOOK_SECRET/);
    expect(message).toMatch(/ZALO_WEBHOOK_SECRET/);
    expect(message).not.toContain(secret);
  });

  const TG = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1';
  const ZALO = '1459232241454765289:abcXYZsecret-123';

  it('requires webhook secrets in webhook mode', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'https://bot.example.vn', TELEGRAM_BOT_TOKEN: TG })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => loadConfig({ PUBLIC_URL: 'https://bot.example.vn', ZALO_BOT_TOKEN: ZALO })).toThrow(/ZALO_WEBHOOK_SECRET/);
    expect(loadConfig({ PUBLIC_URL: 'https://bot.example.vn', TELEGRAM_BOT_TOKEN: TG, TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123' }).PUBLIC_URL).toBe('https://bot.example.vn');
  });

  it('checks the form of bot tokens at start, naming the variable but not the value', () => {
    // The secret half alone, a token with a space, a truncated paste, a placeholder.
    for (const bad of ['AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1', '123456789:AAHdqTcvCH1vGWJx fSeofSAs0K5PALDsaw1', '123456789:AAHdqTcv', '<your token>']) {
      let message = '';
      try {
        loadConfig({ TELEGRAM_BOT_TOKEN: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, bad).toMatch(/TELEGRAM_BOT_TOKEN: expected <digits>:<secret>/);
      expect(message).not.toContain(bad);
    }
    expect(() => loadConfig({ ZALO_BOT_TOKEN: 'just-a-secret' })).toThrow(/ZALO_BOT_TOKEN/);
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: TG, ZALO_BOT_TOKEN: ZALO }).TELEGRAM_BOT_TOKEN).toBe(TG);
  });

  it('turns Zalo OA on with ZALO_OA_APP_ID and then requires the OA id and both (different) secrets', () => {
    expect(loadConfig({}).ZALO_OA_APP_ID).toBeUndefined();
    expect(() => loadConfig({ ZALO_OA_APP_ID: '50554360515256678' })).toThrow(/ZALO_OA_ID, ZALO_OA_APP_SECRET, ZALO_OA_SECRET_KEY required/);
    const oa = { ZALO_OA_APP_ID: '50554360515256678', ZALO_OA_ID: '1646843870823903717', ZALO_OA_APP_SECRET: 'app-secret', ZALO_OA_SECRET_KEY: 'oa-secret' };
    expect(() => loadConfig({ ...oa, ZALO_OA_SECRET_KEY: 'app-secret' })).toThrow(/different values/);
    expect(loadConfig(oa)).toMatchObject({ ZALO_OA_API_ROOT: 'https://openapi.zalo.me', ZALO_OA_OAUTH_ROOT: 'https://oauth.zaloapp.com' });
    expect(() => loadConfig({ ...oa, ZALO_OA_ID: 'my-oa' })).toThrow(/ZALO_OA_ID/);
  });
});
