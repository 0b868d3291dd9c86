import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { ItemResult, StandardResult } from '../../src/core/coverage/assess.ts';
import { computeCoverage } from '../../src/core/coverage/coverage.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { type CoverageResponse, coverage } from '../../src/runtime/requests/coverage.ts';
import type { Standard } from '../../src/core/standards/types.ts';
import { type AsciiMap, asciiMap } from '../helpers/ascii-map.ts';
import { graphOf } from '../helpers/build.ts';
import { SMALL_TOWN_STANDARD, fc } from '../helpers/small-town.ts';

/**
 * Coverage from homes on hand-drawn maps, every answer worked out by hand in the comments. Walking
 * is 4.5 km/h, 75 m a minute: the 15-minute circle is 1,125 m. Compounds without homes given get a
 * grid at 25 m: cell centres, so a 2,125 m × 50 m strip has 85 × 2 homes at 12.5 m, 37.5 m, … from
 * its west side and 12.5 m, 37.5 m from its north side, all of one weight. A home walks straight to
 * its nearest road, or to a gate of its own part, and on along the roads.
 *
 * The grid is laid out in the engine's WGS84 metric frame (cheap-ruler), whose metre differs from the
 * drawing's spherical one by about 0.2 % east–west: centred on the compound, a home at its end of a
 * 2 km strip lies ~2 m from where the hand computation puts it. Every answer below is at least
 * 12.5 m from the budget, and minutes are compared to 0.05.
 *
 * Each map is run as a request (src/runtime/requests/coverage.ts, the city-wide engine) and, for the verdicts,
 * through the per-home oracle (computeCoverage) on the same communities and homes.
 */

const STANDARD = { ...SMALL_TOWN_STANDARD, minutes: 15 } as Standard;

/** A rectangle `x0..x1` metres along a→b and `y0..y1` metres to its left (negative: to its right). */
function rect(map: AsciiMap, a: string, b: string, [x0, x1]: [number, number], [y0, y1]: [number, number]): Position[] {
  const length = map.metres(a, b);
  const at = (x: number, y: number): Position => map.between(a, b, x / length, y);
  return [at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)];
}

const polygon = (id: string, rings: Position[][], properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { id, type: 'urban', ...properties },
  geometry: { type: 'Polygon', coordinates: rings },
});

interface Run {
  response: CoverageResponse;
  /** One community's standard result, by the request and by the per-home oracle. */
  result(id: string): StandardResult;
  item(id: string, itemId: string): ItemResult;
}

/** A request on `map`, checked against the per-home oracle item by item. */
function run(map: AsciiMap, body: Record<string, unknown>): Run {
  const graph = graphOf(map.network);
  const request = { standard: STANDARD, maxSnapM: 500, ...body };
  const { response, communities } = coverage(request, { defaultGraph: graph });
  const facilities = readFacilities(body.facilities).facilities;
  const oracle = computeCoverage(graph, communities, facilities, [STANDARD], {
    maxSnapM: 500,
    ...(body.metShare !== undefined ? { metShare: body.metShare as number } : {}),
    ...(body.minutes !== undefined ? { minutes: body.minutes as number } : {}),
    ...(body.origin !== undefined ? { origin: body.origin as 'homes' | 'representative' } : {}),
  });
  // The same verdicts from both engines (reachable counts included: the request asks for them).
  expect(response.communities).toEqual(oracle.communities);
  const result = (id: string) => response.communities.find((c) => c.id === id)!.standards[0];
  return { response, result, item: (id, itemId) => result(id).items.find((i) => i.itemId === itemId)! };
}

