import type { CommunityReport } from './coverage.ts';

/**
 * What changed between two coverage runs (last night's and tonight's): the communities whose status
 * against a standard changed, the items each gained or lost, and the city shares then and now.
 * Communities are matched by id; ones present in only one run are listed apart.
 */
export interface RunDiff {
  changed: {
    communityId: string;
    name?: string;
    standardId: string;
    /** pass → fail, fail → pass, or unchanged (items moved but the verdict did not). */
    status: 'gained' | 'lost' | 'unchanged';
    itemsGained: { itemId: string; zh: string; en: string }[];
    itemsLost: { itemId: string; zh: string; en: string }[];
    shareBefore: number;
    shareAfter: number;
  }[];
  added: string[];
  removed: string[];
  shares: { standardId: string; before: number; after: number; passingBefore: number; passingAfter: number }[];
}

export interface RunSide {
  communities: readonly CommunityReport[];
  summary: { standards: readonly { standardId: string; share: number; passing: number }[] };
}

const satisfied = (status: string) => status === 'met' || status === 'declared';

export function diffRuns(before: RunSide, after: RunSide): RunDiff {
  const old = new Map(before.communities.map((c) => [c.id, c]));
  const now = new Map(after.communities.map((c) => [c.id, c]));
  const changed: RunDiff['changed'] = [];
  for (const [id, b] of now) {
    const a = old.get(id);
    if (!a) continue;
    for (const s of b.standards) {
      const prev = a.standards.find((x) => x.standardId === s.standardId);
      if (!prev) continue;
      const prevItems = new Map(prev.items.map((i) => [i.itemId, i]));
      const gained: RunDiff['changed'][number]['itemsGained'] = [];
      const lost: RunDiff['changed'][number]['itemsLost'] = [];
      for (const item of s.items) {
        const p = prevItems.get(item.itemId);
        if (!p) continue;
        const was = satisfied(p.status);
        const is = satisfied(item.status);
        if (is && !was) gained.push({ itemId: item.itemId, zh: item.zh, en: item.en });
        if (was && !is) lost.push({ itemId: item.itemId, zh: item.zh, en: item.en });
      }
      if (gained.length === 0 && lost.length === 0 && prev.pass === s.pass) continue;
      changed.push({
        communityId: id,
        ...(b.name !== undefined ? { name: b.name } : {}),
        standardId: s.standardId,
        status: s.pass === prev.pass ? 'unchanged' : s.pass ? 'gained' : 'lost',
        itemsGained: gained,
        itemsLost: lost,
        shareBefore: prev.share,
        shareAfter: s.share,
      });
    }
  }
  const oldShares = new Map(before.summary.standards.map((s) => [s.standardId, s]));
  return {
    changed,
    added: [...now.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !now.has(id)),
    shares: after.summary.standards.map((s) => ({
      standardId: s.standardId,
      before: oldShares.get(s.standardId)?.share ?? 0,
      after: s.share,
      passingBefore: oldShares.get(s.standardId)?.passing ?? 0,
      passingAfter: s.passing,
    })),
  };
}
