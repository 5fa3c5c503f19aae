/**
 * @module Vitest globalSetup: one Redis for the whole test run. Uses REDIS_URL when set; otherwise
 * starts a private redis-server (see redis.ts) and stops it at the end. Tests read the URL with
 * `redisUrlForTests()`.
 */
import type { TestProject } from 'vitest/node';
import { startRedisServer } from './redis.js';

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.REDIS_URL?.trim();
  if (fromEnv) {
    project.provide('redisUrl', fromEnv);
    return async () => {};
  }
  const server = await startRedisServer();
  project.provide('redisUrl', server.url);
  return () => server.stop();
}
