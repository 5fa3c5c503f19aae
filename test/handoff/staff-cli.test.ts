/**
 * `cli staff add|list|remove` on real Redis: the password comes from stdin and is stored only
 * as a scrypt hash that verifies; bad input is refused with a message and exit code.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runStaff } from '../../src/channels/cli/staff.js';
import { createStaffAccounts } from '../../src/handoff/staff-accounts.js';
import { createRedisClient, waitForRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { createRedisStaffStore } from '../../src/store/redis-staff-store.js';
import { redisUrlForTests, uniquePrefix } from '../helpers/redis.js';

let redis: RedisClient | undefined;
afterEach(() => {
  redis?.disconnect();
  redis = undefined;
});

async function run(args: string[], stdin: string, prefix: string): Promise<{ code: number; out: string; err: string }> {
  redis ??= createRedisClient({ REDIS_URL: redisUrlForTests() });
  await waitForRedis(redis);
  const input = new PassThrough();
  input.end(stdin);
  const output = new PassThrough();
  const errors = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (c) => (out += c));
  errors.on('data', (c) => (err += c));
  const code = await runStaff(args, { input, output, errors }, { accounts: createStaffAccounts({ store: createRedisStaffStore({ redis, prefix }) }) });
  return { code, out, err };
}

describe('cli staff', () => {
  it('adds, lists and removes accounts; the password is read from stdin and hashed with scrypt', async () => {
    const prefix = uniquePrefix('staffcli');
    expect((await run(['add', 'lan', '--name', 'Nguyễn Thị Lan'], 'một-mật-khẩu-dài\n', prefix)).code).toBe(0);
    const stored = await redis!.hget(`${prefix}staff:accounts`, 'lan');
    expect(stored).toMatch(/"hash":"scrypt\$/);
    expect(stored).not.toContain('một-mật-khẩu-dài');
    const accounts = createStaffAccounts({ store: createRedisStaffStore({ redis: redis!, prefix }) });
    expect(await accounts.verify('lan', 'một-mật-khẩu-dài')).toMatchObject({ username: 'lan', name: 'Nguyễn Thị Lan', role: 'staff' });
    expect(await accounts.verify('lan', 'một-mật-khẩu-sai')).toBeNull();

    const listed = await run(['list'], '', prefix);
    expect(listed.out).toMatch(/^lan\tNguyễn Thị Lan\tstaff\t\d{4}-\d{2}-\d{2}\n$/);
    expect((await run(['remove', 'lan'], '', prefix)).code).toBe(0);
    expect((await run(['remove', 'lan'], '', prefix)).code).toBe(1);
    expect(await accounts.verify('lan', 'một-mật-khẩu-dài')).toBeNull();
  });

  it('makes a manager with --role manager; refuses an unknown role', async () => {
    const prefix = uniquePrefix('staffcli');
    expect((await run(['add', 'hoa', '--name', 'Lê Thị Hoa', '--role', 'manager'], 'một-mật-khẩu-dài\n', prefix)).code).toBe(0);
    expect((await run(['list'], '', prefix)).out).toMatch(/^hoa\tLê Thị Hoa\tmanager\t/);
    expect(await run(['add', 'tu', '--role', 'admin'], 'một-mật-khẩu-dài\n', prefix)).toMatchObject({ code: 1, err: expect.stringContaining('Role') });
  });

  it('refuses a short password, a bad username, a missing password and unknown actions', async () => {
    const prefix = uniquePrefix('staffcli');
    expect(await run(['add', 'lan'], 'ngắn\n', prefix)).toMatchObject({ code: 1, err: expect.stringContaining('at least 10') });
    expect(await run(['add', 'Lan Anh'], 'một-mật-khẩu-dài\n', prefix)).toMatchObject({ code: 1 });
    expect(await run(['add', 'lan'], '', prefix)).toMatchObject({ code: 1 });
    expect((await run(['frobnicate'], '', prefix)).code).toBe(2);
    expect((await run(['list'], '', prefix)).out).toBe('');
  });
});
