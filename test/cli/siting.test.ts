import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/core/io/csv-points.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { cliInProcess } from './run-cli.ts';

/** `lifecircle siting` on the small town (the park serves south; c would serve north, h east). */
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-siting-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

describe('lifecircle siting', () => {
  it('answers the sites as CSV from a grid of candidates, and says how good the choice is on stderr', async () => {
    const args = [
      'siting',
      '--network', file('network.geojson', town.network),
      '--communities', file('communities.geojson', fc([
        town.point('north', town.at('b'), { type: 'urban', population: 1000 }),
        town.point('south', town.at('f'), { type: 'urban', population: 3000 }),
        town.point('east', town.at('h'), { type: 'urban', population: 500 }),
      ])),
      '--facilities', file('facilities.geojson', TOWN_FACILITIES),
      '--standard', file('standard.json', SMALL_TOWN_STANDARD),
      '--item', 'park',
      '--grid', '100',
      '--k', '2',
      '--format', 'csv',
    ];
    const r = await cliInProcess({}, ...args);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv(r.stdout.replace(/^\uFEFF/, ''));
    expect(rows[0].slice(0, 2)).toEqual(['rank', 'id']);
    expect(rows.slice(1).map((row) => row[9])).toEqual(['north', 'east']);
    expect(r.stderr).toMatch(/^siting: 2 sites \(exact, optimal\); residents served 0\.6667 → 1/);
  });

  it('a programme item is bad input (exit 2) with the core\'s message', async () => {
    const r = await cliInProcess({}, 'siting', '--network', join(dir, 'network.geojson'), '--communities', join(dir, 'communities.geojson'), '--facilities', join(dir, 'facilities.geojson'), '--standard', join(dir, 'standard.json'), '--item', 'volunteers', '--grid', '100', '--k', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/item: volunteers .* programme/);
  });
});