describe('a long compound, half in reach', () => {
  /*
   * One street a–b, 2.4 km (100 m a character); a clinic at a. The compound is a strip south of the
   * street, from 12.5 m to 2,137.5 m along it and 25 m to 75 m away from it: 85 columns × 2 rows.
   * Column k's homes are 25 + 25k m along, 37.5 m (north row) or 62.5 m (south row) from the street.
   * Within 1,125 m of the clinic: north row 25 + 25k + 37.5 ≤ 1,125 → k ≤ 42, 43 homes (the next is
   * 12.5 m over); south row k ≤ 41, 42 homes. 85 of 170: residentsShare 0.5.
   * Sorted, the homes are 62.5 m, then two each at 87.5, 112.5, … m: the 85th (the weighted median)
   * is at 62.5 + 42 × 25 = 1,112.5 m, 14.83 minutes. The worst reach nothing: null.
   */
  const map = asciiMap(`
a-----------------------b
`, 100);
  const clinic = fc([map.point('clinic', map.at('a'), { category: 'clinic' })]);
  const strip = polygon('strip', [rect(map, 'a', 'b', [12.5, 2137.5], [-25, -75])], { population: 1700 });

  it('residentsShare 0.5: unmet at metShare 0.8, met at 0.5 (the share is at least it) and at 0.4', () => {
    expect(map.metres('a', 'b')).toBe(2400);
    for (const [metShare, status] of [[undefined, 'unmet'], [0.8, 'unmet'], [0.5, 'met'], [0.4, 'met']] as const) {
      const r = run(map, { communities: fc([strip]), facilities: clinic, ...(metShare !== undefined ? { metShare } : {}) });
      const item = r.item('strip', 'clinic');
      expect(item, `metShare ${metShare}`).toMatchObject({ status, residentsShare: 0.5, homes: 170, medianMinutes: 14.83, worstMinutes: null });
      // The nearest home: 25 m along, 37.5 m across (to 2 m: see below).
      expect(item.nearest!.minutes).toBeCloseTo(62.5 / 75, 1);
      expect(r.result('strip').metShare).toBe(metShare ?? 0.8);
      expect(r.response.assessment).toMatchObject({ origin: 'homes', metShare: metShare ?? 0.8, homes: { total: 170, byRule: { grid: 1 } } });
      expect(r.response.communities[0].homes).toMatchObject({ rule: 'grid', count: 170, placed: 170, gates: 0 });
    }
  });

  it('homes given with their population weigh by it: two near homes of 100 people and a far one of 300 reach 0.4', () => {
    // Near: 100 m and 300 m along, 50 m across (150 m, 350 m); far: 2,000 m along (2,050 m).
    const at = (x: number) => map.between('a', 'b', x / map.metres('a', 'b'), -50);
    const homes = fc([
      map.point('near-1', at(100), { population: 100 }),
      map.point('near-2', at(300), { population: 100 }),
      map.point('far', at(2000), { population: 300 }),
    ]);
    const r = run(map, { communities: fc([strip]), facilities: clinic, homes, metShare: 0.4 });
    // 200 of 500 people; the median person (the 250th, by time) lives in the far home: null.
    expect(r.item('strip', 'clinic')).toMatchObject({ status: 'met', residentsShare: 0.4, homes: 3, medianMinutes: null, worstMinutes: null });
    expect(r.response.communities[0].homes).toMatchObject({ rule: 'given', count: 3 });
    expect(r.response.errors.homes).toEqual([]);
  });

  it('origin "representative": one point inside the strip decides for everyone', () => {
    const r = run(map, { communities: fc([strip]), facilities: clinic, origin: 'representative' });
    expect(r.response.assessment.origin).toBe('representative');
    expect(r.response.communities[0].homes).toMatchObject({ rule: 'representative', count: 1 });
    // All or nothing: the share is 1 or 0, as the point reaches or not.
    expect([0, 1]).toContain(r.item('strip', 'clinic').residentsShare);
  });
});

