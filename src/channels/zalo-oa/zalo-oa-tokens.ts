/**
 * @module The OA's access token, kept usable: read from the token store on every use (so a pair
 * another instance refreshed is picked up), refreshed before it expires (`expires_in`, ~25 h) and
 * when Zalo answers -216, exactly one refresh at a time across instances (the store's lock; the
 * pair is read again after taking it, and a refresh another instance already did is used rather
 * than repeated). Both tokens are saved together. A refused refresh (-14020: already used or
 * expired) means the OA must be authorised again: `problem()` says so until it is.
 *
 * Bootstrap: ZALO_OA_REFRESH_TOKEN (and optionally ZALO_OA_ACCESS_TOKEN) seed the store only when
 * it holds nothing from them yet (a hash of the seed is kept): after the first refresh the
 * environment's refresh token is dead, and a restart uses the stored, rotated one. Putting a new
 * value in the environment seeds again.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../conversation/logger.js';
import type { TokenPair, ZaloOaClient } from './create-zalo-oa-client.js';
import { REFRESH_TOKEN_INVALID, ZaloOaApiError } from './zalo-oa-errors.js';
import type { StoredTokens, TokenStore } from './token-store.js';

/** No usable token: the OA has not been authorised, or its refresh token was refused. */
export class NotAuthorizedError extends Error {
  readonly code = 'zalo_oa_not_authorized';
}

export interface OaTokens {
  /** The access token to use now; refreshes first when it expires within the margin. Throws NotAuthorizedError. */
  access(): Promise<string>;
  /** Zalo refused `stale` (-216): the token to retry with, refreshed unless another instance already did. */
  replace(stale: string): Promise<string>;
  /** Refreshes when the token expires within the margin (the periodic check). */
  refreshIfDue(): Promise<void>;
  /** Stores a pair from the OAuth callback. */
  saveAuthorized(pair: TokenPair): Promise<void>;
  /** Seeds the store from the environment when that is new. */
  bootstrap(): Promise<void>;
  problem(): string | undefined;
  /** The tokens currently known, to redact them from anything logged. */
  known(): string[];
}

export interface OaTokensOptions {
  store: TokenStore;
  client: ZaloOaClient;
  log: Logger;
  now: () => number;
  environment: { refreshToken?: string; accessToken?: string };
  /** Refresh this long before expiry (default 1 hour). */
  marginMs?: number;
  timeoutMs: number;
}

const NOT_AUTHORIZED = 'zalo-oa not authorized (run: npm run cli -- zalo-oa authorize)';
const REFRESH_REFUSED = 'zalo-oa not authorized: the refresh token was refused (run: npm run cli -- zalo-oa authorize)';

export function createOaTokens(options: OaTokensOptions): OaTokens {
  const { store, client, log, now } = options;
  const margin = options.marginMs ?? 60 * 60_000;
  const seed = options.environment.refreshToken ?? options.environment.accessToken;
  const envHash = seed ? createHash('sha256').update(seed).digest('hex').slice(0, 16) : undefined;
  let last: StoredTokens | undefined;
  /** The refresh token Zalo refused: the problem lasts until the store holds another one. */
  let refused: string | undefined;

  const due = (t: StoredTokens) => !t.accessToken || (t.expiresAt > 0 && t.expiresAt - now() < margin);

  /**
   * A pair Zalo gave us that could not be written (Redis or the disk failed at that moment): the
   * old refresh token is already dead, so it is kept here and written again at the next read.
   */
  let unsaved: StoredTokens | undefined;

  async function read(): Promise<StoredTokens | undefined> {
    if (unsaved) {
      const pair = unsaved;
      await store.write(pair).then(
        () => {
          if (unsaved === pair) unsaved = undefined;
        },
        () => undefined,
      );
      last = pair;
      return pair;
    }
    last = await store.read();
    return last;
  }

  async function save(next: StoredTokens): Promise<void> {
    last = next;
    try {
      await store.write(next);
    } catch (error) {
      unsaved = next;
      log.error({ channel: 'zalo-oa', where: store.where }, 'zalo-oa tokens refreshed but not saved; kept in memory and saved again at the next use');
      throw error;
    }
  }

  /** Under the lock: reads the pair again, and refreshes only if it is still `stale` (or due). */
  async function refresh(stale: string | undefined, reason: string): Promise<StoredTokens> {
    return store.withLock(async () => {
      const current = await read();
      if (!current) throw new NotAuthorizedError(NOT_AUTHORIZED);
      if (current.accessToken && current.accessToken !== stale && !due(current)) return current;
      if (!current.refreshToken) throw new NotAuthorizedError(NOT_AUTHORIZED);
      let pair: TokenPair;
      try {
        pair = await client.refresh(current.refreshToken, options.timeoutMs);
      } catch (error) {
        if (error instanceof ZaloOaApiError && error.errorCode === REFRESH_TOKEN_INVALID) {
          refused = current.refreshToken;
          log.error({ channel: 'zalo-oa', code: error.errorCode }, 'zalo-oa token refresh refused (refresh token already used or expired); authorise the OA again: npm run cli -- zalo-oa authorize');
          throw new NotAuthorizedError(REFRESH_REFUSED);
        }
        throw error;
      }
      const next: StoredTokens = { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresAt: now() + pair.expiresIn * 1000, ...(current.envHash ? { envHash: current.envHash } : {}), updatedAt: now() };
      await save(next).catch(() => undefined);
      log.info({ channel: 'zalo-oa', reason, expiresInSeconds: pair.expiresIn }, 'zalo-oa access token refreshed');
      return next;
    });
  }

  return {
    async access() {
      const tokens = await read();
      if (!tokens) throw new NotAuthorizedError(NOT_AUTHORIZED);
      if (due(tokens)) return (await refresh(tokens.accessToken || undefined, tokens.accessToken ? 'expiring' : 'no access token')).accessToken;
      return tokens.accessToken;
    },
    async replace(stale) {
      return (await refresh(stale, 'refused by zalo (-216)')).accessToken;
    },
    async refreshIfDue() {
      const tokens = await read();
      if (tokens && due(tokens) && tokens.refreshToken) await refresh(tokens.accessToken || undefined, tokens.accessToken ? 'expiring' : 'no access token');
    },
    async saveAuthorized(pair) {
      await store.withLock(async () => {
        const next: StoredTokens = { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresAt: now() + pair.expiresIn * 1000, ...(envHash ? { envHash } : {}), updatedAt: now() };
        await save(next);
      });
      log.info({ channel: 'zalo-oa' }, 'zalo-oa authorised: tokens stored');
    },
    async bootstrap() {
      await store.withLock(async () => {
        const current = await read();
        if (envHash && current?.envHash !== envHash) {
          const seeded: StoredTokens = { accessToken: options.environment.accessToken ?? '', refreshToken: options.environment.refreshToken ?? '', expiresAt: 0, envHash, updatedAt: now() };
          await store.write(seeded);
          last = seeded;
          log.info({ channel: 'zalo-oa', where: store.where }, 'zalo-oa tokens seeded from the environment (used once; the stored pair is used from now on)');
        }
      });
    },
    problem() {
      if (!last || (!last.accessToken && !last.refreshToken)) return NOT_AUTHORIZED;
      if (refused !== undefined && last.refreshToken === refused) return REFRESH_REFUSED;
      return undefined;
    },
    known: () => (last ? [last.accessToken, last.refreshToken].filter((t) => t.length >= 8) : []),
  };
}
