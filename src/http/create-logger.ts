/**
 * @module The process's pino logger, configured so a log line never carries a token, a secret
 * header, what a citizen wrote, a CCCD number or a phone number: known fields are redacted by
 * path, and every top-level string (and the message) is scanned for personal numbers and bot
 * tokens as a second line of defence.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { maskPersonalNumbers } from '../conversation/redact.js';

/**
 * Field paths removed from every log line. Callers should not log these at all; this catches
 * mistakes. The channels' secret headers are added by the caller (channels/index.ts knows them).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'text',
  '*.text',
  'body',
  '*.body',
  'phone',
  '*.phone',
  'cccd',
  '*.cccd',
];

// Telegram bot tokens (`123456:ABC...`) and anything that looks like `?token=`/`access_token=`.
const TOKEN = /(?<!\d)\d{6,}:[A-Za-z0-9_-]{30,}|((?:access_)?token=)[^&\s"]+/g;

export function maskSecrets(text: string): string {
  return maskPersonalNumbers(text.replace(TOKEN, (m, param: string | undefined) => (param ? `${param}***` : '***')));
}

/** A web conversation id in a path is the key to its transcript: log the route shape, not the id. */
export function maskPath(url: string): string {
  return url.replace(/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g, ':id').replace(/\?.*$/, (q) => (q.length > 1 ? '?…' : ''));
}

export interface CreateLoggerOptions {
  level: string;
  /** More paths to redact: the channels' secret headers (`secretHeaderPaths()`). */
  redactPaths?: string[];
  /** Where lines go (default stdout); tests pass a stream to read them. */
  destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions): PinoLogger {
  return pino(
    {
      level: options.level,
      redact: { paths: [...REDACT_PATHS, ...(options.redactPaths ?? [])], censor: '[redacted]' },
      serializers: {
        // Fastify's request line: method and path only (no query string, no ids, no headers).
        req(req: { method?: string; url?: string; ip?: string }) {
          return { method: req.method, url: maskPath(req.url ?? ''), remoteAddress: req.ip };
        },
      },
      formatters: {
        log(object) {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(object)) out[k] = typeof v === 'string' ? maskSecrets(v) : v;
          return out;
        },
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskSecrets(a) : a));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}
