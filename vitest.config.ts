import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous outer bounds: many tests start real processes (tsx) and servers, which takes
    // seconds on a busy 2-core machine. Each test's own waits say what they waited for.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Integration tests open real sockets and a real Redis; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['test/helpers/global-setup.ts'],
    reporters: ['default'],
  },
});
