import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cliInProcess } from './run-cli.ts';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'lifecircle-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const graphFile = join(dir, 'chengdu.lcg');
const ORIGINS = 'data/sample/origins.geojson';
const TARGETS = 'data/sample/targets.geojson';

describe('the CLI on the sample data', () => {
  it('imports, then answers isochrones and travel times from the graph file', async () => {
    const imported = await cli('import', 'data/sample/chengdu.osm.pbf', '--out', graphFile);
    expect(imported.stderr).toMatch(/^imported chengdu\.osm\.pbf: \d+ nodes, \d+ edges, .* → .*chengdu\.lcg/);
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.stdout);
    expect(report).toMatchObject({ source: 'data/sample/chengdu.osm.pbf', nodes: expect.any(Number), edges: expect.any(Number) });
    expect(report.components.largest.shareOfEdges).toBeGreaterThan(0.9);
    expect(existsSync(graphFile)).toBe(true);

    const isoFile = join(dir, 'iso.geojson');
    const [iso, tt] = await Promise.all([
      cli('isochrones', '--network', graphFile, '--origins', ORIGINS, '--minutes', '5,10,15', '--out', isoFile),
      cli('travel-times', '--network', graphFile, '--origins', ORIGINS, '--targets', TARGETS, '--max-minutes', '15', '--mode', 'walk'),
    ]);
    expect(iso.code).toBe(0);
    expect(iso.stdout).toBe('');
    expect(iso.stderr).toMatch(/^isochrones: 3 origins answered × 3 budgets → 9 polygons, walk at 4\.5 km\/h, 0 origin errors/);
    const rings = JSON.parse(readFileSync(isoFile, 'utf8'));
    expect(rings.type).toBe('FeatureCollection');
    expect(rings.features.filter((f: any) => f.properties.kind === 'isochrone').map((f: any) => f.properties.minutes)).toEqual([15, 10, 5, 15, 10, 5, 15, 10, 5]);

    expect(tt.code).toBe(0);
    const answer = JSON.parse(tt.stdout);
    expect(answer).toMatchObject({ mode: 'walk', speedKmh: 4.5, maxMinutes: 15 });
    expect(answer.origins.map((o: any) => o.id)).toEqual(['shima-road', 'shudong-west', 'minhang-dorm']);
    expect(answer.origins[0].reachable[0]).toEqual({ targetId: expect.any(String), minutes: expect.any(Number), meters: expect.any(Number) });
    expect(tt.stderr).toMatch(/^travel-times: 3 origins, \d+ reachable origin-target pairs within 15 min/);
  });

  it('exits 2 with one clear line for bad input, never a stack trace', async () => {
    const offNetwork = join(dir, 'off-network.geojson');
    writeFileSync(offNetwork, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'x' }, geometry: { type: 'Point', coordinates: [0, 0] } }] }));
    const network = 'data/sample/chengdu.osm.pbf'; // not a .lcg: these runs do not depend on the import above
    // In this process, one after another (the first test runs the CLI as a process of its own).
    const runs = [];
    for (const args of [
      ['travel-times', '--network', network, '--origins', offNetwork, '--targets', TARGETS, '--max-minutes', '15'],
      ['isochrones', '--network', network, '--origins', ORIGINS, '--minutes', '5', '--speed-kmh', '900'],
      ['isochrones', '--network', network, '--origins', 'data/sample/nope.geojson', '--minutes', '5'],
      ['isochrones', '--network', network, '--origins', ORIGINS, '--minute', '5'],
      ['frobnicate'],
    ]) {
      runs.push(await cliInProcess({}, ...args));
    }
    expect(runs.map((r) => r.stderr)).toEqual([
      'error: origins feature 0 (id "x"): no road usable by walk within 500 m of [0, 0]\n',
      'error: --speed-kmh: got 900, expected a number greater than 0 and at most 200\n',
      'error: --origins data/sample/nope.geojson: cannot read it (ENOENT)\n',
      'error: unknown option --minute (see --help)\n',
      'error: unknown command "frobnicate": expected one of import, isochrones, travel-times, coverage, siting, nightly, keys, worker (see --help)\n',
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs.every((r) => r.stdout === '')).toBe(true);
  });

  it('prints the commands, and the help of one', async () => {
    const [all, one] = [await cliInProcess({}, '--help'), await cliInProcess({}, 'travel-times', '--help')];
    expect([all.code, one.code]).toEqual([0, 0]);
    expect(all.stdout).toMatch(/^usage: lifecircle <command>.*\n\ncommands:\n  import .*\n  isochrones .*\n  travel-times /s);
    expect(one.stdout).toMatch(/^usage: lifecircle travel-times --network <file> .*--max-minutes 15 \[options\]\n/);
  });
});
