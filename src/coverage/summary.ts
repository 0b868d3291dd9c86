import type { Standard } from '../standards/types.ts';
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
  /** Per item, worst first. */
  items: { itemId: string; zh: string; en: string; group: string; kind: string; communities: number; reaching: number; share: number; populationShare?: number }[];
}

export interface CoverageSummary {
  communities: { total: number; urban: number; rural: number };
  standards: StandardSummary[];
}

export function summarize(reports: readonly CommunityReport[], standards: readonly Standard[]): CoverageSummary {
  return {
    communities: {
      total: reports.length,
      urban: reports.filter((r) => r.type === 'urban').length,
      rural: reports.filter((r) => r.type === 'rural').length,
    },
    standards: standards.map((s) => summarizeStandard(reports, s)),
  };
}

function summarizeStandard(reports: readonly CommunityReport[], standard: Standard): StandardSummary {
  const ofType = reports.filter((r) => r.type === standard.communityType);
  const assessed = ofType.map((r) => ({ report: r, result: r.standards.find((s) => s.standardId === standard.id) })).filter((x) => x.result);
  const passing = new Set(assessed.filter((x) => x.result!.pass).map((x) => x.report));
  const results = new Map(assessed.map((x) => [x.report, x.result!]));
  const overall = shareOf([...results.keys()], (r) => passing.has(r));
  const byKey = (key: (r: CommunityReport) => string | undefined) => {
    const buckets = new Map<string, CommunityReport[]>();
    for (const x of assessed) {
      const k = key(x.report);
      if (k === undefined) continue;
      const list = buckets.get(k) ?? [];
      list.push(x.report);
      buckets.set(k, list);
    }
    return [...buckets].sort(([a], [b]) => a.localeCompare(b));
  };
  const summary: StandardSummary = {
    standardId: standard.id,
    name: standard.name,
    communityType: standard.communityType,
    level: standard.level,
    ...overall,
    notAssessed: ofType.length - assessed.length,
    byDistrict: byKey((r) => r.district).map(([district, list]) => ({ district, ...shareOf(list, (r) => passing.has(r)) })),
    bySubdistrict: byKey((r) => (r.subdistrict === undefined ? undefined : `${r.district ?? ''}\u0000${r.subdistrict}`)).map(([key, list]) => {
      const [district, subdistrict] = key.split('\u0000');
      return { ...(district ? { district } : {}), subdistrict, ...shareOf(list, (r) => passing.has(r)) };
    }),
    items: standard.items
      .map((item, i) => {
        // Item results are in the standard's item order.
        const reaching = (r: CommunityReport) => {
          const status = results.get(r)!.items[i].status;
          return status === 'met' || status === 'declared';
        };
        const s = shareOf([...results.keys()], reaching);
        return {
          itemId: item.id, zh: item.zh, en: item.en, group: item.group, kind: item.kind,
          communities: s.communities, reaching: s.passing, share: s.share,
          ...(s.population ? { populationShare: s.population.share } : {}),
        };
      })
      .sort((a, b) => a.share - b.share || (a.populationShare ?? 0) - (b.populationShare ?? 0)),
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

function shareOf(list: readonly CommunityReport[], ok: (r: CommunityReport) => boolean): Share {
  const passingList = list.filter(ok);
  const result: Share = { communities: list.length, passing: passingList.length, share: ratio(passingList.length, list.length) };
  if (list.some((r) => r.population !== undefined)) {
    const total = list.reduce((s, r) => s + (r.population ?? 0), 0);
    const passing = passingList.reduce((s, r) => s + (r.population ?? 0), 0);
    result.population = { total, passing, share: ratio(passing, total) };
  }
  return result;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round((a / b) * 10000) / 10000;
}
