import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 *  - unit: pure code (routing, networks, isochrones, coverage, facilities, standards, file readers):
 *    no process, no server, no store, no browser; `npm run test:unit` is the quick inner loop;
 *  - integration: the HTTP service (in process and as a child process), the stores (embedded and
 *    PostgreSQL), jobs, the nightly, the distributed queue, the CLI and the map page in Chromium.
 * `npm test` runs both. Two forks: CI has two cores, and more would only starve each other.
 *
 * The integration files share their worker process (`isolate: false`): a worker loads fastify, the
 * app and PGlite once, not once per file, and opens one embedded store that every file reuses,
 * emptied between them (test/helpers/store.ts). So each file cleans up what it starts — servers,
 * stores, environment variables — as it already must for the next test in the same file.
 */
const UNIT = ['routing', 'network', 'isochrone', 'coverage', 'siting', 'facilities', 'standards', 'communities', 'io', 'requests', 'bench', 'geo'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: [...UNIT.map((dir) => `test/${dir}/**/*.test.ts`), 'test/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...UNIT.map((dir) => `test/${dir}/**`), 'test/*.test.ts'],
          isolate: false,
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
