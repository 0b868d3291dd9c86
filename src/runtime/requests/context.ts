import type { Static } from '@sinclair/typebox';
import { InputError } from '../../core/errors.ts';
import { graphFromGeoJson } from '../../core/io/build-network.ts';
import type { Graph } from '../../core/network/graph.ts';
import { NetworkExpander } from '../../core/isochrone/expand.ts';
import { Router } from '../../core/routing/travel-times.ts';
import type { Costing } from '../../core/routing/costing.ts';
import { type PlacedFacilities, placeFacilities } from '../../core/coverage/facility-index.ts';
import { MultiSourceSearch } from '../../core/coverage/city-wide/multi-source.ts';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import type { ResidentialBuildings } from '../../core/communities/residential-buildings.ts';
import type { NetworkUsedSchema, PointsUsedSchema } from './answers.ts';

/**
 * What a request runs against: the loaded default network, unless the body brings its own. A body
 * that names a stored dataset instead (`network: "ds_…"`, `facilities: "ds_…"`) has it loaded by
 * the API before the core runs, and handed in here as the default it then uses.
 */
export interface RequestContext {
  defaultGraph?: Graph;
  /** The server's facility set (the sample's OSM facilities, or a configured file). */
  defaultFacilities?: readonly Facility[];
  /**
   * The residential buildings of the server's OSM network (read in the same pass as its facilities):
   * homes are placed in them when a request gives none (src/core/communities/place-homes.ts). Set only
   * when the request runs on the default network (they are that network's buildings).
   */
  defaultBuildings?: ResidentialBuildings;
  /** The CLI runs whole cities: per-request limits are for the HTTP service. */
  unlimited?: boolean;
  /**
   * The stored datasets the body named (`"ds_…"`), resolved by the API into the defaults above: so
   * the answer's `inputs` can name them, and coverage can tell a network of the request's own (whose
   * facilities it must send) from the server's.
   */
  datasets?: { network?: string; facilities?: string; communities?: string };
}

/** Where an input of the answer came from: the server's default, the body, or a stored dataset. */
export type InputSource = NetworkUsed['source'];

/** The network an answer used, as its `inputs.network` says: the schema's type (src/runtime/requests/answers.ts). */
export type NetworkUsed = Static<typeof NetworkUsedSchema>;

export function networkUsed(network: unknown, ctx: RequestContext, graph: Graph): NetworkUsed {
  const source: InputSource = network !== undefined && network !== null ? 'inline' : ctx.datasets?.network !== undefined ? 'dataset' : 'default';
  return { source, dataset: ctx.datasets?.network ?? null, name: source === 'inline' ? 'inline' : graph.meta.source, nodes: graph.nodeCount, edges: graph.edgeCount };
}

/** Whether the request runs on a network of its own (inline or a stored dataset) rather than the server's. */
export function hasOwnNetwork(network: unknown, ctx: RequestContext): boolean {
  return (network !== undefined && network !== null) || ctx.datasets?.network !== undefined;
}

/** A set of points an answer used (`inputs.origins`, `inputs.facilities`…): where from, how many read and used. */
export type PointsUsed = Static<typeof PointsUsedSchema>;

export function resolveNetwork(network: unknown, ctx: RequestContext): Graph {
  if (network === undefined || network === null) {
    if (!ctx.defaultGraph) throw new InputError('INVALID_PARAMETER', 'network: no default network is loaded; send one inline as a GeoJSON FeatureCollection', { where: 'network' });
    return ctx.defaultGraph;
  }
  if (typeof network === 'string') {
    throw new InputError('INVALID_PARAMETER', `network: got dataset id ${JSON.stringify(network)} where it cannot be resolved (a body of WORKER_THRESHOLD_MB or more); send the data inline, or run a job`, { where: 'network' });
  }
  return graphFromGeoJson(network, { source: 'inline' });
}

/**
 * For a network sent inline, what became of its lines: read, used, dropped by reason, rejected (bad
 * features, with examples naming them), the small pieces left out. Answers carry it as `network`,
 * because a dropped road changes the answer and the sender could not see it otherwise. Undefined for
 * the server's network or a stored dataset (their import report is at /ready and the dataset).
 */
export interface InlineNetworkReport {
  source: 'inline';
  nodes: number;
  edges: number;
  linesRead: number;
  linesUsed: number;
  linesDropped: Record<string, number>;
  rejected: number;
  examples: { ref: string; reason: string }[];
  components: { count: number; dropped: { components: number; nodes: number; edges: number; minNodes: number } };
}

function inlineNetworkReport(network: unknown, graph: Graph): InlineNetworkReport | undefined {
  if (network === undefined || network === null || typeof network === 'string') return undefined;
  const r = graph.meta.report;
  return {
    source: 'inline',
    nodes: r.nodes,
    edges: r.edges,
    linesRead: r.linesRead,
    linesUsed: r.linesUsed,
    linesDropped: r.linesDropped,
    rejected: r.rejected,
    examples: r.examples,
    components: { count: r.components.count, dropped: r.components.dropped },
  };
}

/** `{ network: report }` to spread into an answer, or nothing. */
export function withNetworkReport(network: unknown, graph: Graph): { network?: InlineNetworkReport } {
  const report = inlineNetworkReport(network, graph);
  return report ? { network: report } : {};
}

// One router and expander per graph, reused by every request on it: the search arrays are sized
// to the graph once (requests run one at a time on the event loop, so sharing is safe).
const routers = new WeakMap<Graph, Router>();
const multiSources = new WeakMap<Graph, MultiSourceSearch>();
const expanders = new WeakMap<Graph, NetworkExpander>();

export function routerFor(graph: Graph): Router {
  let router = routers.get(graph);
  if (!router) routers.set(graph, (router = new Router(graph)));
  return router;
}

export function multiSourceFor(graph: Graph): MultiSourceSearch {
  let multi = multiSources.get(graph);
  if (!multi) multiSources.set(graph, (multi = new MultiSourceSearch(graph)));
  return multi;
}

export function expanderFor(graph: Graph): NetworkExpander {
  let expander = expanders.get(graph);
  if (!expander) expanders.set(graph, (expander = new NetworkExpander(graph)));
  return expander;
}

// Facilities placed on the network, per facility set and costing: a server's default facilities are
// snapped once per mode, not once per request.
const placements = new WeakMap<readonly Facility[], Map<Costing, Map<number, PlacedFacilities>>>();

export function placedFacilitiesFor(facilities: readonly Facility[], costing: Costing, maxSnapM: number): PlacedFacilities {
  let byCosting = placements.get(facilities);
  if (!byCosting) placements.set(facilities, (byCosting = new Map()));
  let bySnap = byCosting.get(costing);
  if (!bySnap) byCosting.set(costing, (bySnap = new Map()));
  let placed = bySnap.get(maxSnapM);
  if (!placed) bySnap.set(maxSnapM, (placed = placeFacilities(costing, facilities, maxSnapM)));
  return placed;
}
