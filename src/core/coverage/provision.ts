import type { Static } from '@sinclair/typebox';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import OpeningHours from 'opening_hours';
import type { Community } from '../communities/read-communities.ts';
import type { Facility } from '../facilities/read-facilities.ts';
import type { ProvisionResultSchema } from './report-schema.ts';

/**
 * Provision checks from the seed documents (../shared/seeds/), reported apart from reachability and
 * only when the data carries the fields they need. Each result names its document and clause.
 *
 *  - Community service floor area per 100 households: facilities' `area_m2` over the community's
 *    `households`. Jiayuguan's ≥ 30 m² is one indicator for every community, urban and rural;
 *    Guangdong's indoor ≥ 20 m² is for urban communities, and for rural ones "适当增加" (somewhat
 *    more): reported as "≥ the urban figure, to be set locally" (pass only when below it, else
 *    undecided) unless a stricter local figure is given; Chongqing's ≥ 60 m² is per 100 village
 *    households, so rural only.
 *  - Outdoor area per 100 households (Guangdong, ≥ 30 m² urban; rural as above): squares, parks,
 *    sports grounds, fitness trails and playgrounds with `outdoor_area_m2` or a polygon (its area),
 *    plus the declared `outdoor_area_m2` of the community's service facilities (a centre's yard).
 *  - Service hours (Chongqing: 开放和服务时间一般不少于每天8小时): every day a facility opens must
 *    reach 8 hours; the days it opens and its weekly hours are stated. Closed at weekends is not a
 *    failure: the clause is about the days it serves, not about serving every day.
 *
 * A facility counts for a community when its `community` property names the community's id, or
 * when it stands inside the community's polygon: floor area belongs to a community, it is not
 * "reached" like a shop.
 */
export type ProvisionResult = Static<typeof ProvisionResultSchema>;

export interface ProvisionOptions {
  /**
   * Guangdong's rural figures, per 100 households, where a locality has set them. The document only
   * says "more than the urban figure"; a figure below the urban one is not stricter and is ignored.
   */
  guangdongRural?: { indoorM2?: number; outdoorM2?: number };
}

/** Facility categories whose floor area counts as community service space. */
const COMMUNITY_SERVICE_CATEGORIES = new Set([
  'party_community_centre', 'community_service_station', 'community_centre', 'civilization_practice_station',
  'volunteer_station', 'social_work_station', 'elderly_care', 'elderly_day_care', 'cultural_centre', 'library',
]);

/** Facility categories whose ground is outdoor activity space (室外活动场所). */
const OUTDOOR_CATEGORIES = new Set(['square', 'park', 'sports_ground', 'fitness_trail', 'playground']);

const SOURCES = {
  jiayuguan: {
    document: '嘉峪关市“十四五”城乡社区服务体系建设规划 (嘉政办发〔2022〕62号)',
    clause: '专栏1 主要指标 第4项: 每百户居民拥有社区综合服务设施面积 ≥30平方米 (城乡社区)',
  },
  guangdongIndoor: {
    document: '广东省城乡社区服务体系建设“十二五”规划',
    clause: '三(四)1: 城市社区室内服务活动设施面积每百户居民不低于20平方米 …农村社区适当增加面积',
  },
  guangdongOutdoor: {
    document: '广东省城乡社区服务体系建设“十二五”规划',
    clause: '三(四)1: 室外活动场所面积每百户居民不少于30平方米，农村社区适当增加面积',
  },
  chongqingVillage: {
    document: '重庆市城乡社区综合服务体试点建设方案 (2022)',
    clause: '完善村级综合服务设施网络: 推动每百户村民拥有综合服务设施面积不低于60平方米',
  },
  chongqingHours: {
    document: '重庆市城乡社区综合服务体试点建设方案 (2022)',
    clause: '提升服务效能: 社区服务设施开放和服务时间一般不少于每天8小时',
  },
} as const;

export function provisionChecks(community: Community, facilities: readonly Facility[], opts: ProvisionOptions = {}): ProvisionResult[] {
  const linked = linkedFacilities(community, facilities);
  const results: ProvisionResult[] = [];
  const households = community.households;
  const rural = community.type === 'rural';
  if (households !== undefined && households > 0) {
    const per100 = (m2: number) => Math.round((m2 / households) * 100 * 10) / 10;
    const service = linked.filter((f) => isService(f) && f.areaM2 !== undefined);
    if (service.length > 0) {
      const indoor = per100(service.reduce((s, f) => s + f.areaM2!, 0));
      const from = `from ${service.map((f) => f.id).join(', ')}`;
      results.push(areaResult('floor_area_per_100_households', 'Jiayuguan 2021–2025: ≥ 30 m² community service space per 100 households', SOURCES.jiayuguan, 30, indoor, from));
      results.push(guangdongResult('floor_area_per_100_households', 'indoor', 20, opts.guangdongRural?.indoorM2, rural, indoor, from));
      if (rural) results.push(areaResult('floor_area_per_100_households', 'Chongqing 2022: ≥ 60 m² per 100 village households', SOURCES.chongqingVillage, 60, indoor, from));
    }
    const outdoor = linked.map((f) => ({ f, m2: outdoorM2(f) })).filter((o) => o.m2 !== undefined);
    if (outdoor.length > 0) {
      const value = per100(outdoor.reduce((s, o) => s + o.m2!, 0));
      const from = `from ${outdoor.map((o) => `${o.f.id} (${o.m2} m²)`).join(', ')}`;
      results.push(guangdongResult('outdoor_area_per_100_households', 'outdoor', 30, opts.guangdongRural?.outdoorM2, rural, value, from));
    }
  }
  for (const f of linked) {
    if (f.openingHours === undefined || !isService(f)) continue;
    results.push(hoursResult(f.id, f.openingHours));
  }
  return results;
}

