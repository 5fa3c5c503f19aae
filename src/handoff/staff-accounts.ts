/**
 * @module Staff accounts of the console, in Redis (one hash, username → JSON), created with the
 * `staff` CLI command. Passwords are hashed with scrypt (node:crypto, N=2^15, r=8, p=1, 16-byte
 * salt) and compared in constant time; an unknown username costs the same as a wrong password,
 * so timing does not reveal which usernames exist.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { RedisClient } from '../store/redis-connection.js';
import type { StaffRef } from './create-handoff.js';
import { handoffKeys } from './handoff-keys.js';

export interface StaffAccount extends StaffRef {
  createdAt: number;
}

export interface StaffAccounts {
  /** Creates or replaces the account (a new password for an existing username). */
  add(username: string, password: string, name?: string): Promise<void>;
  remove(username: string): Promise<boolean>;
  list(): Promise<StaffAccount[]>;
  get(username: string): Promise<StaffAccount | null>;
  /** The account when the password is right, else null. */
  verify(username: string, password: string): Promise<StaffAccount | null>;
}

export class StaffAccountError extends Error {
  constructor(
    readonly code: 'bad_username' | 'weak_password',
    message: string,
  ) {
    super(message);
  }
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const MIN_PASSWORD_LENGTH = 10;

const SCRYPT: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

interface Stored {
  name: string;
  hash: string;
  createdAt: number;
}

export function createStaffAccounts(options: { redis: RedisClient; prefix: string; now?: () => number }): StaffAccounts {
  const { redis } = options;
  const key = handoffKeys(options.prefix).accounts;
  const now = options.now ?? Date.now;
  // Verified against when the username is unknown, so that path does the same work.
  let dummy: Promise<string> | undefined;

  async function read(username: string): Promise<Stored | null> {
    const raw = await redis.hget(key, username);
    return raw ? (JSON.parse(raw) as Stored) : null;
  }

  return {
    async add(username, password, name) {
      if (!USERNAME_PATTERN.test(username)) throw new StaffAccountError('bad_username', 'Username: 2-32 characters, lower-case letters, digits, ".", "_" or "-".');
      if (password.length < MIN_PASSWORD_LENGTH) throw new StaffAccountError('weak_password', `Password: at least ${MIN_PASSWORD_LENGTH} characters.`);
      const stored: Stored = { name: name?.trim() || username, hash: await hashPassword(password), createdAt: now() };
      await redis.hset(key, username, JSON.stringify(stored));
    },
    async remove(username) {
      return (await redis.hdel(key, username)) > 0;
    },
    async list() {
      const all = await redis.hgetall(key);
      return Object.entries(all)
        .map(([username, raw]) => {
          const stored = JSON.parse(raw) as Stored;
          return { username, name: stored.name, createdAt: stored.createdAt };
        })
        .sort((a, b) => a.username.localeCompare(b.username));
    },
    async get(username) {
      const stored = await read(username);
      return stored ? { username, name: stored.name, createdAt: stored.createdAt } : null;
    },
    async verify(username, password) {
      const stored = USERNAME_PATTERN.test(username) ? await read(username) : null;
      if (!stored) {
        dummy ??= hashPassword(randomBytes(16).toString('hex'));
        await verifyPassword(password, await dummy);
        return null;
      }
      return (await verifyPassword(password, stored.hash)) ? { username, name: stored.name, createdAt: stored.createdAt } : null;
    },
  };
}

/** `scrypt$N$r$p$salt$hash` (base64), so the parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem }, expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function derive(password: string, salt: Buffer, params: ScryptOptions, length = KEY_LENGTH): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, params, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
