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

  it('requires webhook secrets in webhook mode', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'https://bot.example.vn', TELEGRAM_BOT_TOKEN: '1:abc' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => loadConfig({ PUBLIC_URL: 'https://bot.example.vn', ZALO_BOT_TOKEN: '1:abc' })).toThrow(/ZALO_WEBHOOK_SECRET/);
    expect(loadConfig({ PUBLIC_URL: 'https://bot.example.vn', TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123' }).PUBLIC_URL).toBe('https://bot.example.vn');
  });
});
