/**
 * Residential buildings from an OSM stream, for placing a community's homes where its people live
 * (src/core/communities/place-homes.ts). Rides along with the points-of-interest pass (read-pois.ts) and
 * uses its node positions, so a file is read once and its nodes are kept once.
 *
 * Kept: closed ways tagged `building=` one of RESIDENTIAL_BUILDING_VALUES. `building=yes` (most of
 * OSM's buildings) is kept too: homes are only ever taken from buildings inside a residential
 * community's polygon, where an untyped building is a home far more often than not. Multipolygon
 * building relations are not read (the parsers do not report members); they are counted.
 */
import { area } from '@turf/area';
import { interiorPoint } from '../../facilities/feature-geometry.ts';
import { type ResidentialBuilding, ResidentialBuildings } from '../../communities/residential-buildings.ts';
import type { NodeIndex } from '../../network/node-index.ts';
import type { Tags } from '../../network/raw-line.ts';
import type { OsmHandler } from './osm-handler.ts';

const RESIDENTIAL_BUILDING_VALUES = ['residential', 'apartments', 'house', 'dormitory', 'detached', 'semidetached_house', 'terrace', 'yes'] as const;
const RESIDENTIAL = new Set<string>(RESIDENTIAL_BUILDING_VALUES);

/** Above this a `building:levels` value is a typo (the tallest towers have about 160). */
const MAX_LEVELS = 200;

export interface BuildingCounts {
  /** Residential buildings emitted. */
  buildings: number;
  /** Residential building ways that are not closed rings. */
  openWays: number;
  /** Residential building ways with a node absent from the file, or of no area. */
  incompleteWays: number;
  /** Residential building relations: not read. */
  relationsSkipped: number;
}

export class BuildingCollector implements OsmHandler {
  readonly counts: BuildingCounts = { buildings: 0, openWays: 0, incompleteWays: 0, relationsSkipped: 0 };
  private readonly ways: { refs: Float64Array; levels: number }[] = [];

  node(): void {}

  way(_id: number, refs: ArrayLike<number>, tags: Tags | undefined): void {
    if (tags === undefined || !isResidentialBuilding(tags)) return;
    if (refs.length < 4 || refs[0] !== refs[refs.length - 1]) {
      this.counts.openWays++;
      return;
    }
    // `refs` may be the parser's reused buffer.
    this.ways.push({ refs: Float64Array.from(refs), levels: levelsOf(tags) });
  }

  relation(_id: number, tags: Tags | undefined): void {
    if (tags !== undefined && isResidentialBuilding(tags)) this.counts.relationsSkipped++;
  }

  /** Once the stream has ended: each building's point, area and levels, from the pass's node positions. */
  buildings(positions: NodeIndex): ResidentialBuildings {
    const found: ResidentialBuilding[] = [];
    this.counts.incompleteWays = 0;
    for (const way of this.ways) {
      const ring: [number, number][] = [];
      for (const ref of way.refs) {
        const slot = positions.slotOf(ref);
        if (slot < 0) break;
        ring.push([positions.lon(slot), positions.lat(slot)]);
      }
      const point = ring.length === way.refs.length ? interiorPoint([ring]) : undefined;
      if (!point) {
        this.counts.incompleteWays++;
        continue;
      }
      found.push({ lon: point[0], lat: point[1], areaM2: area({ type: 'Polygon', coordinates: [ring] }), levels: way.levels });
    }
    this.counts.buildings = found.length;
    return new ResidentialBuildings(found);
  }
}

function isResidentialBuilding(tags: Tags): boolean {
  return tags.building !== undefined && RESIDENTIAL.has(tags.building);
}

/** `building:levels` as a number ≥ 1; "6;7" (several parts) takes the first; anything unusable is 1. */
function levelsOf(tags: Tags): number {
  const raw = tags['building:levels'];
  if (raw === undefined) return 1;
  const n = Number.parseFloat(raw);
  return Number.isFinite(n) && n >= 1 && n <= MAX_LEVELS ? n : 1;
}
