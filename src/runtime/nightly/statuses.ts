import type { CommunityReport, CoverageReport } from '../../core/coverage/coverage.ts';
import { type RunDiff, type RunSide, diffRuns } from '../../core/coverage/diff.ts';
import type { CoverageSummary } from '../../core/coverage/summary.ts';

/**
 * What a nightly step keeps of its report for the next night's comparison: per community and
 * standard, the verdict, the share and each item's status as one letter — about 1 MB for 10,000
 * communities where the whole report is 200 MB of JSON (that one is in the files). `toRunSide` turns
 * it back into what `diffRuns` (src/core/coverage/diff.ts) compares.
 */
export interface RunStatuses {
  standards: { standardId: string; items: { itemId: string; zh: string; en: string }[] }[];
  /** [id, name, [standard index, pass, share, one letter per item]…]. */
  communities: [string, string | null, [number, boolean, number, string][]][];
}

const LETTER: Record<string, string> = { met: 'm', unmet: 'u', declared: 'd', not_declared: 'n' };
const STATUS: Record<string, string> = { m: 'met', u: 'unmet', d: 'declared', n: 'not_declared' };

export function statusesOf(report: CoverageReport): RunStatuses {
  const statuses = new StatusesBuilder();
  statuses.add(report.communities);
  return statuses.result();
}

/** The same, gathered a few communities at a time (a stored run read piece by piece). */
export class StatusesBuilder {
  private readonly standards: RunStatuses['standards'] = [];
  private readonly communities: RunStatuses['communities'] = [];
  private readonly index = new Map<string, number>();

  add(reports: readonly CommunityReport[]): void {
    for (const c of reports) {
      this.communities.push([
        c.id,
        c.name ?? null,
        c.standards.map((s) => {
          let k = this.index.get(s.standardId);
          if (k === undefined) {
            this.index.set(s.standardId, (k = this.standards.length));
            this.standards.push({ standardId: s.standardId, items: s.items.map((i) => ({ itemId: i.itemId, zh: i.zh, en: i.en })) });
          }
          let letters = '';
          for (const item of s.items) letters += LETTER[item.status] ?? '?';
          return [k, s.pass, s.share, letters];
        }),
      ]);
    }
  }

  result(): RunStatuses {
    return { standards: this.standards, communities: this.communities };
  }
}

/** The statuses and summary of a run as `diffRuns` reads them. */
function toRunSide(statuses: RunStatuses, summary: Pick<CoverageSummary, 'standards'>): RunSide {
  return {
    summary,
    communities: statuses.communities.map(([id, name, results]) => ({
      id,
      ...(name !== null ? { name } : {}),
      standards: results.map(([k, pass, share, letters]) => {
        const standard = statuses.standards[k];
        return {
          standardId: standard.standardId,
          pass,
          share,
          items: standard.items.map((item, j) => ({ ...item, status: STATUS[letters[j]] ?? 'unmet' })),
        };
      }),
    })) as unknown as RunSide['communities'],
  };
}

/**
 * `diffRuns` from a stored run's statuses to tonight's report, a few hundred communities at a time:
 * expanded whole, last night's statuses would be a million item objects beside tonight's report.
 */
export function diffWithStatuses(before: RunStatuses, beforeSummary: Pick<CoverageSummary, 'standards'>, after: CoverageReport): RunDiff {
  const now = new Set(after.communities.map((c) => c.id));
  const then = new Map(before.communities.map((c) => [c[0], c]));
  const diff: RunDiff = {
    ...diffRuns({ communities: [], summary: beforeSummary }, { communities: [], summary: after.summary }),
    added: after.communities.filter((c) => !then.has(c.id)).map((c) => c.id),
    removed: before.communities.filter(([id]) => !now.has(id)).map(([id]) => id),
  };
  for (let from = 0; from < after.communities.length; from += CHUNK) {
    const chunk = after.communities.slice(from, from + CHUNK);
    const communities: RunStatuses['communities'] = [];
    for (const c of chunk) {
      const was = then.get(c.id);
      if (was) communities.push(was);
    }
    const earlier = { ...before, communities };
    diff.changed.push(...diffRuns(toRunSide(earlier, beforeSummary), { communities: chunk, summary: after.summary }).changed);
  }
  return diff;
}

/**
 * `diffRuns` between two runs' statuses (stored runs of any size, read piece by piece), a few hundred
 * communities at a time, as `diffWithStatuses`: the same answer as `diffRuns` on the whole reports.
 */
