/**
 * @module The Node range package.json declares is one every installed package supports, and the
 * cookie library pinned for it works for both of its users (@fastify/cookie, fastify's inject).
 */
import { readFileSync } from 'node:fs';
import { fastifyCookie } from '@fastify/cookie';
import { fastify } from 'fastify';
import { satisfies, subset, validRange } from 'semver';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
const declared = pkg.engines.node;

describe('Node versions', () => {
  it('declares a range that every package in the lockfile supports (npm ci warns EBADENGINE otherwise)', () => {
    expect(validRange(declared)).not.toBeNull();
    const narrower: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = !entry.engines || Array.isArray(entry.engines) ? undefined : entry.engines.node;
      if (!path || !range) continue;
      if (!subset(declared, range)) narrower.push(`${path.replace(/^.*node_modules\//, '')}@${entry.version} needs node ${range}`);
    }
    expect(narrower, `package.json says node ${declared}`).toEqual([]);
  });

  it('runs on a Node inside the declared range', () => {
    expect(satisfies(process.version, declared), `${process.version} vs ${declared}`).toBe(true);
  });

  it('parses and sets cookies through @fastify/cookie and through inject({ cookies }) with the pinned cookie library', async () => {
    const app = fastify();
    await app.register(fastifyCookie);
    app.get('/echo', async (request, reply) => {
      reply.setCookie('seen', request.cookies.visitor ?? 'none', { path: '/', httpOnly: true, sameSite: 'strict', maxAge: 60 });
      return { visitor: request.cookies.visitor ?? null };
    });
    try {
      // light-my-request serialises `cookies` with the cookie library; @fastify/cookie parses and sets them.
      const response = await app.inject({ method: 'GET', url: '/echo', cookies: { visitor: 'lan é' } });
      expect(response.json()).toEqual({ visitor: 'lan é' });
      expect(String(response.headers['set-cookie'])).toBe('seen=lan%20%C3%A9; Max-Age=60; Path=/; HttpOnly; SameSite=Strict');
      expect(response.cookies).toEqual([expect.objectContaining({ name: 'seen', value: 'lan é', maxAge: 60, httpOnly: true })]);
    } finally {
      await app.close();
    }
  });
});
