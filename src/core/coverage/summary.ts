import type { Static } from '@sinclair/typebox';
import type { Standard } from '../standards/types.ts';
import type { ItemStatus } from './assess.ts';
import type { CommunityReport } from './coverage.ts';
import type { CoverageSummarySchema, ShareSchema, StandardSummarySchema } from './report-schema.ts';

/**
 * The city summary a planner reads first: per standard, how many communities of its type meet it,
 * against the city's target and dated milestones; the same by district and sub-district; population
 * weighted where populations are given; and per item, the share of communities (and people) reaching
 * it, worst first — what to build where.
 */
export type Share = Static<typeof ShareSchema>;
export type StandardSummary = Static<typeof StandardSummarySchema>;
export type CoverageSummary = Static<typeof CoverageSummarySchema>;

/** What the summary reads of a community's report: a CommunityReport is one. */
export interface SummarizedCommunity {
  id: string;
  name?: string;
  error?: string;
  type: CommunityReport['type'];
  district?: string;
  subdistrict?: string;
  population?: number;
  standards: readonly SummarizedResult[];
}

interface SummarizedResult {
  standardId: string;
  pass: boolean;
  passPlaces: boolean;
  /** In the standard's item order. */
  items: readonly { status: ItemStatus }[];
}

/**
 * The part of a report the summary reads, for callers that summarise a city without keeping its
 * reports (a job hands them over piece by piece): items are shared objects, one per status, so a
 * community costs a few arrays of pointers instead of its ~20 KB report.
 */
export function summaryView(report: CommunityReport): SummarizedCommunity {
  return {
    id: report.id,
    ...(report.name !== undefined ? { name: report.name } : {}),
    ...(report.error !== undefined ? { error: report.error } : {}),
    type: report.type,
    ...(report.district !== undefined ? { district: report.district } : {}),
    ...(report.subdistrict !== undefined ? { subdistrict: report.subdistrict } : {}),
    ...(report.population !== undefined ? { population: report.population } : {}),
    standards: report.standards.map((s) => ({ standardId: s.standardId, pass: s.pass, passPlaces: s.passPlaces, items: s.items.map((i) => STATUS_ITEM[i.status]) })),
  };
}

const STATUS_ITEM: Record<ItemStatus, { status: ItemStatus }> = {
  met: { status: 'met' },
  unmet: { status: 'unmet' },
  no_facility: { status: 'no_facility' },
  declared: { status: 'declared' },
  not_declared: { status: 'not_declared' },
};

export function summarize(reports: readonly SummarizedCommunity[], standards: readonly Standard[]): CoverageSummary {
  let urban = 0;
  let withPopulation = 0;
  let people = 0;
  for (const r of reports) {
    if (r.type === 'urban') urban++;
    if (r.population !== undefined) {
      withPopulation++;
      people += r.population;
    }
  }
  const warnings: string[] = [];
  if (withPopulation < reports.length && withPopulation > 0) {
    warnings.push(`${reports.length - withPopulation} of ${reports.length} communities have no population: population-weighted shares rest on the ${people} people of the other ${withPopulation}`);
  } else if (withPopulation === 0 && reports.length > 0) {
    warnings.push(`no community has a population: shares are of communities only, none is weighted by people`);
  }
  return {
    communities: { total: reports.length, urban, rural: reports.length - urban, withPopulation },
    warnings,
    standards: standards.map((s) => summarizeStandard(reports, s)),
  };
}

/**
 * Loops over positions rather than chains of filter/map/Set: a one-community request summarises
 * four standards of ~50 items each, and this runs for every such request.
 */
