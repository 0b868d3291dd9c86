/**
 * Derives data/sample/communities.geojson, the communities the map page opens with, from the
 * sample's OpenStreetMap extract:
 *
 *   npx tsx scripts/sample-communities.ts [data/sample/chengdu.osm.pbf] [data/sample/communities.geojson]
 *
 * - every closed `landuse=residential` way becomes a Polygon community (the same ways the CLI's
 *   `coverage --communities <osm file>` reads);
 * - every `place=neighbourhood` node that lies in none of those polygons becomes a Point community
 *   (a 小区 mapped as a point only).
 *
 * Communities with no walkable road of the sample network within 500 m (coverage's default
 * `maxSnapM`) are left out: the extract's roads do not cover its whole box, and a community that
 * cannot be placed on the network could only be reported as not assessed.
 *
 * All are `type: "urban"`: the extract is central Chengdu, and OSM does not say which places are
 * villages. Coordinates are rounded to 7 decimals (about 1 cm), as OSM stores them. The output is
 * deterministic (file order), so re-running it gives the same bytes; data/sample/SOURCE.md records it.
 */
import { writeFileSync } from 'node:fs';
import type { Feature, FeatureCollection, Point, Polygon, Position } from 'geojson';
import { readCommunities } from '../src/core/communities/read-communities.ts';
import { graphFromOsm } from '../src/core/io/build-network.ts';
import { PoiCollector } from '../src/core/io/osm/poi-collector.ts';
import { costingFor, edgeUsable } from '../src/core/routing/costing.ts';
import { snapToNetwork } from '../src/core/spatial/snap.ts';
import type { OsmHandler, RelationMember } from '../src/core/io/osm/osm-handler.ts';
import { streamOsm } from '../src/core/io/osm/stream-osm.ts';
import type { Tags } from '../src/core/network/raw-line.ts';
import { fileBytes } from '../src/runtime/files/file-bytes.ts';

const [input = 'data/sample/chengdu.osm.pbf', output = 'data/sample/communities.geojson'] = process.argv.slice(2);
/** Coverage's default: farther from a usable road, a community is not assessed. */
const MAX_SNAP_M = 500;

/** The POI collector for the residential polygons, plus the neighbourhood nodes it does not keep. */
class CommunityCollector implements OsmHandler {
  readonly pois = new PoiCollector();
  readonly neighbourhoods: Feature<Point>[] = [];

  node(id: number, lon: number, lat: number, tags: Tags | undefined): void {
    this.pois.node(id, lon, lat, tags);
    if (tags?.place === 'neighbourhood' && Number.isFinite(lon) && Number.isFinite(lat)) {
      const name = tags.name ?? tags['name:zh'];
      this.neighbourhoods.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [round(lon), round(lat)] },
        properties: { id: `node/${id}`, ...(name ? { name } : {}), type: 'urban', osm: 'place=neighbourhood' },
      });
    }
  }

  way(id: number, refs: ArrayLike<number>, tags: Tags | undefined): void {
    this.pois.way(id, refs, tags);
  }

  relation(id: number, tags: Tags | undefined, members: readonly RelationMember[]): void {
    this.pois.relation(id, tags, members);
  }
}

const collector = new CommunityCollector();
await streamOsm(fileBytes(input), collector);
const polygons: Feature<Polygon>[] = collector.pois.collections().residential.features.map((f) => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: f.geometry.coordinates.map((ring) => ring.map(([lon, lat]) => [round(lon), round(lat)])) },
  properties: { id: f.properties.id, ...(f.properties.name ? { name: f.properties.name } : {}), type: 'urban', osm: 'landuse=residential' },
}));
const points = collector.neighbourhoods.filter((p) => !polygons.some((poly) => inside(p.geometry.coordinates, poly.geometry.coordinates)));
const candidates: Feature[] = [...polygons, ...points];
const placeable = onTheNetwork(candidates, await graphFromOsm(fileBytes(input)));
if (placeable.length === 0) {
  console.error(`${input}: no landuse=residential way or place=neighbourhood node near a walkable road: no communities`);
  process.exit(1);
}
const collection: FeatureCollection = { type: 'FeatureCollection', features: placeable };
// One feature per line: small diffs when the extract changes, and still plain GeoJSON.
writeFileSync(output, `{"type":"FeatureCollection","features":[\n${collection.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`);
const kept = (list: Feature[]) => list.filter((f) => placeable.includes(f)).length;
console.log(
  `${output}: ${kept(polygons)} of ${polygons.length} residential polygons and ${kept(points)} of ${points.length} neighbourhood points (${collector.neighbourhoods.length - points.length} more lie inside a polygon); ` +
    `${candidates.length - placeable.length} left out, no walkable road within ${MAX_SNAP_M} m`,
);

/** The communities one of whose origins (as coverage places them) is near a road walkers may use. */
function onTheNetwork(features: Feature[], graph: Awaited<ReturnType<typeof graphFromOsm>>): Feature[] {
  const costing = costingFor(graph, { mode: 'walk' });
  const usable = (e: number) => edgeUsable(costing, e);
  const read = readCommunities({ type: 'FeatureCollection', features });
  const near = new Set(read.communities.filter((c) => c.origins.some(([lon, lat]) => snapToNetwork(graph, lon, lat, MAX_SNAP_M, usable))).map((c) => c.index));
  return features.filter((_, i) => near.has(i));
}

function round(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

/** Even-odd rule over every ring (holes included). */
function inside([x, y]: Position, rings: Position[][]): boolean {
  let odd = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}
