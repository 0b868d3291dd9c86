import type { Graph, ImportReport } from '../network/graph.ts';
import { loadDefaultNetwork } from './network-cache.ts';
import { sharedPlugin } from './plugin.ts';

/** The default network requests run against when they bring none. */
export interface NetworkState {
  graph?: Graph;
  /** A `.lcg` file of the same graph, which worker threads load instead of receiving a copy. */
  graphFile?: string;
}

export interface NetworkPluginOptions {
  graph?: Graph;
  /** A network file (.lcg, .geojson, .osm, .osm.pbf): loaded at start when `graph` is not given. */
  path?: string;
  /** Where compiled non-.lcg networks are cached. */
  cacheDir: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    network: NetworkState;
  }
}

/** Decorates the app with `network`, loading the default network file if one is named. */
export const networkPlugin = sharedPlugin<NetworkPluginOptions>('network', async (app, opts) => {
  if (opts.graph || !opts.path) {
    const graphFile = opts.path?.toLowerCase().endsWith('.lcg') ? opts.path : undefined;
    app.decorate('network', { graph: opts.graph, graphFile } satisfies NetworkState);
    return;
  }
  const loaded = await loadDefaultNetwork(opts.path, opts.cacheDir);
  app.log.info(
    { network: summarizeReport(loaded.graph.meta.report), path: opts.path, from: loaded.from, graphFile: loaded.graphFile, loadMs: loaded.loadMs },
    `default network ${HOW[loaded.from]} in ${loaded.loadMs} ms: ${loaded.graph.nodeCount} nodes, ${loaded.graph.edgeCount} edges`,
  );
  if (loaded.cacheError) app.log.warn({ err: loaded.cacheError }, 'could not cache the compiled network: the next start compiles it again');
  app.decorate('network', { graph: loaded.graph, graphFile: loaded.graphFile } satisfies NetworkState);
});

const HOW = { 'graph file': 'loaded from its graph file', cache: 'loaded from the cache', compiled: 'compiled' } as const;

/** The import report in a few numbers, for the start-up log and /health. */
export function summarizeReport(report: ImportReport) {
  const droppedLines = Object.values(report.linesDropped).reduce((a, b) => a + b, 0);
  return {
    source: report.source,
    nodes: report.nodes,
    edges: report.edges,
    lengthKm: report.lengthKm,
    largestComponent: report.components.largest,
    dropped: { lines: droppedLines, rejected: report.rejected, components: report.components.dropped.components, componentEdges: report.components.dropped.edges },
  };
}
