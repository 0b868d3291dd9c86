import { defineConfig } from 'vitest/config';

// Two cores on CI: two forks keep the suite fast without starving the machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
