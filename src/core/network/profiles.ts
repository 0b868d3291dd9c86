import type { Tags } from './raw-line.ts';

/**
 * Travel modes and how they read OSM tags: which ways each mode may use, in which direction, and how
 * fast. Tags are interpreted once at import into a road class, a maxspeed and an access byte per mode
 * per edge; speeds are applied per request from the road class, so a request can override them without
 * re-reading tags.
 *
 * A mode is one entry of PROFILES (below the tag helpers it uses). Everything else (the graph's access
 * bytes, the API's enums, the standards' validation, the import report) follows from the table.
 */

/** Road classes stored per edge (index = the stored byte). `untagged` is a planner's own centre line. */
export const ROAD_CLASSES = [
  'untagged',
  'motorway',
  'motorway_link',
  'trunk',
  'trunk_link',
  'primary',
  'primary_link',
  'secondary',
  'secondary_link',
  'tertiary',
  'tertiary_link',
  'unclassified',
  'residential',
  'living_street',
  'service',
  'road',
  'track',
  'pedestrian',
  'footway',
  'path',
  'cycleway',
  'steps',
  'bridleway',
  'corridor',
  'platform',
  'ferry',
] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];
const CLASS_INDEX = new Map<string, number>(ROAD_CLASSES.map((c, i) => [c, i]));
export const FERRY_CLASS = CLASS_INDEX.get('ferry')!;

/** Highway values that are not (yet, or any more) roads anybody travels on. */
const NOT_ROADS = new Set([
  'construction', 'proposed', 'planned', 'abandoned', 'disused', 'razed', 'raceway', 'bus_guideway',
  'escape', 'rest_area', 'services', 'emergency_bay', 'no', 'via_ferrata', 'bus_stop', 'elevator',
]);

/**
 * One travel mode: how it reads a way's tags at import, and its speeds per request. A new mode is one
 * more entry in PROFILES (and its tests); the graph stores a byte of access per mode and edge.
 */
export interface TravelProfile {
  /** The name requests, standards and answers use. */
  readonly name: string;
  /** Default speed, km/h: walking or cycling speed; for cars the speed where no class speed applies. */
  readonly defaultKmh: number;
  /** Whether the mode may use a way of this class with these tags (a planner's untagged line: always). */
  allows(roadClass: RoadClass, tags: Tags): boolean;
  /** The directions it may then travel: bit 0 along the line, bit 1 against it. */
  directions(roadClass: RoadClass, tags: Tags): number;
  /** km/h on a class (ferries aside), 0 where the mode may not go; `override` is the request's own speed. */
  classKmh(roadClass: RoadClass, baseKmh: number, override: number | undefined): number;
  /** A way's tagged maxspeed replaces the class speed (unless the request sets one speed). */
  readonly usesMaxspeed: boolean;
  /** Classes an answer's speed table leaves out: the mode never gets there (motorways on foot). */
  readonly hiddenClasses: readonly RoadClass[];
  /** The traveller is on foot: the legs between a point and the road go at the mode's speed, not walking speed. */
  readonly onFoot: boolean;
}

/** The travel modes, in the order of the graph's access bytes (appending one keeps the others' place). */
export const PROFILES = [
  {
    name: 'walk',
    // 4.5 km/h: see docs/decisions.md "Walking at 4.5 km/h" for why.
    defaultKmh: 4.5,
    allows(roadClass, tags) {
      const explicit = accessFrom(tags, ['foot', 'access']);
      if (tags.foot !== undefined && explicit !== undefined) return explicit;
      if (WALK_DEFAULT_DENY.has(roadClass) || tags.motorroad === 'yes') return false;
      return explicit ?? true;
    },
    directions: (_roadClass, tags) => onewayDirections(tags['oneway:foot']),
    // Climbing steps halves walking speed.
    classKmh: (roadClass, base) => base * (roadClass === 'steps' ? 0.5 : 1),
    usesMaxspeed: false,
    hiddenClasses: ['motorway', 'motorway_link'],
    onFoot: true,
  },
  {
    name: 'bike',
    defaultKmh: 15,
    allows: bicycleAllowed,
    directions: bicycleDirections,
    classKmh: (_roadClass, base) => base,
    usesMaxspeed: false,
    hiddenClasses: ['motorway', 'motorway_link'],
    onFoot: false,
  },
  {
    name: 'ebike',
    defaultKmh: 20,
    allows: bicycleAllowed,
    directions: bicycleDirections,
    classKmh: (_roadClass, base) => base,
    usesMaxspeed: false,
    hiddenClasses: ['motorway', 'motorway_link'],
    onFoot: false,
  },
  {
    name: 'car',
    defaultKmh: 30,
    allows(roadClass, tags) {
      if (roadClass === 'ferry') return accessFrom(tags, ['motorcar', 'motor_vehicle']) === true;
      const specific = accessFrom(tags, ['motorcar', 'motor_vehicle']);
      if (specific !== undefined) return specific;
      if (!CAR_ALLOWED.has(roadClass)) return false;
      return accessFrom(tags, ['vehicle', 'access']) ?? true;
    },
    directions: (roadClass, tags) => (roadClass === 'ferry' ? 3 : vehicleDirections(roadClass, tags)),
    // A request's speed is one uniform car speed on every road.
    classKmh: (roadClass, _base, override) => override ?? CAR_CLASS_KMH[roadClass] ?? 0,
    usesMaxspeed: true,
    hiddenClasses: [],
    onFoot: false,
  },
] as const satisfies readonly TravelProfile[];