export interface WeekHours {
  /** Days with any opening, Mo … Su. */
  days: string[];
  /** Hours open on each of them, in the same order. */
  hours: number[];
  weeklyHours: number;
}

const DAY_NAMES = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

/** Opening per day of a reference week (Mon 2026-01-05 … Sun, no holidays), or null if unreadable. */
export function weekHours(value: string): WeekHours | null {
  let oh: OpeningHours;
  try {
    oh = new OpeningHours(value, null, { mode: 0 } as never);
  } catch {
    return null;
  }
  const week: WeekHours = { days: [], hours: [], weeklyHours: 0 };
  for (let d = 0; d < 7; d++) {
    const hours = Math.round((oh.getOpenDuration(new Date(2026, 0, 5 + d), new Date(2026, 0, 6 + d))[0] / 3_600_000) * 100) / 100;
    if (hours <= 0) continue;
    week.days.push(DAY_NAMES[d]);
    week.hours.push(hours);
    week.weeklyHours += hours;
  }
  week.weeklyHours = Math.round(week.weeklyHours * 100) / 100;
  return week;
}

/** Hours of the shortest day the facility opens (0 when it never opens), or null if unreadable. */
export function shortestOpeningDayHours(value: string): number | null {
  const week = weekHours(value);
  if (!week) return null;
  return week.hours.length === 0 ? 0 : Math.min(...week.hours);
}

function hoursResult(id: string, text: string): ProvisionResult {
  const base = { check: 'opening_hours' as const, norm: 'Chongqing 2022: community service facilities open ≥ 8 hours on each day they open', source: SOURCES.chongqingHours, threshold: 8 };
  const week = weekHours(text);
  if (!week) return { ...base, value: null, pass: null, detail: `${id}: opening_hours "${text}" could not be read` };
  const shortest = week.hours.length === 0 ? 0 : Math.min(...week.hours);
  const short = week.days.filter((_, i) => week.hours[i] < 8);
  const opens = week.days.length === 0 ? 'never opens in a week' : `opens ${week.days.join(' ')}, ${week.weeklyHours} h a week`;
  return {
    ...base,
    value: shortest,
    pass: week.days.length > 0 && short.length === 0,
    detail: `${id}: "${text}": ${opens}${short.length > 0 ? `; under 8 h on ${short.join(' ')}` : ''}`,
    days: week.days,
    weeklyHours: week.weeklyHours,
  };
}

function areaResult(check: ProvisionResult['check'], norm: string, source: ProvisionResult['source'], threshold: number, value: number, detail: string): ProvisionResult {
  return { check, norm, source, threshold, value, pass: value >= threshold, detail };
}

/**
 * Guangdong's figure: as printed for urban communities; for rural ones the urban figure is a floor
 * ("适当增加": more, by how much set locally), so below it fails and above it is undecided, unless
 * the locality's own (stricter) figure is given.
 */
function guangdongResult(check: ProvisionResult['check'], what: 'indoor' | 'outdoor', urban: number, local: number | undefined, rural: boolean, value: number, from: string): ProvisionResult {
  const source = what === 'indoor' ? SOURCES.guangdongIndoor : SOURCES.guangdongOutdoor;
  if (!rural) return areaResult(check, `Guangdong 2011–2015: ${what} ≥ ${urban} m² per 100 households`, source, urban, value, from);
  if (local !== undefined && local > urban) {
    return areaResult(check, `Guangdong 2011–2015, rural: ${what} ≥ ${local} m² per 100 households (the local figure)`, source, local, value, from);
  }
  return {
    check,
    norm: `Guangdong 2011–2015, rural: ${what} ≥ ${urban} m² per 100 households (the urban figure), more to be set locally`,
    source,
    threshold: urban,
    value,
    pass: value < urban ? false : null,
    detail: `${from}${value < urban ? '' : `; meets the urban figure: the rural one is to be set locally`}`,
  };
}

function isService(f: Facility): boolean {
  return f.categories.some((c) => COMMUNITY_SERVICE_CATEGORIES.has(c));
}

/** A facility's outdoor ground: declared, else an outdoor place's polygon; undefined when none. */
function outdoorM2(f: Facility): number | undefined {
  if (f.outdoorAreaM2 !== undefined) return f.outdoorAreaM2;
  if (f.polygonM2 !== undefined && f.categories.some((c) => OUTDOOR_CATEGORIES.has(c))) return f.polygonM2;
  return undefined;
}

// Per facility set, the few facilities that carry provision data: a check reads only those.
const candidatesOf = new WeakMap<readonly Facility[], Facility[]>();

function linkedFacilities(community: Community, facilities: readonly Facility[]): Facility[] {
  let candidates = candidatesOf.get(facilities);
  if (!candidates) {
    candidates = facilities.filter(
      (f) => (isService(f) && (f.areaM2 !== undefined || f.openingHours !== undefined || f.outdoorAreaM2 !== undefined)) || (f.categories.some((c) => OUTDOOR_CATEGORIES.has(c)) && outdoorM2(f) !== undefined),
    );
    candidatesOf.set(facilities, candidates);
  }
  const polygon = community.geometry.type === 'Polygon' || community.geometry.type === 'MultiPolygon' ? community.geometry : null;
  return candidates.filter((f) => {
    if (f.properties.community !== undefined) return String(f.properties.community) === community.id;
    return polygon !== null && booleanPointInPolygon([f.lon, f.lat], polygon);
  });
}