export function diffStatuses(
  before: RunStatuses,
  beforeSummary: Pick<CoverageSummary, 'standards'>,
  after: RunStatuses,
  afterSummary: Pick<CoverageSummary, 'standards'>,
): RunDiff {
  const now = new Set(after.communities.map(([id]) => id));
  const then = new Map(before.communities.map((c) => [c[0], c]));
  const diff: RunDiff = {
    ...diffRuns({ communities: [], summary: beforeSummary }, { communities: [], summary: afterSummary }),
    added: after.communities.filter(([id]) => !then.has(id)).map(([id]) => id),
    removed: before.communities.filter(([id]) => !now.has(id)).map(([id]) => id),
  };
  for (let from = 0; from < after.communities.length; from += CHUNK) {
    const chunk = after.communities.slice(from, from + CHUNK);
    const earlier: RunStatuses['communities'] = [];
    for (const c of chunk) {
      const was = then.get(c[0]);
      if (was) earlier.push(was);
    }
    const sides = [toRunSide({ ...before, communities: earlier }, beforeSummary), toRunSide({ ...after, communities: chunk }, afterSummary)] as const;
    diff.changed.push(...diffRuns(...sides).changed);
  }
  return diff;
}

const CHUNK = 500;

/** The counts a summary line and nightly.json show of a diff. */
export interface ChangeCounts {
  /** Communities that now meet a standard they did not, and the reverse. */
  communitiesGainingStandards: number;
  communitiesLosingStandards: number;
  /** The same counted per community × standard. */
  standardsGained: number;
  standardsLost: number;
  /** Communities with at least one item gained, or lost. */
  communitiesGainingItems: number;
  communitiesLosingItems: number;
  /** Items, summed over communities and standards. */
  itemsGained: number;
  itemsLost: number;
  added: number;
  removed: number;
  /** The items lost or gained most often: what closed or opened. */
  mostLost: { itemId: string; en: string; zh: string; communities: number }[];
  mostGained: { itemId: string; en: string; zh: string; communities: number }[];
  shares: RunDiff['shares'];
  /** The first few communities that lost or gained a standard, with the items that did it. */
  verdicts: { communityId: string; name?: string; standardId: string; status: 'gained' | 'lost'; items: string[] }[];
}

const VERDICTS = 10;

export function countChanges(diff: RunDiff): ChangeCounts {
  const gainingStandards = new Set<string>();
  const losingStandards = new Set<string>();
  const verdicts: ChangeCounts['verdicts'] = [];
  const gainingItems = new Set<string>();
  const losingItems = new Set<string>();
  const lost = new Map<string, { itemId: string; en: string; zh: string; communities: Set<string> }>();
  const gained = new Map<string, { itemId: string; en: string; zh: string; communities: Set<string> }>();
  let standardsGained = 0;
  let standardsLost = 0;
  let itemsGained = 0;
  let itemsLost = 0;
  const tally = (into: typeof lost, item: { itemId: string; en: string; zh: string }, community: string) => {
    let entry = into.get(item.itemId);
    if (!entry) into.set(item.itemId, (entry = { ...item, communities: new Set() }));
    entry.communities.add(community);
  };
  for (const c of diff.changed) {
    if (c.status === 'gained') standardsGained++, gainingStandards.add(c.communityId);
    if (c.status === 'lost') standardsLost++, losingStandards.add(c.communityId);
    if (c.status !== 'unchanged' && verdicts.length < VERDICTS) {
      const items = (c.status === 'lost' ? c.itemsLost : c.itemsGained).map((i) => i.en);
      verdicts.push({ communityId: c.communityId, ...(c.name !== undefined ? { name: c.name } : {}), standardId: c.standardId, status: c.status, items });
    }
    if (c.itemsGained.length > 0) gainingItems.add(c.communityId);
    if (c.itemsLost.length > 0) losingItems.add(c.communityId);
    itemsGained += c.itemsGained.length;
    itemsLost += c.itemsLost.length;
    for (const item of c.itemsGained) tally(gained, item, c.communityId);
    for (const item of c.itemsLost) tally(lost, item, c.communityId);
  }
  const top = (m: typeof lost) =>
    [...m.values()]
      .map(({ communities, ...item }) => ({ ...item, communities: communities.size }))
      .sort((a, b) => b.communities - a.communities || a.itemId.localeCompare(b.itemId))
      .slice(0, 10);
  return {
    communitiesGainingStandards: gainingStandards.size,
    communitiesLosingStandards: losingStandards.size,
    standardsGained,
    standardsLost,
    communitiesGainingItems: gainingItems.size,
    communitiesLosingItems: losingItems.size,
    itemsGained,
    itemsLost,
    added: diff.added.length,
    removed: diff.removed.length,
    mostLost: top(lost),
    mostGained: top(gained),
    shares: diff.shares,
    verdicts,
  };
}