export type Mode = (typeof PROFILES)[number]['name'];
export const MODES: readonly Mode[] = PROFILES.map((p) => p.name);

export function modeIndex(mode: Mode): number {
  return MODES.indexOf(mode);
}

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value);
}

export function profileOf(mode: Mode): TravelProfile {
  return PROFILES[modeIndex(mode)];
}

/** Default speeds, km/h, by mode. */
export const DEFAULT_SPEED_KMH = Object.fromEntries(PROFILES.map((p) => [p.name, p.defaultKmh])) as Record<Mode, number>;

export interface WayAttributes {
  roadClass: number;
  /** Tagged maxspeed in km/h, 0 when not tagged (or `none`). */
  maxspeedKmh: number;
  /** Per mode (index in MODES): bit 0 it may travel along the line's direction, bit 1 against it. */
  access: number[];
}

export type WayInterpretation = WayAttributes | { dropped: string };

/** Reads a way's tags once, for all modes. A way no mode may use is dropped, with the reason. */
export function interpretWay(tags: Tags): WayInterpretation {
  const roadClass = classify(tags);
  if (typeof roadClass === 'string') return { dropped: roadClass };
  const maxspeedKmh = parseMaxspeed(tags.maxspeed);
  const name = ROAD_CLASSES[roadClass];
  // A line with no routing tags is a planner's own centre line: every mode may use it.
  const access = PROFILES.map((p: TravelProfile) => (name === 'untagged' || p.allows(name, tags) ? p.directions(name, tags) : 0));
  if (access.every((dirs) => dirs === 0)) return { dropped: 'no travel mode may use it (access tags)' };
  return { roadClass, maxspeedKmh, access };
}

export interface SpeedTable {
  mode: Mode;
  /** The base speed: walking/cycling speed, or for cars the uniform override when one was given. */
  speedKmh: number;
  /** Speed per road class in km/h, 0 where the mode may not go. */
  byClass: Float64Array;
  /** For cars: use the edge's tagged maxspeed instead of the class speed. */
  useMaxspeed: boolean;
  /** Ferries are excluded unless asked for: a 15-minute circle does not wait for boats. */
  ferries: boolean;
}

/**
 * Free-flow car speeds per class in urban China (km/h), used when a way has no maxspeed tag.
 * `untagged` centre lines run at the profile default.
 */
const CAR_CLASS_KMH: Partial<Record<RoadClass, number>> = {
  untagged: 30, motorway: 90, motorway_link: 45, trunk: 60, trunk_link: 40, primary: 45, primary_link: 35,
  secondary: 40, secondary_link: 30, tertiary: 30, tertiary_link: 25, unclassified: 25, residential: 20,
  living_street: 10, service: 15, road: 20, track: 10, ferry: 10,
};

const FERRY_KMH = 10;

export interface SpeedOptions {
  /** Override: walking/cycling speed, or for cars one uniform speed on every road. */
  speedKmh?: number;
  ferries?: boolean;
}

/** The speeds a request uses; every result reports them. */
export function speedTable(mode: Mode, opts: SpeedOptions = {}): SpeedTable {
  const profile = profileOf(mode);
  const override = opts.speedKmh;
  const base = override ?? profile.defaultKmh;
  const byClass = new Float64Array(ROAD_CLASSES.length);
  for (let c = 0; c < ROAD_CLASSES.length; c++) {
    const name = ROAD_CLASSES[c];
    byClass[c] = name === 'ferry' ? FERRY_KMH : profile.classKmh(name, base, override);
  }
  return { mode, speedKmh: base, byClass, useMaxspeed: profile.usesMaxspeed && override === undefined, ferries: opts.ferries ?? false };
}

/** Speed in km/h on one edge, 0 if the mode may not use its class. */
export function edgeSpeedKmh(table: SpeedTable, roadClass: number, maxspeedKmh: number): number {
  if (roadClass === FERRY_CLASS && !table.ferries) return 0;
  if (table.useMaxspeed && maxspeedKmh > 0 && roadClass !== FERRY_CLASS) return maxspeedKmh;
  return table.byClass[roadClass];
}