describe('two parts far apart', () => {
  /*
   * One street a–b, 3 km; a clinic at a, a park at b. Part A: 100 m × 100 m south of the street at
   * a's end (10 m to 110 m off it): 4 × 4 homes. Part B: 100 m × 150 m at b's end (10 m to 160 m
   * off): 4 × 6 homes. Every home stands for 625 m² of ground, so all 40 weigh alike.
   * A's homes are at most 87.5 + 97.5 = 185 m from the clinic and 2.9 km from the park; B's the
   * other way round.
   * - As two communities: A meets the clinic (1) and not the park (0); B the park (1), not the clinic (0).
   * - As one MultiPolygon: clinic 16/40 = 0.4, park 24/40 = 0.6, both unmet at 0.8 — no part is
   *   credited with what the other reaches. The clinic's median person lives in B: null. The park's
   *   median (the 20th of 40) is B's home 35 + 25 × 6 = 185 m from b (B's homes are 12.5 + 25i m
   *   along and 22.5 + 25j m across, i < 4, j < 6; sums 35 + 25s m, s = i + j counted 1, 2, 3, 4, 4,
   *   4, 3, …: the 20th has s = 6): 2.47 minutes.
   * - The one-point rule pools the parts' points: both items met, as the issue found.
   */
  const map = asciiMap(`
a-----------------------------b
`, 100);
  const facilities = fc([map.point('clinic', map.at('a'), { category: 'clinic' }), map.point('park', map.at('b'), { category: 'park' })]);
  const partA = rect(map, 'a', 'b', [0, 100], [-10, -110]);
  const partB = rect(map, 'a', 'b', [2900, 3000], [-10, -160]);

  it('each part gets credit only for what it reaches', () => {
    expect(map.metres('a', 'b')).toBe(3000);
    const apart = run(map, { communities: fc([polygon('A', [partA]), polygon('B', [partB])]), facilities });
    expect(apart.item('A', 'clinic')).toMatchObject({ status: 'met', residentsShare: 1, homes: 16 });
    expect(apart.item('A', 'park')).toMatchObject({ status: 'unmet', residentsShare: 0, medianMinutes: null, worstMinutes: null });
    expect(apart.item('B', 'park')).toMatchObject({ status: 'met', residentsShare: 1, homes: 24 });
    expect(apart.item('B', 'clinic')).toMatchObject({ status: 'unmet', residentsShare: 0 });

    const multi = { type: 'Feature', properties: { id: 'AB', type: 'urban', population: 4000 }, geometry: { type: 'MultiPolygon', coordinates: [[partA], [partB]] } };
    const together = run(map, { communities: fc([multi]), facilities });
    expect(together.item('AB', 'clinic')).toMatchObject({ status: 'unmet', residentsShare: 0.4, homes: 40, medianMinutes: null, worstMinutes: null });
    const park = together.item('AB', 'park');
    expect(park).toMatchObject({ status: 'unmet', residentsShare: 0.6, homes: 40, worstMinutes: null });
    expect(park.medianMinutes!).toBeCloseTo(185 / 75, 1);
    // At 0.4 both are met: 40 % of the residents reach a clinic, 60 % a park.
    const lenient = run(map, { communities: fc([multi]), facilities, metShare: 0.4 });
    expect(lenient.result('AB').items.filter((i) => i.kind === 'place').map((i) => i.status)).toEqual(['met', 'met']);

    const pooled = run(map, { communities: fc([multi]), facilities, origin: 'representative' });
    expect(pooled.item('AB', 'clinic')).toMatchObject({ status: 'met', residentsShare: 1, homes: 1 });
    expect(pooled.item('AB', 'park')).toMatchObject({ status: 'met', residentsShare: 1, homes: 1 });
  });
});

