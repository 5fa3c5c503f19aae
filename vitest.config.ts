import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One Redis for the run: REDIS_URL, or a private redis-server (see test/helpers/redis.ts).
    globalSetup: ['test/helpers/redis-global-setup.ts'],
  },
});
