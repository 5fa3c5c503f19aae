/**
 * @module Opens the Redis connection from the configuration: one server (REDIS_URL), a Redis
 * Cluster (REDIS_CLUSTER_NODES) or a Sentinel-managed primary (REDIS_SENTINELS +
 * REDIS_SENTINEL_NAME). Tuned to fail fast: while Redis is unreachable every command rejects at
 * once (no offline queue) or after `commandTimeout`, so a turn fails within about a second and the
 * citizen gets the apology, while ioredis keeps reconnecting by itself in the background.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

/** The part of `Config` this needs (so `createRedisClient(config)` just works). */
export interface RedisConnectionOptions {
  REDIS_URL?: string | undefined;
  /** `host:port,host:port` seed nodes; credentials and TLS are taken from REDIS_URL when both are set. */
  REDIS_CLUSTER_NODES?: string | undefined;
  /** `host:port,host:port` Sentinels; credentials, db and TLS of the primary come from REDIS_URL when set. */
  REDIS_SENTINELS?: string | undefined;
  REDIS_SENTINEL_NAME?: string | undefined;
}

export interface RedisLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RedisClientTuning {
  /** A command that gets no answer in this time rejects (network black hole). Default 1000 ms. */
  commandTimeoutMs?: number;
  /** Connecting gives up after this and retries. Default 1000 ms. */
  connectTimeoutMs?: number;
  log?: RedisLogger;
}

export class RedisConfigError extends Error {
  readonly code = 'redis_config_invalid';
}

/**
 * Creates the client (it connects in the background). Commands sent before it is ready reject
 * immediately; wait with `waitForRedis` at boot if you want the first turn to succeed.
 * Errors are logged once per outage, with any credentials masked; they never crash the process.
 */
export function createRedisClient(options: RedisConnectionOptions, tuning: RedisClientTuning = {}): RedisClient {
  const common: RedisOptions = {
    // Fail fast instead of queueing while disconnected: a waiting webhook is worse than an apology.
    enableOfflineQueue: false,
    // A command in flight when the connection drops is not resent on another connection: turns are
    // not idempotent from the caller's view, and the platform will redeliver anyway.
    maxRetriesPerRequest: 0,
    commandTimeout: tuning.commandTimeoutMs ?? 1000,
    connectTimeout: tuning.connectTimeoutMs ?? 1000,
    // Reconnect forever, backing off to one attempt a second.
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
  };

  const fromUrl = options.REDIS_URL ? optionsFromUrl(options.REDIS_URL) : {};
  let client: RedisClient;
  if (options.REDIS_CLUSTER_NODES) {
    const clusterOptions: ClusterOptions = {
      enableOfflineQueue: false,
      clusterRetryStrategy: (attempt) => Math.min(100 * attempt, 1000),
      slotsRefreshTimeout: common.connectTimeout ?? 1000,
      redisOptions: { ...common, ...fromUrl },
    };
    client = new Cluster(parseHostList(options.REDIS_CLUSTER_NODES, 'REDIS_CLUSTER_NODES', 6379), clusterOptions);
  } else if (options.REDIS_SENTINELS) {
    if (!options.REDIS_SENTINEL_NAME) throw new RedisConfigError('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS.');
    client = new Redis({
      ...common,
      ...fromUrl,
      sentinels: parseHostList(options.REDIS_SENTINELS, 'REDIS_SENTINELS', 26379),
      name: options.REDIS_SENTINEL_NAME,
      sentinelRetryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    });
  } else if (options.REDIS_URL) {
    client = new Redis(options.REDIS_URL, common);
  } else {
    throw new RedisConfigError('No Redis configured: set REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS.');
  }

  watchConnection(client, tuning.log);
  return client;
}

/** Resolves when the client is ready, or rejects after `timeoutMs` (the client keeps trying). */
export function waitForRedis(client: RedisClient, timeoutMs = 5000): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

/** Masks credentials in anything that may quote a URL (`redis://user:secret@host` → `redis://***@host`). */
export function maskRedisSecrets(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, '//***@');
}

function watchConnection(client: RedisClient, log: RedisLogger | undefined): void {
  let down = false;
  // Without an 'error' listener an unreachable Redis would crash the process. Reconnect attempts
  // emit an error each; one log line per outage is enough.
  client.on('error', (error: unknown) => {
    if (down) return;
    down = true;
    const message = error instanceof Error ? error.message : String(error);
    log?.warn({ err: maskRedisSecrets(message) }, 'redis unreachable; turns are refused until it is back');
  });
  client.on('ready', () => {
    if (down) log?.info({}, 'redis connection restored');
    down = false;
  });
}

function optionsFromUrl(raw: string): RedisOptions {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Never echo the value: it may hold a password.
    throw new RedisConfigError('REDIS_URL is not a valid URL.');
  }
  const options: RedisOptions = {};
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  const db = url.pathname.replace(/^\//, '');
  if (db) options.db = Number(db);
  if (url.protocol === 'rediss:') options.tls = {};
  return options;
}

function parseHostList(value: string, name: string, defaultPort: number): Array<{ host: string; port: number }> {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      // `10.0.0.5:6379`, `redis-a` (default port), `[::1]:6379` or a bare IPv6 address
      const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(part.includes(']') || part.split(':').length <= 2 ? part : `[${part}]`);
      if (!match || !match[1]) throw new RedisConfigError(`${name}: cannot read "${part}" as host:port.`);
      return { host: match[1], port: match[2] ? Number(match[2]) : defaultPort };
    });
}