describe('gates', () => {
  /*
   * 100 m a character: a north street a–b–c (1,200 m), a south street d–e–f 300 m below, joined at
   * the ends. A clinic at b, on the north street. The compound lies between the streets under b, 500 m
   * to 700 m along and 50 m to 200 m south of the north street: 8 × 6 homes, at 12.5 m, 37.5 m, …
   * from its west and north sides.
   *
   *   a-----b-----c      the clinic at b
   *   |   [   ]   |      the compound; its gate on its south side, 100 m above e
   *   |   [ g ]   |
   *   d-----e-----f
   *
   * - No gates: a home walks to its nearest street. The four north rows (62.5 m … 137.5 m from it)
   *   reach the clinic in at most 87.5 + 137.5 = 225 m; the two south rows (112.5 m, 137.5 m from the
   *   south street) must go round by d or f: e–d–a–b is 600 + 300 + 600 = 1,500 m. 32 of 48: 0.6667.
   * - One gate, on the south side (600 m, −200 m): every home walks out through it, then 100 m to
   *   the south street and 1,500 m round: 1,600 m and more, 21.3 minutes: nobody within 15.
   *   At 30 minutes everyone: the nearest homes are 17.7 m from the gate (12.5 m each way),
   *   1,617.7 m, 21.57 min; the farthest (87.5 m, 137.5 m off) 163.0 m, 1,763.0 m, 23.51 min.
   * - One gate on the north side (600 m, −50 m), 50 m from the clinic's street at b: everyone
   *   within 163.0 + 50 m.
   */
  const map = asciiMap(`
a-----b-----c
|           |
|           |
d-----e-----f
`, 100);
  const facilities = fc([map.point('clinic', map.at('b'), { category: 'clinic' })]);
  const ring = rect(map, 'a', 'c', [500, 700], [-50, -200]);
  const gate = (yM: number) => map.between('a', 'c', 600 / 1200, yM);
  const compound = (properties: Record<string, unknown> = {}) => fc([polygon('compound', [ring], { population: 480, ...properties })]);

  it('without gates, each home by its nearest street: the north two thirds reach the clinic', () => {
    expect([map.metres('a', 'b'), map.metres('a', 'c'), map.metres('a', 'd')]).toEqual([600, 1200, 300]);
    const r = run(map, { communities: compound(), facilities });
    expect(r.item('compound', 'clinic')).toMatchObject({ status: 'unmet', residentsShare: 0.6667, homes: 48, worstMinutes: null });
    expect(r.response.communities[0].homes).toMatchObject({ rule: 'grid', count: 48, gates: 0 });
  });

  it('a gate facing away from the clinic: everyone walks out through it and round, farther than the straight line', () => {
    const r = run(map, { communities: compound({ entrances: [gate(-200)] }), facilities });
    expect(r.response.communities[0].homes).toMatchObject({ rule: 'grid', count: 48, placed: 48, gates: 1 });
    expect(r.item('compound', 'clinic')).toMatchObject({ status: 'unmet', residentsShare: 0, medianMinutes: null, worstMinutes: null });
    const half = run(map, { communities: compound({ entrances: [gate(-200)] }), facilities, minutes: 30 });
    const item = half.item('compound', 'clinic');
    expect(item).toMatchObject({ status: 'met', residentsShare: 1 });
    expect(item.nearest!.minutes).toBeCloseTo((Math.hypot(12.5, 12.5) + 100 + 1500) / 75, 1);
    expect(item.worstMinutes!).toBeCloseTo((Math.hypot(87.5, 137.5) + 100 + 1500) / 75, 1);
  });

  it('a gate facing the clinic: everyone within', () => {
    const r = run(map, { communities: compound({ entrances: [gate(-50)] }), facilities });
    const item = r.item('compound', 'clinic');
    expect(item).toMatchObject({ status: 'met', residentsShare: 1, homes: 48 });
    expect(item.worstMinutes!).toBeCloseTo((Math.hypot(87.5, 137.5) + 50) / 75, 1);
  });
});

describe('a park reached at its edge', () => {
  /*
   * One case (test/coverage/facility-outline.test.ts has the rest): a street a–b, 2.4 km; a compound
   * south of it at a's end (0–100 m along, 25–75 m off: 4 × 2 homes); a park north of it, 900 m to
   * 2,100 m along and 100 m to 300 m off. The park's near corner is 100 m from the street at 900 m:
   * the homes reach it in (900 − x) + y + 100 m, from 812.5 + 37.5 + 100 = 950 m (12.67 min) to
   * 887.5 + 62.5 + 100 = 1,050 m (14 min): all within. Its middle (1,500 m, 200 m) is 1,600 m and
   * more away: as a point, the park is out of reach for every home.
   */
  const map = asciiMap(`
a-----------------------b
`, 100);
  const compound = fc([polygon('compound', [rect(map, 'a', 'b', [0, 100], [-25, -75])])]);
  const parkRing = rect(map, 'a', 'b', [900, 2100], [100, 300]);

  it('every home reaches its outline within 15 minutes; none its middle', () => {
    expect(map.metres('a', 'b')).toBe(2400);
    const r = run(map, { communities: compound, facilities: fc([{ type: 'Feature', properties: { id: 'park', leisure: 'park' }, geometry: { type: 'Polygon', coordinates: [parkRing] } }]) });
    const item = r.item('compound', 'park');
    expect(item).toMatchObject({ status: 'met', residentsShare: 1, homes: 8 });
    expect(item.nearest!.minutes).toBeCloseTo(950 / 75, 1);
    expect(item.worstMinutes!).toBeCloseTo(1050 / 75, 1);
    const middle = map.between('a', 'b', 1500 / 2400, 200);
    const asPoint = run(map, { communities: compound, facilities: fc([map.point('park', middle, { leisure: 'park' })]) });
    expect(asPoint.item('compound', 'park')).toMatchObject({ status: 'unmet', residentsShare: 0 });
  });
});

