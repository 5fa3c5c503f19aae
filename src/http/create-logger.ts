/**
 * @module The process's pino logger, configured so a log line never carries a token, a secret
 * header, what a citizen wrote, a CCCD number or a phone number: known fields are redacted by
 * path, and every top-level string (and the message) is scanned for personal numbers and bot
 * tokens as a second line of defence. JSON lines for services and collectors, or readable lines
 * for a terminal (pino-pretty), printed from the same redacted JSON.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { maskSecrets } from '../conversation/redact.js';

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

/** A web conversation id in a path is the key to its transcript: log the route shape, not the id. */
export function maskPath(url: string): string {
  return url.replace(/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g, ':id').replace(/\?.*$/, (q) => (q.length > 1 ? '?…' : ''));
}

/** `json`: one JSON object per line (journald, log collectors). `pretty`: one readable line per entry. */
export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT=auto: readable lines in a terminal, JSON lines anywhere else (a service, a pipe, a file). */
export function logFormatFor(setting: LogFormat | 'auto', isTTY: boolean): LogFormat {
  return setting === 'auto' ? (isTTY ? 'pretty' : 'json') : setting;
}

export interface CreateLoggerOptions {
  level: string;
  /** Default `json`. */
  format?: LogFormat;
  /** More paths to redact: the channels' secret headers (`secretHeaderPaths()`). */
  redactPaths?: string[];
  /** Where lines go (default stdout); tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * pino-pretty as an in-process stream, not a transport worker: it only sees lines pino has
 * already redacted and masked, and writes synchronously so nothing is lost on process.exit.
 */
function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  return PinoPretty({
    destination: destination ?? 1,
    sync: true,
    // Colours only on the process's own terminal (pino-pretty checks it and NO_COLOR).
    ...(destination ? { colorize: false } : {}),
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,reqId',
    singleLine: true,
  });
}

export function createLogger(options: CreateLoggerOptions): PinoLogger {
  const destination = options.format === 'pretty' ? prettyStream(options.destination) : options.destination;
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
    destination,
  );
}
