/**
 * The tiers (docs/architecture.md), checked by `npm run check:tiers` (part of `npm test`):
 *
 *   src/edge     (api, cli, web)  → may use runtime and core
 *   src/runtime  (threads, store, jobs, nightly, distributed, datasets, requests, files) → may use core
 *   src/core     pure computation on values → uses only core, and no file system, threads, processes,
 *                network or database
 *
 * src/server.ts, the process's entry, sits above all three. The map page (src/edge/web) runs in the
 * browser: it imports only its own modules.
 */
const NODE_EFFECTS = ['fs', 'fs/promises', 'worker_threads', 'child_process', 'cluster', 'os', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'tls'];
const EFFECT_PACKAGES = ['piscina', 'pg', 'pg-boss', '@electric-sql/pglite', 'fastify', '@fastify/.+', 'undici'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-stays-core',
      comment: 'The core (src/core) is pure computation: it may not import the runtime, the edge or the entry.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(runtime|edge)/|^src/server\\.ts$' },
    },
    {
      name: 'core-has-no-effects',
      comment: 'No file system, threads, processes or network in the core: those are the runtime\'s (src/runtime/files, src/runtime/threads).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'], path: `^(node:)?(${NODE_EFFECTS.join('|')})$` },
    },
    {
      name: 'core-has-no-effect-packages',
      comment: 'No thread pools, databases or HTTP servers in the core.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: `(^|/)node_modules/(${EFFECT_PACKAGES.join('|')})/` },
    },
    {
      name: 'runtime-below-edge',
      comment: 'The runtime (src/runtime) drives the core and keeps state; it may not import the edge (api, cli, web) or the entry.',
      severity: 'error',
      from: { path: '^src/runtime/' },
      to: { path: '^src/edge/|^src/server\\.ts$' },
    },
    {
      name: 'web-is-the-browser',
      comment: 'The map page (src/edge/web) runs in the browser: only its own modules, served as they are.',
      severity: 'error',
      from: { path: '^src/edge/web/' },
      to: { pathNot: '^src/edge/web/|^/vendor/' },
    },
    {
      name: 'nothing-imports-web',
      comment: 'The map page is served, never imported by server code.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/edge/web/' },
      to: { path: '^src/edge/web/' },
    },
    {
      name: 'no-unresolved',
      comment: 'An import that resolves to nothing (a moved file).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^/vendor/|^geojson$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
