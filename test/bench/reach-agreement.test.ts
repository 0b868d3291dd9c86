import { describe, expect, it } from 'vitest';
import { type Reach, compareReach } from '../../scripts/bench/compare/reach-agreement.ts';

const reach = (entries: Record<number, Record<number, number>>): Reach =>
  new Map(Object.entries(entries).map(([o, times]) => [Number(o), new Map(Object.entries(times).map(([v, t]) => [Number(v), t]))]));

describe('bench:compare answers compared', () => {
  const base = reach({ 1: { 1: 0, 2: 100, 3: 500 }, 7: { 7: 0, 8: 899 } });

  it('the same nodes within the tolerance agree, and the largest difference is reported', () => {
    const g = compareReach(['a', base], ['b', reach({ 1: { 1: 0, 2: 100 + 4e-7, 3: 500 }, 7: { 7: 0, 8: 899 } })], [1, 7], 900, 1e-6);
    expect(g).toMatchObject({ origins: 2, identical: 2, onlyA: 0, onlyB: 0, beyond: 0, agrees: true });
    expect(g.maxDiffS).toBeCloseTo(4e-7, 12);
  });

  it('a node one engine misses, or a time apart beyond the tolerance, is a disagreement named in the examples', () => {
    const g = compareReach(['a', base], ['b', reach({ 1: { 1: 0, 2: 100.1 }, 7: { 7: 0, 8: 899, 9: 12 } })], [1, 7], 900, 1e-6);
    expect(g).toMatchObject({ identical: 0, onlyA: 1, onlyB: 1, beyond: 1, agrees: false });
    expect(g.examples).toEqual(expect.arrayContaining(['origin 1: node 3 at 500 s in a only', 'origin 7: node 9 at 12 s in b only']));
  });

  it('an origin missing from one answer counts all its nodes on the other side', () => {
    const g = compareReach(['a', base], ['b', reach({ 1: { 1: 0, 2: 100, 3: 500 } })], [1, 7], 900, 1e-6);
    expect(g).toMatchObject({ identical: 1, onlyA: 2, agrees: false });
  });

  it('a node at the budget in one engine only is a tie, not a disagreement', () => {
    const g = compareReach(['a', reach({ 1: { 1: 0, 2: 900 } })], ['b', reach({ 1: { 1: 0 } })], [1], 900, 1e-6);
    expect(g).toMatchObject({ identical: 0, boundary: 1, onlyA: 0, agrees: true });
  });

  it('compares only the nodes asked about, when given', () => {
    const g = compareReach(['a', base], ['b', reach({ 1: { 1: 0, 2: 100 }, 7: { 7: 0, 8: 899 } })], [1, 7], 900, 1e-6, new Set([1, 2, 7, 8]));
    expect(g).toMatchObject({ identical: 2, onlyA: 0, agrees: true });
  });
});
