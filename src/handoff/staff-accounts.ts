/**
 * @module Staff accounts of the console, in the StaffStore, created with the `staff` CLI command
 * (or by `npm run demo` for its one demo account). Each has a role, `staff` or `manager`.
 * Passwords are hashed with scrypt (node:crypto, N=2^15, r=8, p=1, 16-byte salt) and compared in
 * constant time; an unknown username costs the same as a wrong password, so timing does not
 * reveal which usernames exist.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { STAFF_ROLES, type StaffRole, type StaffStore, type StoredAccount } from '../store/staff-store.js';

export type { StaffRole } from '../store/staff-store.js';

/** A staff member as the desk and the console know them. */
export interface StaffRef {
  username: string;
  /** Shown to the citizen ("Cán bộ Nguyễn Thị Lan"). */
  name: string;
  role: StaffRole;
}

export interface StaffAccount extends StaffRef {
  createdAt: number;
}

export interface StaffAccounts {
  /** Creates or replaces the account (a new password for an existing username). Role: `staff` unless given. */
  add(username: string, password: string, name?: string, role?: StaffRole): Promise<void>;
  remove(username: string): Promise<boolean>;
  list(): Promise<StaffAccount[]>;
  get(username: string): Promise<StaffAccount | null>;
  /** The account when the password is right, else null. */
  verify(username: string, password: string): Promise<StaffAccount | null>;
}

export class StaffAccountError extends Error {
  constructor(
    readonly code: 'bad_username' | 'weak_password' | 'bad_role',
    message: string,
  ) {
    super(message);
  }
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const MIN_PASSWORD_LENGTH = 10;

const SCRYPT: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

const accountOf = (username: string, stored: StoredAccount): StaffAccount => ({ username, name: stored.name, role: stored.role ?? 'staff', createdAt: stored.createdAt });

export function createStaffAccounts(options: { store: StaffStore; now?: () => number }): StaffAccounts {
  const { store } = options;
  const now = options.now ?? Date.now;
  // Verified against when the username is unknown, so that path does the same work.
  let dummy: Promise<string> | undefined;

  return {
    async add(username, password, name, role = 'staff') {
      if (!USERNAME_PATTERN.test(username)) throw new StaffAccountError('bad_username', 'Username: 2-32 characters, lower-case letters, digits, ".", "_" or "-".');
      if (password.length < MIN_PASSWORD_LENGTH) throw new StaffAccountError('weak_password', `Password: at least ${MIN_PASSWORD_LENGTH} characters.`);
      if (!STAFF_ROLES.includes(role)) throw new StaffAccountError('bad_role', `Role: ${STAFF_ROLES.join(' or ')}.`);
      await store.putAccount(username, { name: name?.trim() || username, hash: await hashPassword(password), createdAt: now(), role });
    },
    remove: (username) => store.removeAccount(username),
    async list() {
      return (await store.listAccounts()).map((a) => accountOf(a.username, a)).sort((a, b) => a.username.localeCompare(b.username));
    },
    async get(username) {
      const stored = USERNAME_PATTERN.test(username) ? await store.getAccount(username) : null;
      return stored ? accountOf(username, stored) : null;
    },
    async verify(username, password) {
      const stored = USERNAME_PATTERN.test(username) ? await store.getAccount(username) : null;
      if (!stored) {
        dummy ??= hashPassword(randomBytes(16).toString('hex'));
        await verifyPassword(password, await dummy);
        return null;
      }
      return (await verifyPassword(password, stored.hash)) ? accountOf(username, stored) : null;
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
