/**
 * @module Reads the environment once, validated, typed and frozen. Nothing else reads process.env.
 * Every variable is listed in `.env.example`.
 */
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const url = (fallback?: string) =>
  optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()).transform((v) => v ?? fallback);

const int = (fallback: number, min = 0) =>
  optionalString.pipe(z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min)).optional()).transform((v) => v ?? fallback);

const schema = z.object({
  PORT: int(3000, 1),
  HOST: optionalString.transform((v) => v ?? '0.0.0.0'),
  PUBLIC_URL: url(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: readable lines in a terminal, JSON lines otherwise; `json` or `pretty` force one. */
  LOG_FORMAT: optionalString.pipe(z.enum(['auto', 'json', 'pretty']).optional()).transform((v) => v ?? 'auto'),
  FLOWS_DIR: optionalString.transform((v) => v ?? 'flows'),
  CONTENT_DIR: optionalString.transform((v) => v ?? 'content'),

  REDIS_URL: optionalString,
  REDIS_KEY_PREFIX: optionalString.transform((v) => v ?? 'dvc:'),
  /** Comma-separated host:port list of Redis Cluster seed nodes (instead of REDIS_URL). */
  REDIS_CLUSTER_NODES: optionalString,
  /** Comma-separated host:port list of Sentinels, with REDIS_SENTINEL_NAME (instead of REDIS_URL). */
  REDIS_SENTINELS: optionalString,
  REDIS_SENTINEL_NAME: optionalString,
  SESSION_TTL_SECONDS: int(7 * 24 * 3600, 60),
  DEDUPE_TTL_SECONDS: int(24 * 3600, 60),

  TELEGRAM_BOT_TOKEN: optionalString,
  /** Telegram allows 1–256 characters of A–Z, a–z, 0–9, _ and -. */
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'use 1–256 letters, digits, _ or -').optional()),
  TELEGRAM_API_ROOT: url('https://api.telegram.org'),
  ZALO_BOT_TOKEN: optionalString,
  ZALO_WEBHOOK_SECRET: optionalString.pipe(z.string().min(8, 'use 8–256 characters').max(256, 'use 8–256 characters').optional()),
  ZALO_API_ROOT: url('https://bot-api.zaloplatforms.com'),

  /**
   * Behind a reverse proxy: `true`, or the proxies' addresses/CIDRs, comma-separated, so rate
   * limits and logs see the citizen's address (X-Forwarded-For). Default false.
   */
  TRUST_PROXY: optionalString,
  /** Signs staff console cookies (16+ characters). The console runs when this and Redis are set. */
  STAFF_SESSION_SECRET: optionalString.pipe(z.string().min(16, 'use at least 16 random characters').optional()),
  /** How long tickets and transcripts are kept, in days. */
  HANDOFF_RETENTION_DAYS: int(30, 1),
});

export type Config = Readonly<z.output<typeof schema>>;

export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    // Name the variables, never their values: a value may be a token.
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const config = parsed.data;
  if (config.TELEGRAM_BOT_TOKEN && config.PUBLIC_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL is set (webhook mode).');
  }
  if (config.ZALO_BOT_TOKEN && config.PUBLIC_URL && !config.ZALO_WEBHOOK_SECRET) {
    throw new ConfigError('ZALO_WEBHOOK_SECRET is required when PUBLIC_URL is set (webhook mode).');
  }
  return Object.freeze(config);
}
