import { describe, expect, it } from 'vitest';
import { CSV_HEADER, coverageCsvLines } from '../../src/core/coverage/outputs.ts';
import { parseCsv } from '../../src/core/io/csv-points.ts';
import { coverage } from '../../src/runtime/requests/coverage.ts';
import { coverageAssumptions } from '../../src/runtime/requests/coverage-answer.ts';
import { graphOf } from '../helpers/build.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';

/**
 * The item table, read back as a spreadsheet would (a CSV parser, columns by their header), says for
 * every community × item what the JSON report says: the rows are written straight into lines for
 * speed, so each column is checked against the report's field, by name.
 */
describe('the coverage CSV, read back', () => {
  const communities = fc([
    town.point('north', town.at('b'), { type: 'urban', name: '北苑, "新村"', district: '越秀区', services: ['volunteers'], population: 1000 }),
    town.point('east', town.at('h'), { type: 'urban', population: 500 }),
  ]);
  const { response } = coverage({ communities, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD, metShare: 0.5 }, { defaultGraph: graphOf(town.network) });

  it('has a row per community × item whose every column is the report\'s field', () => {
    const text = [...coverageCsvLines(response, { assumptions: coverageAssumptions(response) })].join('\n');
    const rows = parseCsv(text);
    expect(rows[0].join(',')).toBe(CSV_HEADER);
    const col = (name: string) => rows[0].indexOf(name);
    const body = rows.slice(1);
    expect(body).toHaveLength(response.communities.reduce((n, c) => n + c.standards.reduce((m, s) => m + s.items.length, 0), 0));
    let k = 0;
    for (const c of response.communities) {
      for (const s of c.standards) {
        for (const item of s.items) {
          const row = body[k++];
          const cell = (name: string) => row[col(name)];
          const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
          expect([cell('community_id'), cell('community_name'), cell('community_type'), cell('district')]).toEqual([c.id, text(c.name), c.type, text(c.district)]);
          expect([cell('standard_id'), cell('mode'), cell('minutes'), cell('met_share'), cell('home_rule'), cell('origin')]).toEqual([s.standardId, s.mode, String(s.minutes), '0.5', c.homes.rule, 'homes']);
          expect([cell('item_id'), cell('item_zh'), cell('item_en'), cell('kind'), cell('status')]).toEqual([item.itemId, item.zh, item.en, item.kind, item.status]);
          expect([cell('residents_share'), cell('homes'), cell('median_minutes'), cell('worst_minutes'), cell('reachable_count')]).toEqual(
            [item.residentsShare, item.homes, item.medianMinutes, item.worstMinutes, item.reachableCount].map(text),
          );
          expect([cell('nearest_facility_id'), cell('nearest_facility_name'), cell('nearest_minutes'), cell('nearest_meters')]).toEqual(
            [item.nearest?.facilityId, item.nearest?.name, item.nearest?.minutes, item.nearest?.meters].map(text),
          );
        }
      }
    }
    expect(k).toBeGreaterThan(4);
  });
});
