/**
 * Residential buildings of a network's OSM data, as homes are placed from them: one point per
 * building (strictly inside its footprint), its footprint area and its levels, in typed arrays with a
 * Flatbush index over the points, so that a community asks for the buildings inside its bounding box
 * without touching the rest of the city.
 *
 * Built by the OSM reader (src/core/io/osm/building-collector.ts) in the pass that reads the facilities;
 * saved as JSON next to the default facilities' GeoJSON for the compute threads (`toJSON`/`fromJSON`).
 */
import Flatbush from 'flatbush';

export interface ResidentialBuilding {
  lon: number;
  lat: number;
  /** Footprint, m². */
  areaM2: number;
  /** `building:levels` (1 when not tagged). */
  levels: number;
}

/** The saved form: one array per column, so a city's buildings load without an object per building. */
export interface ResidentialBuildingsJson {
  type: 'ResidentialBuildings';
  version: typeof JSON_VERSION;
  lon: number[];
  lat: number[];
  areaM2: number[];
  levels: number[];
}

const JSON_VERSION = 1;

export class ResidentialBuildings {
  readonly count: number;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly areaM2: Float64Array;
  readonly levels: Float32Array;
  private readonly index: Flatbush | undefined;

  constructor(buildings: readonly ResidentialBuilding[]) {
    this.count = buildings.length;
    this.lon = Float64Array.from(buildings, (b) => b.lon);
    this.lat = Float64Array.from(buildings, (b) => b.lat);
    this.areaM2 = Float64Array.from(buildings, (b) => b.areaM2);
    this.levels = Float32Array.from(buildings, (b) => b.levels);
    if (this.count === 0) return;
    this.index = new Flatbush(this.count);
    for (let i = 0; i < this.count; i++) this.index.add(this.lon[i], this.lat[i], this.lon[i], this.lat[i]);
    this.index.finish();
  }

  /** Ids (0-based, in the order given) of the buildings whose point lies in [west, south, east, north]. */
  inBox(west: number, south: number, east: number, north: number): number[] {
    return this.index ? this.index.search(west, south, east, north) : [];
  }

  building(i: number): ResidentialBuilding {
    return { lon: this.lon[i], lat: this.lat[i], areaM2: this.areaM2[i], levels: this.levels[i] };
  }

  toJSON(): ResidentialBuildingsJson {
    return { type: 'ResidentialBuildings', version: JSON_VERSION, lon: [...this.lon], lat: [...this.lat], areaM2: [...this.areaM2], levels: [...this.levels] };
  }

  /** Throws on anything but this class's saved form (a cache file from another version is rebuilt by the caller). */
  static fromJSON(value: unknown): ResidentialBuildings {
    const v = value as Partial<ResidentialBuildingsJson> | null;
    if (!v || v.type !== 'ResidentialBuildings' || v.version !== JSON_VERSION || !Array.isArray(v.lon) || !Array.isArray(v.lat) || !Array.isArray(v.areaM2) || !Array.isArray(v.levels)) {
      throw new Error(`residential buildings: got ${v && typeof v === 'object' ? `type ${JSON.stringify(v.type)} version ${JSON.stringify(v.version)}` : typeof value}, expected type "ResidentialBuildings" version ${JSON_VERSION}`);
    }
    const { lon, lat, areaM2, levels } = v;
    if (lat.length !== lon.length || areaM2.length !== lon.length || levels.length !== lon.length) throw new Error('residential buildings: columns of different lengths');
    return new ResidentialBuildings(lon.map((x, i) => ({ lon: x, lat: lat[i], areaM2: areaM2[i], levels: levels[i] })));
  }
}
