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

  /** `<bot id>:<secret>` as @BotFather gives it; checked here so a pasted fragment fails at start. */
  TELEGRAM_BOT_TOKEN: optionalString.pipe(z.string().regex(/^\d{3,}:[A-Za-z0-9_-]{30,}$/, 'expected <digits>:<secret> as @BotFather gives it').optional()),
  /** Telegram allows 1–256 characters of A–Z, a–z, 0–9, _ and -. */
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'use 1–256 letters, digits, _ or -').optional()),
  TELEGRAM_API_ROOT: url('https://api.telegram.org'),
  ZALO_BOT_TOKEN: optionalString.pipe(z.string().regex(/^\d+:\S{8,}$/, 'expected <digits>:<secret> as Zalo Bot Creator gives it').optional()),
  ZALO_WEBHOOK_SECRET: optionalString.pipe(z.string().min(8, 'use 8–256 characters').max(256, 'use 8–256 characters').optional()),
  ZALO_API_ROOT: url('https://bot-api.zaloplatforms.com'),

  /** Zalo Official Account: on when ZALO_OA_APP_ID is set (then ZALO_OA_ID, _APP_SECRET and _SECRET_KEY are required). */
  ZALO_OA_ID: optionalString.pipe(z.string().regex(/^\d+$/, 'expected the OA id (digits)').optional()),
  ZALO_OA_APP_ID: optionalString.pipe(z.string().regex(/^\d+$/, 'expected the app id (digits)').optional()),
  /** The app's secret key (OAuth header `secret_key`). */
  ZALO_OA_APP_SECRET: optionalString,
  /** The OA secret key of the webhook settings: only for webhook signatures (not the app secret). */
  ZALO_OA_SECRET_KEY: optionalString,
  /** Used once, when the token store holds nothing from it yet; rotated tokens are stored. */
  ZALO_OA_REFRESH_TOKEN: optionalString,
  ZALO_OA_ACCESS_TOKEN: optionalString,
  ZALO_OA_API_ROOT: url('https://openapi.zalo.me'),
  ZALO_OA_OAUTH_ROOT: url('https://oauth.zaloapp.com'),
  /** Without Redis, where the OA's token pair is kept (mode 0600). */
  ZALO_OA_TOKEN_FILE: optionalString,

  /**
   * Behind a reverse proxy: `true`, or the proxies' addresses/CIDRs, comma-separated, so rate
   * limits and logs see the citizen's address (X-Forwarded-For). Default false.
   */
  TRUST_PROXY: optionalString,
  /** Signs staff console cookies (16+ characters). The console runs when this and Redis are set. */
  STAFF_SESSION_SECRET: optionalString.pipe(z.string().min(16, 'use at least 16 random characters').optional()),
  /** Delivery outbox (docs/outbox.md): timeout of each platform request of a send, in seconds. */
  OUTBOX_SEND_TIMEOUT_SECONDS: int(10, 1),
  /** How long after it was saved a reply is still retried before it becomes a dead letter, in seconds. */
  OUTBOX_HORIZON_SECONDS: int(3600, 1),
  /** First retry delay (ms), doubling up to OUTBOX_RETRY_CAP_SECONDS. */
  OUTBOX_RETRY_BASE_MS: int(1000, 1),
  OUTBOX_RETRY_CAP_SECONDS: int(60, 1),
  /** How often each instance looks for replies another instance left behind, in ms. */
  OUTBOX_SWEEP_MS: int(2000, 50),
  /** /readyz says "degraded" when the oldest pending reply is older than this, in seconds. */
  OUTBOX_DEGRADED_AFTER_SECONDS: int(300, 1),
  /** On SIGTERM, how long to keep delivering before leaving the rest in the outbox, in seconds. */
  OUTBOX_DRAIN_SECONDS: int(5, 0),
  /** How long tickets and transcripts are kept, in days. */
  HANDOFF_RETENTION_DAYS: int(30, 1),

  /** Web chat event streams (SSE) open at once in one process: per client address (IPv6 by /64), per conversation, in all. */
  WEB_STREAMS_PER_ADDRESS: int(20, 1),
  WEB_STREAMS_PER_CONVERSATION: int(5, 1),
  WEB_STREAMS_TOTAL: int(2000, 1),
  /** New web conversations one client address (IPv6 by /64) may start in 24 hours. */
  WEB_CONVERSATIONS_PER_ADDRESS: int(200, 1),
  /** Web conversations kept at once (each until idle for SESSION_TTL_SECONDS); beyond, new ones are refused. */
  WEB_CONVERSATIONS_TOTAL: int(20_000, 1),
  /** How long a web chat transcript (what a reload shows) is kept after the last message; at most the session's idle time. */
  WEB_TRANSCRIPT_TTL_SECONDS: int(24 * 3600, 60),
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
  if (config.ZALO_OA_APP_ID) {
    const missing = (['ZALO_OA_ID', 'ZALO_OA_APP_SECRET', 'ZALO_OA_SECRET_KEY'] as const).filter((name) => !config[name]);
    if (missing.length > 0) throw new ConfigError(`${missing.join(', ')} required when ZALO_OA_APP_ID is set (Zalo Official Account).`);
    if (config.ZALO_OA_APP_SECRET === config.ZALO_OA_SECRET_KEY) {
      throw new ConfigError('ZALO_OA_APP_SECRET and ZALO_OA_SECRET_KEY are different values: the app secret (OAuth) and the OA secret key (webhook signatures).');
    }
  }
  return Object.freeze(config);
}
