import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import OpeningHours from 'opening_hours';
import type { Community } from '../communities/read-communities.ts';
import type { Facility } from '../facilities/read-facilities.ts';

/**
 * Provision checks from the seed documents, reported apart from reachability, and only when the data
 * carries the fields they need:
 *  - community service floor area per 100 households: facilities' `area_m2` (and `outdoor_area_m2`)
 *    over the community's `households`. Norms: Jiayuguan 2021–2025 (≥ 30 m², 每百户居民拥有社区综合服务
 *    设施面积); Guangdong 2011–2015 (indoor ≥ 20 m², outdoor ≥ 30 m² per 100 urban households);
 *    Chongqing 2022 (≥ 60 m² per 100 village households).
 *  - service hours: Jiayuguan — 社区服务设施开放和服务时间不少于每天8小时 — from OSM `opening_hours`.
 *
 * A facility counts for a community when its `community` property names the community's id, or
 * when it stands inside the community's polygon: floor area belongs to a community, it is not
 * "reached" like a shop.
 */
export interface ProvisionResult {
  check: 'floor_area_per_100_households' | 'outdoor_area_per_100_households' | 'opening_hours';
  norm: string;
  threshold: number;
  /** m² per 100 households, or the shortest day's opening hours; null when the data is missing. */
  value: number | null;
  pass: boolean | null;
  detail: string;
}

/** Facility categories whose floor area counts as community service space. */
export const COMMUNITY_SERVICE_CATEGORIES = new Set([
  'party_community_centre', 'community_service_station', 'community_centre', 'civilization_practice_station',
  'volunteer_station', 'social_work_station', 'elderly_care', 'elderly_day_care', 'cultural_centre', 'library',
]);

export function provisionChecks(community: Community, facilities: readonly Facility[]): ProvisionResult[] {
  const linked = linkedFacilities(community, facilities);
  const results: ProvisionResult[] = [];
  const withArea = linked.filter((f) => f.areaM2 !== undefined);
  if (community.households !== undefined && community.households > 0 && withArea.length > 0) {
    const per100 = (m2: number) => Math.round((m2 / community.households!) * 100 * 10) / 10;
    const indoor = per100(withArea.reduce((s, f) => s + (f.areaM2 ?? 0), 0));
    const names = withArea.map((f) => f.id).join(', ');
    if (community.type === 'urban') {
      results.push(areaResult('floor_area_per_100_households', 'Jiayuguan 2021–2025: ≥ 30 m² community service space per 100 households', 30, indoor, names));
      results.push(areaResult('floor_area_per_100_households', 'Guangdong 2011–2015: indoor ≥ 20 m² per 100 households', 20, indoor, names));
      const outdoor = withArea.filter((f) => typeof f.properties.outdoor_area_m2 === 'number');
      if (outdoor.length > 0) {
        const value = per100(outdoor.reduce((s, f) => s + (f.properties.outdoor_area_m2 as number), 0));
        results.push(areaResult('outdoor_area_per_100_households', 'Guangdong 2011–2015: outdoor ≥ 30 m² per 100 households', 30, value, outdoor.map((f) => f.id).join(', ')));
      }
    } else {
      results.push(areaResult('floor_area_per_100_households', 'Chongqing 2022: ≥ 60 m² per 100 village households', 60, indoor, names));
    }
  }
  for (const f of linked) {
    if (f.openingHours === undefined) continue;
    const hours = shortestDayHours(f.openingHours);
    results.push({
      check: 'opening_hours',
      norm: 'Jiayuguan 2021–2025: community service facilities open ≥ 8 hours every day',
      threshold: 8,
      value: hours,
      pass: hours === null ? null : hours >= 8,
      detail: hours === null ? `${f.id}: opening_hours "${f.openingHours}" could not be read` : `${f.id}: "${f.openingHours}"`,
    });
  }
  return results;
}

function areaResult(check: ProvisionResult['check'], norm: string, threshold: number, value: number, facilities: string): ProvisionResult {
  return { check, norm, threshold, value, pass: value >= threshold, detail: `from ${facilities}` };
}

// Per facility set, the few facilities that carry provision data: a check reads only those.
const candidatesOf = new WeakMap<readonly Facility[], Facility[]>();

function linkedFacilities(community: Community, facilities: readonly Facility[]): Facility[] {
  let candidates = candidatesOf.get(facilities);
  if (!candidates) {
    candidates = facilities.filter((f) => f.categories.some((c) => COMMUNITY_SERVICE_CATEGORIES.has(c)) && (f.areaM2 !== undefined || f.openingHours !== undefined));
    candidatesOf.set(facilities, candidates);
  }
  const polygon = community.geometry.type === 'Polygon' || community.geometry.type === 'MultiPolygon' ? community.geometry : null;
  return candidates.filter((f) => {
    if (f.properties.community !== undefined) return String(f.properties.community) === community.id;
    return polygon !== null && booleanPointInPolygon([f.lon, f.lat], polygon);
  });
}

/** Opening hours of the shortest day in a reference week (Mon 2026-01-05 … Sun), or null if unreadable. */
export function shortestDayHours(value: string): number | null {
  try {
    const oh = new OpeningHours(value, null, { mode: 0 } as never);
    let shortest = Infinity;
    for (let d = 0; d < 7; d++) {
      const from = new Date(2026, 0, 5 + d);
      const to = new Date(2026, 0, 6 + d);
      shortest = Math.min(shortest, oh.getOpenDuration(from, to)[0] / 3_600_000);
    }
    return Math.round(shortest * 100) / 100;
  } catch {
    return null;
  }
}
