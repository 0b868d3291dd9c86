import type { Feature, FeatureCollection, LineString } from 'geojson';
import { LocalProjection } from '../geo/local-projection.ts';
import { simplifyLine } from '../geo/simplify.ts';
import type { Graph } from '../network/graph.ts';
import { ROAD_CLASSES } from '../network/profiles.ts';

/**
 * The road network as GeoJSON lines for drawing, not for routing: one LineString per edge with its
 * road class and its name (when it has one: the map page labels streets with it), the polyline simplified (Douglas–Peucker, `toleranceM`) and rounded to 6 decimals
 * (about 0.1 m), which keeps a city's base map a fraction of its full geometry.
 *
 * A network over `maxEdges` edges is drawn with its main roads only (motorway to tertiary, and
 * untagged lines, which are a planner's own centre lines): the whole of a million-edge city would be
 * a hundred megabytes no browser wants as one layer. `partial` says when that happened.
 */
export interface NetworkDrawing {
  collection: FeatureCollection<LineString, { class: string; name?: string }>;
  edges: number;
  partial: boolean;
}

export interface NetworkDrawingOptions {
  toleranceM?: number;
  maxEdges?: number;
}

const MAIN_ROADS = new Set(['untagged', 'motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link', 'tertiary', 'tertiary_link']);

export function networkDrawing(graph: Graph, opts: NetworkDrawingOptions = {}): NetworkDrawing {
  const toleranceM = opts.toleranceM ?? 2;
  const partial = graph.edgeCount > (opts.maxEdges ?? 200_000);
  const frame = new LocalProjection(graph.meta.projectionLat);
  const features: Feature<LineString, { class: string; name?: string }>[] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const roadClass = ROAD_CLASSES[graph.edgeClass[e]] ?? 'untagged';
    if (partial && !MAIN_ROADS.has(roadClass)) continue;
    const line = simplifyLine(graph.geom, graph.edgeGeomStart[e], graph.edgeGeomStart[e + 1], toleranceM, frame);
    const name = graph.names[graph.edgeName[e]];
    features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: line.map(([lon, lat]) => [round6(lon), round6(lat)]) }, properties: { class: roadClass, ...(name ? { name } : {}) } });
  }
  return { collection: { type: 'FeatureCollection', features }, edges: features.length, partial };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
