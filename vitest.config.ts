import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test time is spent waiting on git, PostgreSQL and servers the tests start, not on CPU: on a
    // 2-core CI machine vitest's default (cores - 1 = one file at a time) leaves both cores idle half the time.
    maxWorkers: Number(process.env.SHIPGATE_TEST_WORKERS ?? 2),
  },
});
