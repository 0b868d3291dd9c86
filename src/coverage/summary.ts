import type { Standard } from '../standards/types.ts';
import type { ItemStatus } from './assess.ts';
import type { CommunityReport } from './coverage.ts';

/**
 * The city summary a planner reads first: per standard, how many communities of its type meet it,
 * against the city's target and dated milestones; the same by district and sub-district; population
 * weighted where populations are given; and per item, the share of communities (and people) reaching
 * it, worst first — what to build where.
 */
export interface Share {
  communities: number;
  passing: number;
  share: number;
  /** Present when at least one community has a population. */
  population?: { total: number; passing: number; share: number };
}

export interface StandardSummary extends Share {
  standardId: string;
  name: { zh: string; en: string };
  communityType: 'urban' | 'rural';
  level: 'basic' | 'quality';
  /** Communities of this type that could not be assessed (no origin near a usable road). */
  notAssessed: number;
  target?: {
    share: number;
    met: boolean;
    /** More communities that must meet the standard to reach the target (0 when met). */
    communitiesShort: number;
    milestones: { date: string; share: number; reached: boolean }[];
  };
  byDistrict: (Share & { district: string })[];
  bySubdistrict: (Share & { district?: string; subdistrict: string })[];
  /** Per item, worst first; empty when no community of the standard's type was assessed. */
  items: { itemId: string; zh: string; en: string; group: string; kind: string; communities: number; reaching: number; share: number; populationShare?: number }[];
}

export interface CoverageSummary {
  communities: { total: number; urban: number; rural: number };
  standards: StandardSummary[];
}

/** What the summary reads of a community's report: a CommunityReport is one. */
export interface SummarizedCommunity {
  type: CommunityReport['type'];
  district?: string;
  subdistrict?: string;
  population?: number;
  standards: readonly SummarizedResult[];
}

interface SummarizedResult {
  standardId: string;
  pass: boolean;
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
    type: report.type,
    ...(report.district !== undefined ? { district: report.district } : {}),
    ...(report.subdistrict !== undefined ? { subdistrict: report.subdistrict } : {}),
    ...(report.population !== undefined ? { population: report.population } : {}),
    standards: report.standards.map((s) => ({ standardId: s.standardId, pass: s.pass, items: s.items.map((i) => STATUS_ITEM[i.status]) })),
  };
}

const STATUS_ITEM: Record<ItemStatus, { status: ItemStatus }> = {
  met: { status: 'met' },
  unmet: { status: 'unmet' },
  declared: { status: 'declared' },
  not_declared: { status: 'not_declared' },
};

export function summarize(reports: readonly SummarizedCommunity[], standards: readonly Standard[]): CoverageSummary {
  let urban = 0;
  for (const r of reports) if (r.type === 'urban') urban++;
  return {
    communities: { total: reports.length, urban, rural: reports.length - urban },
    standards: standards.map((s) => summarizeStandard(reports, s)),
  };
}

/**
 * Loops over positions rather than chains of filter/map/Set: a one-community request summarises
 * four standards of ~50 items each, and this runs for every such request.
 */
function summarizeStandard(reports: readonly SummarizedCommunity[], standard: Standard): StandardSummary {
  // The communities of the standard's type that were assessed against it, with their results.
  const assessed: SummarizedCommunity[] = [];
  const results: SummarizedResult[] = [];
  let ofType = 0;
  for (const r of reports) {
    if (r.type !== standard.communityType) continue;
    ofType++;
    const result = resultFor(r, standard.id);
    if (result) {
      assessed.push(r);
      results.push(result);
    }
  }
  const passes = results.map(passed);
  const all = assessed.map((_, i) => i);
  const overall = shareOf(assessed, all, passes);
  const summary: StandardSummary = {
    standardId: standard.id,
    name: standard.name,
    communityType: standard.communityType,
    level: standard.level,
    ...overall,
    notAssessed: ofType - assessed.length,
    byDistrict: buckets(assessed, districtKey).map(([district, list]) => ({ district, ...shareOf(assessed, list, passes) })),
    bySubdistrict: buckets(assessed, subdistrictKey).map(([key, list]) => {
      const [district, subdistrict] = key.split('\u0000');
      return { ...(district ? { district } : {}), subdistrict, ...shareOf(assessed, list, passes) };
    }),
    // Per-item shares of no community would all read 0 %, as if nothing were reached: none are given.
    items: assessed.length === 0 ? [] : itemShares(standard, assessed, all, results),
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

function passed(result: SummarizedResult): boolean {
  return result.pass;
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

function itemShares(standard: Standard, assessed: readonly SummarizedCommunity[], all: readonly number[], results: readonly SummarizedResult[]): StandardSummary['items'] {
  const items: StandardSummary['items'] = [];
  const reaching = new Array<boolean>(results.length);
  for (let i = 0; i < standard.items.length; i++) {
    const item = standard.items[i];
    // Item results are in the standard's item order.
    for (let c = 0; c < results.length; c++) {
      const status = results[c].items[i].status;
      reaching[c] = status === 'met' || status === 'declared';
    }
    const s = shareOf(assessed, all, reaching);
    items.push({
      itemId: item.id, zh: item.zh, en: item.en, group: item.group, kind: item.kind,
      communities: s.communities, reaching: s.passing, share: s.share,
      ...(s.population ? { populationShare: s.population.share } : {}),
    });
  }
  return items.sort(worstFirst);
}

function worstFirst(a: StandardSummary['items'][number], b: StandardSummary['items'][number]): number {
  return a.share - b.share || (a.populationShare ?? 0) - (b.populationShare ?? 0);
}

/** The share of the communities at `positions` for which `ok[position]`, by count and by population. */
function shareOf(reports: readonly SummarizedCommunity[], positions: readonly number[], ok: readonly boolean[]): Share {
  let passing = 0;
  let anyPopulation = false;
  let total = 0;
  let passingPopulation = 0;
  for (const p of positions) {
    const population = reports[p].population;
    if (population !== undefined) anyPopulation = true;
    total += population ?? 0;
    if (ok[p]) {
      passing++;
      passingPopulation += population ?? 0;
    }
  }
  const result: Share = { communities: positions.length, passing, share: ratio(passing, positions.length) };
  if (anyPopulation) result.population = { total, passing: passingPopulation, share: ratio(passingPopulation, total) };
  return result;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round((a / b) * 10000) / 10000;
}