/** The speed table in a form a JSON answer can carry. */
export function describeSpeeds(table: SpeedTable): { mode: Mode; speedKmh: number; byClassKmh: Record<string, number>; maxspeedTagsUsed: boolean; ferries: boolean; note: string } {
  const byClassKmh: Record<string, number> = {};
  const neverUsed: readonly string[] = profileOf(table.mode).hiddenClasses;
  ROAD_CLASSES.forEach((c, i) => {
    if (table.byClass[i] <= 0 || neverUsed.includes(c) || (c === 'ferry' && !table.ferries)) return;
    byClassKmh[c] = table.byClass[i];
  });
  return {
    mode: table.mode,
    speedKmh: table.speedKmh,
    byClassKmh,
    maxspeedTagsUsed: table.useMaxspeed,
    ferries: table.ferries,
    note: 'speeds on the road classes the mode may use; access and one-way tags decide each way (docs/api.md: Travel modes)',
  };
}

// ---------------------------------------------------------------------------------------------
// Tag reading

function classify(tags: Tags): number | string {
  const highway = tags.highway;
  if (highway === undefined) {
    if (tags.route === 'ferry') return FERRY_CLASS;
    // A line with no routing tags at all is a planner's own centre line: every mode may use it.
    if (tags.route === undefined) return CLASS_INDEX.get('untagged')!;
    return `route=${tags.route} is not a road`;
  }
  if (NOT_ROADS.has(highway)) return `highway=${highway} is not a usable road`;
  if (tags.area === 'yes' && highway !== 'pedestrian' && highway !== 'footway') return `highway=${highway} area`;
  const c = CLASS_INDEX.get(highway);
  if (c !== undefined) return c;
  // Unknown highway values (e.g. `bridleway;footway`, typos): walkable like a path rather than lost.
  return CLASS_INDEX.get('path')!;
}

const DENY = new Set(['no', 'private', 'agricultural', 'forestry', 'delivery', 'military', 'use_sidepath', 'discouraged_no']);
const ALLOW = new Set(['yes', 'designated', 'permissive', 'destination', 'permit', 'official', 'customers']);

/** The most specific access tag wins (e.g. foot over access): undefined when none is decisive. */
function accessFrom(tags: Tags, keys: string[]): boolean | undefined {
  for (const key of keys) {
    const v = tags[key];
    if (v === undefined) continue;
    const first = v.split(';')[0].trim();
    if (DENY.has(first)) return false;
    if (ALLOW.has(first)) return true;
  }
  return undefined;
}

const WALK_DEFAULT_DENY = new Set<RoadClass>(['motorway', 'motorway_link']);
const BIKE_DEFAULT_DENY = new Set<RoadClass>(['motorway', 'motorway_link', 'footway', 'pedestrian', 'steps', 'corridor', 'platform', 'bridleway']);
const CAR_ALLOWED = new Set<RoadClass>([
  'untagged', 'motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary',
  'secondary_link', 'tertiary', 'tertiary_link', 'unclassified', 'residential', 'living_street', 'service', 'road', 'track',
]);

function bicycleAllowed(roadClass: RoadClass, tags: Tags): boolean {
  const specific = accessFrom(tags, ['bicycle']);
  if (specific !== undefined) return specific;
  if (BIKE_DEFAULT_DENY.has(roadClass) || tags.motorroad === 'yes') return false;
  return accessFrom(tags, ['bicycle', 'vehicle', 'access']) ?? true;
}

function bicycleDirections(roadClass: RoadClass, tags: Tags): number {
  if (roadClass === 'ferry') return 3;
  const bikeOneway = tags['oneway:bicycle'];
  if (bikeOneway !== undefined) return onewayDirections(bikeOneway);
  if (/^opposite/.test(tags.cycleway ?? '') || /^opposite/.test(tags['cycleway:left'] ?? '') || /^opposite/.test(tags['cycleway:right'] ?? '')) return 3;
  return vehicleDirections(roadClass, tags);
}

/** A vehicle's directions: the way's oneway tag, or one way on motorways and roundabouts. */
function vehicleDirections(roadClass: RoadClass, tags: Tags): number {
  const oneway = tags.oneway;
  if (oneway !== undefined) return onewayDirections(oneway);
  const impliedOneway = roadClass === 'motorway' || tags.junction === 'roundabout' || tags.junction === 'circular';
  return impliedOneway ? 1 : 3;
}

function onewayDirections(value: string | undefined): number {
  switch (value) {
    case 'yes':
    case 'true':
    case '1':
      return 1;
    case '-1':
    case 'reverse':
      return 2;
    default:
      return 3;
  }
}

/** `50`, `50 km/h`, `30 mph`, `walk`; 0 for none/unknown (then the class speed applies). */
function parseMaxspeed(value: string | undefined): number {
  if (value === undefined) return 0;
  const first = value.split(';')[0].trim().toLowerCase();
  if (first === 'walk') return 5;
  const match = /^(\d+(?:\.\d+)?)\s*(mph|km\/h|kmh|kph)?$/.exec(first);
  if (!match) return 0;
  const kmh = Number(match[1]) * (match[2] === 'mph' ? 1.609344 : 1);
  return Math.max(1, Math.min(255, Math.round(kmh)));
}
