import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { MODES } from '../../src/core/network/profiles.ts';
import { graphOf } from '../helpers/build.ts';
import { fc } from '../api/helpers.ts';
import { COMPILED_SOURCE_VARIABLE } from '../helpers/compiled-source.ts';

/**
 * Issue 17's promise: a new travel mode is one entry in PROFILES. Proved on a copy of src/ whose only
 * change is that entry (a wheelchair profile: no steps, 3.6 km/h): the import, the graph file, the
 * costs and an HTTP request all know the mode, with nothing else edited. The copy runs in a child
 * process (tsx), since this process has the real profiles loaded.
 */
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const WHEELCHAIR = `
  {
    name: 'wheelchair',
    defaultKmh: 3.6,
    allows: (roadClass, tags) => roadClass !== 'steps' && tags.wheelchair !== 'no' && !WALK_DEFAULT_DENY.has(roadClass),
    directions: (_roadClass, tags) => onewayDirections(tags['oneway:foot']),
    classKmh: (_roadClass, base) => base,
    usesMaxspeed: false,
    hiddenClasses: ['motorway', 'motorway_link', 'steps'],
    onFoot: true,
  },
] as const satisfies readonly TravelProfile[];`;

// a —footway 100 m— b —steps 100 m— c, one line each, along a parallel of latitude.
const lon = (m: number) => 104.06 + m / (111_195 * Math.cos((30.66 * Math.PI) / 180));
const network = fc(
  { type: 'Feature', properties: { highway: 'footway' }, geometry: { type: 'LineString', coordinates: [[lon(0), 30.66], [lon(100), 30.66]] } },
  { type: 'Feature', properties: { highway: 'steps' }, geometry: { type: 'LineString', coordinates: [[lon(100), 30.66], [lon(200), 30.66]] } },
);

const CHILD = `
import { readFileSync } from 'node:fs';
import { buildApp } from './src/edge/app.ts';
import { readGraphFile, writeGraphFile } from './src/runtime/files/graph-file.ts';
import { graphFromBuffer } from './src/core/io/graph-format.ts';
import { graphFromGeoJson } from './src/core/io/build-network.ts';
import { MODES, ROAD_CLASSES, interpretWay } from './src/core/network/profiles.ts';
import { costingFor, edgeCost } from './src/core/routing/costing.ts';

const [networkFile, graphFile, oldGraphFile] = process.argv.slice(2);
const network = JSON.parse(readFileSync(networkFile, 'utf8'));
writeGraphFile(graphFile, graphFromGeoJson(network, { source: 'steps' }));
const graph = readGraphFile(graphFile);
const m = MODES.indexOf('wheelchair');
// Seconds along each edge, by its road class (the edges' order is the compiler's).
const costs = (mode) => Object.fromEntries([0, 1].map((e) => [ROAD_CLASSES[graph.edgeClass[e]], edgeCost(costingFor(graph, { mode }), e, 0)]));
let oldFile;
try { readGraphFile(oldGraphFile); } catch (err) { oldFile = err.message; }

const app = buildApp({ workerPool: { minThreads: 0 }, protection: { underPressure: false } });
await app.ready();
const origins = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'a' }, geometry: { type: 'Point', coordinates: network.features[0].geometry.coordinates[0] } }] };
const res = await app.inject({ method: 'POST', url: '/v1/isochrones', payload: { network, origins, minutes: [5], mode: 'wheelchair', output: 'lines' } });
const answer = res.json();
const bad = (await app.inject({ method: 'POST', url: '/v1/isochrones', payload: { network, origins, minutes: [5], mode: 'hovercraft' } })).json();
await app.close();

console.log(JSON.stringify({
  modes: MODES,
  steps: interpretWay({ highway: 'steps' }).access[m],
  footway: interpretWay({ highway: 'footway' }).access[m],
  accessBytes: graph.edgeAccess.length / graph.edgeCount,
  byMode: graph.meta.report.byMode.wheelchair,
  walk: costs('walk'),
  wheelchair: costs('wheelchair'),
  oldFile,
  http: { status: res.statusCode, mode: answer.mode, speedKmh: answer.speedKmh },
  badMode: bad.detail,
}));
`;

describe('a new travel mode', () => {
  it('is one entry in PROFILES: import, graph file, costs and the API follow', () => {
    const dir = mkdtempSync(join(tmpdir(), 'new-mode-'));
    cpSync(join(root, 'src'), join(dir, 'src'), { recursive: true });
    for (const linked of ['node_modules', 'data', 'package.json']) symlinkSync(join(root, linked), join(dir, linked));
    const profiles = join(dir, 'src/core/network/profiles.ts');
    const source = readFileSync(profiles, 'utf8');
    const end = '\n] as const satisfies readonly TravelProfile[];';
    expect(source).toContain(end);
    writeFileSync(profiles, source.replace(end, WHEELCHAIR));

    writeFileSync(join(dir, 'network.json'), JSON.stringify(network));
    writeFileSync(join(dir, 'child.ts'), CHILD);
    // A graph file of this build (four modes): the five-mode build must refuse it, saying why.
    writeGraphFile(join(dir, 'old.lcg'), graphOf(network as never));
    // Its own source through tsx, threads included: not the suite's compiled copy of the unchanged source.
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'child.ts', 'network.json', 'new.lcg', 'old.lcg'], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, [COMPILED_SOURCE_VARIABLE]: '' } });
    const got = JSON.parse(out.trim().split('\n').pop()!);

    expect(got.modes).toEqual([...MODES, 'wheelchair']);
    expect([got.footway, got.steps]).toEqual([3, 0]);
    expect(got.accessBytes).toBe(MODES.length + 1);
    expect(got.byMode).toEqual({ edges: 1, lengthKm: 0.1 });
    // 100 m at 3.6 km/h = 100 s on the footway (80 s walking); the steps are closed to wheelchairs
    // (Infinity, null through JSON) and walked at half speed.
    expect(Math.abs(got.wheelchair.footway - 100)).toBeLessThan(1);
    expect(got.wheelchair.footway / got.walk.footway).toBeCloseTo(4.5 / 3.6, 9);
    expect(got.wheelchair.steps).toBe(null);
    expect(got.walk.steps / got.walk.footway).toBeCloseTo(2, 2);
    expect(got.oldFile).toMatch(/was built for the travel modes walk, bike, ebike, car; this build has walk, bike, ebike, car, wheelchair: re-run `import`/);
    expect(got.http).toEqual({ status: 200, mode: 'wheelchair', speedKmh: 3.6 });
    expect(got.badMode).toMatch(/wheelchair/);
  }, 180_000);
});
