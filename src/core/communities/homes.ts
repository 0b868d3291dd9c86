import type { LonLat } from '../facilities/feature-geometry.ts';

/**
 * Where a community's residents live: the points every coverage verdict is measured from.
 *
 * A home walks to the network on its own (its access leg), or — when its part of the compound has
 * gates — straight to each gate of its own part at walking speed and on from there. No home is
 * credited with what another part, or another part's gate, reaches.
 */
export interface Home {
  lon: number;
  lat: number;
  /** Residents this home stands for (relative; the community's population spread over its homes). */
  weight: number;
  /** Index of the community's part (polygon of a MultiPolygon; 0 otherwise) the home lies in. */
  part: number;
}

/**
 * How the homes were found, in order of preference:
 * - `given`: the request's (or dataset's) `homes`, tied by `community` or by lying inside the polygon;
 * - `buildings`: residential buildings of the OSM network inside the polygon;
 * - `grid`: a regular grid inside each polygon part (population spread by area);
 * - `point`: a Point community is one home;
 * - `gates`: a MultiPoint community (gates only, no area): one home at the gates' centroid;
 * - `representative`: `origin: "representative"`, today's one-point rule, all origins pooled as one home.
 */
export const HOME_RULES = ['given', 'buildings', 'grid', 'point', 'gates', 'representative'] as const;
export type HomeRule = (typeof HOME_RULES)[number];

export interface CommunityHomes {
  rule: HomeRule;
  /** WGS84; never empty. */
  homes: Home[];
  /** Gates per part (WGS84); an empty list for a part without gates. */
  gates: LonLat[][];
  /**
   * `representative` only: the home sets out from every one of these points (pooled), as today's
   * one-point rule does. Otherwise absent.
   */
  pooledOrigins?: LonLat[];
  /** `grid` only: the spacing used, metres (the requested one, or larger when capped). */
  spacingM?: number;
  /** Grid or buildings capped: how many there would have been, and the cap applied. */
  capped?: { cap: number; found: number };
}
