import { defineConfig } from 'vitest/config';
import { COMPILED_SOURCE, COMPILED_SOURCE_VARIABLE } from './test/helpers/compiled-source.ts';

/**
 * Two projects:
 *  - unit: pure code (routing, networks, isochrones, coverage, facilities, standards, file readers):
 *    no process, no server, no store, no browser; `npm run test:unit` is the quick inner loop;
 *  - integration: the HTTP service (in process and as a child process), the stores (embedded and
 *    PostgreSQL), jobs, the nightly, the distributed queue, the CLI and the map page in Chromium.
 * `npm test` runs both. Two forks: CI has two cores, and more would only starve each other.
 *
 * The files of both projects share their worker process (`isolate: false`): a worker loads the
 * core, fastify, the app and PGlite once, not once per file (that halved the unit project's CPU),
 * and opens one embedded store that every integration file reuses, emptied between them
 * (test/helpers/store.ts). So each file cleans up what it starts — servers, stores, environment
 * variables — as it already must for the next test in the same file; none mocks a module.
 *
 * Threads and child processes start from a compiled copy of src/, made once before any test by the
 * global setup (test/helpers/compiled-source.ts), not through tsx each time.
 */
const UNIT = ['routing', 'network', 'isochrone', 'coverage', 'siting', 'facilities', 'standards', 'communities', 'io', 'requests', 'bench', 'geo'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { [COMPILED_SOURCE_VARIABLE]: COMPILED_SOURCE },
    globalSetup: ['test/helpers/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: [...UNIT.map((dir) => `test/${dir}/**/*.test.ts`), 'test/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...UNIT.map((dir) => `test/${dir}/**`), 'test/*.test.ts'],
          isolate: false,
        },
      },
    ],
  },
});
