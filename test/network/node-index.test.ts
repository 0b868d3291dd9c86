import { describe, expect, it } from 'vitest';
import { NodeIndex } from '../../src/core/network/node-index.ts';

/** Seeded generator (mulberry32), so that a failing seed can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('NodeIndex against a Map (brute force)', () => {
  it.each([1, 2, 3])('agrees on stored and absent ids, across growth (seed %i)', (seed) => {
    const rnd = random(seed);
    const index = new NodeIndex(16);
    const reference = new Map<number, [number, number]>();
    // OSM-like ids: runs of nearby ids, ids past 2^32, negative ids, ids equal modulo 2^32, repeats.
    const ids: number[] = [];
    let id = 21911863;
    for (let i = 0; i < 20000; i++) {
      const pick = rnd();
      if (pick < 0.6) id += 1 + Math.floor(rnd() * 50);
      else if (pick < 0.75) id = Math.floor(rnd() * 2 ** 53);
      else if (pick < 0.85) id = -Math.floor(rnd() * 1e6);
      else if (pick < 0.95) id = 4294967296 * Math.floor(rnd() * 1000) + 12345;
      else id = ids.length > 0 ? ids[Math.floor(rnd() * ids.length)] : id;
      ids.push(id);
      const lon = rnd() * 360 - 180;
      const lat = rnd() * 180 - 90;
      index.set(id, lon, lat);
      reference.set(id, [lon, lat]);
    }
    expect(index.count, `seed ${seed}`).toBe(reference.size);
    // Plain comparisons in the loops, one assertion at the end: 40k expect() calls take seconds.
    const wrong: string[] = [];
    for (const [known, [lon, lat]] of reference) {
      const slot = index.slotOf(known);
      if (slot < 0 || index.lon(slot) !== lon || index.lat(slot) !== lat) wrong.push(`id ${known}: slot ${slot}`);
    }
    for (let i = 0; i < 20000; i++) {
      const probe = Math.floor(rnd() * 2 ** 40) - 2 ** 20;
      if (index.slotOf(probe) >= 0 !== reference.has(probe)) wrong.push(`probe ${probe}`);
    }
    expect(wrong, `seed ${seed}`).toEqual([]);
  });

  it('finds nothing in an empty index', () => {
    expect(new NodeIndex().slotOf(0)).toBe(-1);
  });
});