describe('honest gaps in the summary', () => {
  /*
   * The small town's standard on one street a–b (1 km): a clinic at a and no park anywhere.
   * - `near` (a point at a, 1,000 people) meets the clinic; the park is no_facility — a data gap,
   *   not a service gap: in `dataGaps`, not in `missing`, after every item with data in the summary.
   * - `far` (a point 2 km north, no road within maxSnapM 500 m): not assessed, in the denominator,
   *   listed in `notAssessed` with why.
   * - `nameless` (a point at b, no population): the clinic 1 km away, 13.3 min: met; counted, and the
   *   summary warns that its population is missing.
   */
  const map = asciiMap(`
a---------b
`, 100);
  const communities = fc([
    map.point('near', map.at('a'), { type: 'urban', population: 1000, services: ['volunteers'] }),
    map.point('far', map.between('a', 'b', 0.5, 2000), { type: 'urban', population: 500 }),
    map.point('nameless', map.at('b'), { type: 'urban' }),
  ]);
  const facilities = fc([map.point('clinic', map.at('a'), { category: 'clinic' })]);

  it('no_facility, notAssessed, the population warning', () => {
    expect(map.metres('a', 'b')).toBe(1000);
    const r = run(map, { communities, facilities });
    expect(r.item('near', 'park')).toMatchObject({ status: 'no_facility', homes: 1 });
    expect(r.item('near', 'park')).not.toHaveProperty('residentsShare');
    expect(r.result('near').dataGaps.map((g) => g.itemId)).toEqual(['park']);
    expect(r.result('near').missing.map((g) => g.itemId)).toEqual(['app']);
    expect(r.item('nameless', 'clinic')).toMatchObject({ status: 'met', residentsShare: 1 });
    expect(r.item('nameless', 'clinic').nearest!.minutes).toBeCloseTo(1000 / 75, 2);

    const far = r.response.communities.find((c) => c.id === 'far')!;
    expect(far.error).toBe('no home of community "far" is within 500 m of a road usable by walk');
    expect(far.standards).toEqual([]);

    const s = r.response.summary.standards[0];
    // Three communities of the type, one not assessed: passing 0 of 3 (none declares the app).
    expect(s).toMatchObject({ communities: 3, passing: 0, share: 0 });
    expect(s.notAssessed).toEqual([{ id: 'far', reason: far.error }]);
    expect(s.dataGaps.map((g) => g.itemId)).toEqual(['park']);
    // Items with data ranked worst first; the park, with none, after them all.
    expect(s.items.map((i) => i.itemId).at(-1)).toBe('park');
    expect(s.items.find((i) => i.itemId === 'park')).toMatchObject({ dataGap: true, noFacility: 2 });
    // Clinic: near and nameless reach it, far is not assessed: 2 of 3.
    expect(s.items.find((i) => i.itemId === 'clinic')).toMatchObject({ communities: 3, reaching: 2, share: 0.6667, dataGap: false });
    expect(r.response.summary.warnings).toEqual([expect.stringMatching(/^1 of 3 communities have no population/)]);
    expect(r.response.summary.communities).toMatchObject({ total: 3, withPopulation: 2 });
  });
});
