import { describe, expect, it } from 'vitest';
import { costingFor } from '../../src/core/routing/costing.ts';
import { locatePoints } from '../../src/core/routing/locate.ts';
import { Router } from '../../src/core/routing/travel-times.ts';
import { asciiMap } from '../helpers/ascii-map.ts';
import { graphOf } from '../helpers/build.ts';
import type { Mode } from '../../src/core/network/profiles.ts';

// 50 m per character. Walking 4.5 km/h = 1.25 m/s; cars on residential streets 20 km/h.
const town = asciiMap(`
a----b----c
|         |
d----e>---f
          |
          g====k
`);
const graph = graphOf(town.network);
const WALK = 4.5 / 3.6;
const CAR = 20 / 3.6;

function seconds(mode: Mode, from: [number, number], to: [number, number], budget = 3600): number {
  const costing = costingFor(graph, { mode });
  const [origin] = locatePoints(costing, fc([town.point('o', from)]), { what: 'origins' });
  const [target] = locatePoints(costing, fc([town.point('t', to)]), { what: 'targets' });
  if (!origin.point || !target.point) throw new Error(origin.error ?? target.error);
  const router = new Router(graph);
  router.searchFrom(costing, [origin.point], budget);
  return router.timeTo(target.point, [origin.point]).time;
}

function fc(features: unknown[]) {
  return { type: 'FeatureCollection', features };
}

describe('ASCII town', () => {
  it('compiles junctions into nodes and strokes into edges', () => {
    expect(graph.nodeCount).toBe(8);
    expect(graph.edgeCount).toBe(8);
  });

  it('walks from a to c along the top street', () => {
    expect(seconds('walk', town.at('a'), town.at('c'))).toBeCloseTo(500 / WALK, 0);
  });

  it('starts from a point 40% along a→b, in both directions, with the partial lengths', () => {
    const o = town.between('a', 'b', 0.4);
    expect(seconds('walk', o, town.at('a'))).toBeCloseTo(100 / WALK, 0);
    expect(seconds('walk', o, town.at('c'))).toBeCloseTo(400 / WALK, 0);
    expect(seconds('walk', o, town.at('e'))).toBeCloseTo((100 + 100 + 250) / WALK, 0);
  });

  it('goes straight along the edge when origin and target share it', () => {
    expect(seconds('walk', town.between('a', 'b', 0.2), town.between('a', 'b', 0.8))).toBeCloseTo(150 / WALK, 0);
    expect(seconds('walk', town.between('a', 'b', 0.8), town.between('a', 'b', 0.2))).toBeCloseTo(150 / WALK, 0);
  });

  it('adds the access leg between a point off the road and the road at walking speed', () => {
    const o = town.between('a', 'b', 0.5, 30); // 30 m north of the middle of a–b
    expect(seconds('walk', o, town.at('b'))).toBeCloseTo((30 + 125) / WALK, 0);
    expect(seconds('car', o, town.at('b'))).toBeCloseTo(30 / WALK + 125 / CAR, 0);
  });

  it('lets cars use the one-way street e>f only eastwards, walkers both ways', () => {
    expect(seconds('car', town.at('e'), town.at('f'))).toBeCloseTo(250 / CAR, 0);
    // f → e by car: around the block f-c-b-a-d-e.
    expect(seconds('car', town.at('f'), town.at('e'))).toBeCloseTo((100 + 250 + 250 + 100 + 250) / CAR, 0);
    expect(seconds('walk', town.at('f'), town.at('e'))).toBeCloseTo(250 / WALK, 0);
  });

  it('respects the one-way direction on a partial edge: a car on e>f cannot back up to e', () => {
    const o = town.between('e', 'f', 0.5);
    expect(seconds('car', o, town.at('f'))).toBeCloseTo(125 / CAR, 0);
    expect(seconds('car', o, town.at('e'))).toBeCloseTo((125 + 100 + 250 + 250 + 100 + 250) / CAR, 0);
  });

  it('keeps walkers off the motorway g=k, and the point on it does not snap for walking', () => {
    const costing = costingFor(graph, { mode: 'walk' });
    const [k] = locatePoints(costing, fc([town.point('k', town.at('k'))]), { what: 'targets', maxSnapM: 100 });
    expect(k.point).toBeUndefined();
    expect(k.error).toMatch(/no road usable by walk within 100 m/);
    expect(seconds('car', town.at('g'), town.at('k'))).toBeGreaterThan(0);
  });

  it('stops at the budget: c is not reached within 300 s from a', () => {
    expect(seconds('walk', town.at('a'), town.at('c'), 300)).toBe(Infinity);
    expect(seconds('walk', town.at('a'), town.at('c'), 401)).toBeCloseTo(400, 0);
  });
});