function summarizeStandard(reports: readonly SummarizedCommunity[], standard: Standard): StandardSummary {
  // Every community of the standard's type; those not assessed stay in, as not passing.
  const ofType: SummarizedCommunity[] = [];
  const results: (SummarizedResult | undefined)[] = [];
  const notAssessed: StandardSummary['notAssessed'] = [];
  for (const r of reports) {
    if (r.type !== standard.communityType) continue;
    ofType.push(r);
    const result = resultFor(r, standard.id);
    results.push(result);
    if (!result) notAssessed.push({ id: r.id, ...(r.name !== undefined ? { name: r.name } : {}), reason: r.error ?? 'not assessed' });
  }
  const passes = results.map((x) => x?.pass === true);
  const placePasses = results.map((x) => x?.passPlaces === true);
  const all = ofType.map((_, i) => i);
  const overall = shareOf(ofType, all, passes, placePasses);
  const assessedCount = ofType.length - notAssessed.length;
  // Per-item shares of no community would all read 0 %, as if nothing were reached: none are given.
  const items = assessedCount === 0 ? [] : itemShares(standard, ofType, all, results, assessedCount);
  const summary: StandardSummary = {
    standardId: standard.id,
    name: standard.name,
    communityType: standard.communityType,
    level: standard.level,
    ...overall,
    notAssessed,
    dataGaps: items.filter((i) => i.dataGap).map((i) => ({ itemId: i.itemId, zh: i.zh, en: i.en })),
    byDistrict: buckets(ofType, districtKey).map(([district, list]) => ({ district, ...shareOf(ofType, list, passes, placePasses) })),
    bySubdistrict: buckets(ofType, subdistrictKey).map(([key, list]) => {
      const [district, subdistrict] = key.split('\u0000');
      return { ...(district ? { district } : {}), subdistrict, ...shareOf(ofType, list, passes, placePasses) };
    }),
    items,
  };
  if (standard.target) {
    const t = standard.target;
    summary.target = {
      share: t.share,
      met: overall.share >= t.share,
      communitiesShort: Math.max(0, Math.ceil(t.share * overall.communities - 1e-9) - overall.passing),
      milestones: t.milestones.map((m) => ({ date: m.date, share: m.share, reached: overall.share >= m.share })),
    };
  }
  return summary;
}

function resultFor(report: SummarizedCommunity, standardId: string): SummarizedResult | undefined {
  for (const s of report.standards) if (s.standardId === standardId) return s;
  return undefined;
}

function districtKey(r: SummarizedCommunity): string | undefined {
  return r.district;
}

function subdistrictKey(r: SummarizedCommunity): string | undefined {
  return r.subdistrict === undefined ? undefined : `${r.district ?? ''}\u0000${r.subdistrict}`;
}

/** Positions in `reports` grouped by key, keys sorted. */
function buckets(reports: readonly SummarizedCommunity[], key: (r: SummarizedCommunity) => string | undefined): [string, number[]][] {
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < reports.length; i++) {
    const k = key(reports[i]);
    if (k === undefined) continue;
    const list = byKey.get(k);
    if (list) list.push(i);
    else byKey.set(k, [i]);
  }
  return [...byKey].sort(([a], [b]) => a.localeCompare(b));
}

function itemShares(
  standard: Standard,
  ofType: readonly SummarizedCommunity[],
  all: readonly number[],
  results: readonly (SummarizedResult | undefined)[],
  assessedCount: number,
): StandardSummary['items'] {
  const items: StandardSummary['items'] = [];
  const reaching = new Array<boolean>(results.length);
  for (let i = 0; i < standard.items.length; i++) {
    const item = standard.items[i];
    let noFacility = 0;
    // Item results are in the standard's item order.
    for (let c = 0; c < results.length; c++) {
      const status = results[c]?.items[i].status;
      reaching[c] = status === 'met' || status === 'declared';
      if (status === 'no_facility') noFacility++;
    }
    const s = shareOf(ofType, all, reaching, reaching);
    items.push({
      itemId: item.id, zh: item.zh, en: item.en, group: item.group, kind: item.kind,
      communities: s.communities, reaching: s.passing, share: s.share, noFacility, dataGap: noFacility === assessedCount,
      ...(s.population ? { populationShare: s.population.share } : {}),
    });
  }
  return items.sort(worstFirst);
}

/** Items with data first, worst first; the data gaps after them (nothing can be said of their reach). */
function worstFirst(a: StandardSummary['items'][number], b: StandardSummary['items'][number]): number {
  return Number(a.dataGap) - Number(b.dataGap) || a.share - b.share || (a.populationShare ?? 0) - (b.populationShare ?? 0);
}

/** The share of the communities at `positions` passing (ok) and passing on places (okPlaces), by count and by population. */
function shareOf(reports: readonly SummarizedCommunity[], positions: readonly number[], ok: readonly boolean[], okPlaces: readonly boolean[]): Share {
  let passing = 0;
  let passingPlaces = 0;
  let withPopulation = 0;
  let total = 0;
  let passingPopulation = 0;
  for (const p of positions) {
    const population = reports[p].population;
    if (population !== undefined) withPopulation++;
    total += population ?? 0;
    if (okPlaces[p]) passingPlaces++;
    if (ok[p]) {
      passing++;
      passingPopulation += population ?? 0;
    }
  }
  const n = positions.length;
  const result: Share = { communities: n, passing, share: ratio(passing, n), passingPlaces, sharePlaces: ratio(passingPlaces, n) };
  if (withPopulation > 0) result.population = { total, passing: passingPopulation, share: ratio(passingPopulation, total), communities: withPopulation, missing: n - withPopulation };
  return result;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round((a / b) * 10000) / 10000;
}
