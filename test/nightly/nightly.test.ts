import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/edge/cli/errors.ts';
import { readNightlyConfig } from '../../src/runtime/nightly/config.ts';
import { listNightlyRuns, stepsOf } from '../../src/runtime/nightly/records.ts';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { computeCoverage } from '../../src/core/coverage/coverage.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { listStandards } from '../../src/runtime/files/standards-catalogue.ts';
import { openStore } from '../../src/runtime/store/index.ts';
import { generateCity } from '../../scripts/lib/city.ts';
import { ROOT, cli, cliInProcess } from '../cli/run-cli.ts';
import { compiledEntry } from '../helpers/compiled-source.ts';
import { freshDataDir } from '../helpers/store.ts';

/**
 * The nightly command end to end, as cron runs it: a child process on a config file, a small
 * generated town (communities declaring every programme item, so that place items decide who
 * passes) and the Chengdu sample (facilities from the OSM file), one embedded store.
 *
 * The first run, the one killed, its resumption and one refused config are processes, as cron starts them; the
 * other runs call the same command in this process (`inProcess`), which is what they are about,
 * without paying node's and the store's start-up again. Each run computes cities: minutes on a
 * loaded 2-core machine, hence the long timeouts (a deadline, never an expectation). The lease on a date's run, which no test here waits
 * for, is lease.test.ts's, on a test clock.
 */
const RUN_MS = 300_000;
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-nightly-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, 'out');
const storeDir = join(out, 'store');
// Ready to open (the cached template, migrated): no initdb's or migrations' seconds in every run's first step.
freshDataDir(storeDir, 'migrated');

const config = (overrides: Record<string, unknown> = {}, jobs?: unknown[]) => {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      date: '2026-03-01',
      outDir: 'out',
      jobs: jobs ?? [
        { name: 'town', network: 'town/network.geojson', communities: 'town/communities.geojson', facilities: 'town/facilities.geojson' },
        { name: 'chengdu', network: join(ROOT, 'data/sample/chengdu.osm.pbf'), communities: join(ROOT, 'data/sample/communities.geojson'), standards: ['guangzhou-2020-urban-basic'] },
      ],
      ...overrides,
    }),
  );
  return file;
};

const inProcess = (...args: string[]) => cliInProcess({}, ...args);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

async function storedRuns(date: string) {
  const sql = await openStore({ dataDir: storeDir });
  try {
    const runs = (await listNightlyRuns(sql, 'nightly')).filter((r) => r.date === date);
    const steps = await Promise.all(runs.map((r) => stepsOf(sql, r.id)));
    return runs.map((r, i) => ({ ...r, steps: steps[i] }));
  } finally {
    await sql.close();
  }
}

let allFacilities: { type: string; features: { properties: { category: string }; geometry: { coordinates: number[] } }[] };
/**
 * What the town should give, from the other engine: the per-community searches of computeCoverage,
 * not the city-wide multi-source searches the nightly runs (the two are written apart).
 */
const expected = { urban: 0, rural: 0, basicPassing: 0, basicShare: '' };

beforeAll(() => {
  const city = generateCity({ edges: 3000, pois: 3000, communities: 60, seed: 7 });
  const services = listStandards().flatMap((s) => s.items.filter((i) => i.kind !== 'place').map((i) => i.id));
  const collection = (features: Iterable<unknown>) => ({ type: 'FeatureCollection', features: [...features] });
  const town = join(dir, 'town');
  mkdirSync(town, { recursive: true });
  for (const [file, features] of [
    ['network.geojson', city.network()],
    ['communities.geojson', [...city.communities()].map((f) => ({ ...f, properties: { ...f.properties, services } }))],
  ] as const) {
    writeFileSync(join(town, file), JSON.stringify(collection(features)));
  }
  allFacilities = collection(city.facilities()) as typeof allFacilities;
  writeFileSync(join(town, 'facilities.geojson'), JSON.stringify(allFacilities));

  const read = (file: string) => JSON.parse(readFileSync(join(town, file), 'utf8'));
  const { communities } = readCommunities(read('communities.geojson'));
  const report = computeCoverage(graphFromGeoJson(read('network.geojson'), { source: 'town' }), communities, readFacilities(allFacilities).facilities, listStandards(), { maxSnapM: 500 });
  expected.urban = communities.filter((c) => c.type === 'urban').length;
  expected.rural = communities.length - expected.urban;
  expected.basicPassing = report.communities.filter((c) => c.standards.some((s) => s.standardId === 'guangzhou-2020-urban-basic' && s.pass)).length;
  expected.basicShare = `${Math.round((expected.basicPassing / expected.urban) * 1000) / 10}`.replace('.', '\\.');
  // A town where nobody or everybody passes would test little.
  expect(expected.basicPassing).toBeGreaterThan(0);
  expect(expected.basicPassing).toBeLessThan(expected.urban);
});

describe('lifecircle nightly', () => {
  it('computes every job, writes the files, stores the run, with plain progress lines off a terminal', async () => {
    const run = await cli('nightly', '--config', config());
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^nightly 2026-03-01: complete \(run nightly_\S+\) → .*2026-03-01\n/);
    expect(run.stdout).toMatch(new RegExp(`^town: 60 communities \\(${expected.urban} urban, ${expected.rural} rural\\), 3000 facilities, `, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^ {2}guangzhou-2020-urban-basic: ${expected.basicPassing}/${expected.urban} = ${expected.basicShare}% \\(target 90%\\)$`, 'm'));
    expect(run.stdout).toMatch(/^chengdu: 213 communities .*\n {2}guangzhou-2020-urban-basic: 0\/213 = 0% \(target 90%\)\n {2}no previous run of this job to compare with$/m);
    // Not a terminal: lines, each tenth at most once, no carriage returns or escape codes.
    expect(run.stderr).not.toMatch(/[\r\x1b]/);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('progress '));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.at(-1)).toMatch(/^progress 100%: chengdu: done \(\d+ s\)$/);

    for (const job of ['town', 'chengdu']) {
      for (const file of ['coverage.geojson', 'coverage.csv', 'summary.json', 'changes.json']) expect(existsSync(join(out, '2026-03-01', job, file))).toBe(true);
    }
    const map = readJson(join(out, '2026-03-01/town/coverage.geojson'));
    expect(map.features).toHaveLength(60);
    expect(map.features[0].properties).toMatchObject({ 'guangzhou-2020-urban-basic:pass': expect.any(Boolean) });
    const csv = readFileSync(join(out, '2026-03-01/town/coverage.csv'), 'utf8');
    expect(csv.startsWith('\uFEFFcommunity_id,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(readJson(join(out, '2026-03-01/town/summary.json')).summary.standards[0]).toMatchObject({ standardId: 'guangzhou-2020-urban-basic', passing: expected.basicPassing });
    expect(readdirTemp(join(out, '2026-03-01/town'))).toEqual([]);

    const nightly = readJson(join(out, '2026-03-01/nightly.json'));
    expect(nightly).toMatchObject({ name: 'nightly', date: '2026-03-01', attempts: 1, jobs: [{ name: 'town', reused: false, previous: null }, { name: 'chengdu' }] });
    const [stored] = await storedRuns('2026-03-01');
    expect(stored).toMatchObject({ id: nightly.runId, state: 'succeeded', attempts: 1, jobs: ['town', 'chengdu'] });
    expect(stored.steps.get('town')).toMatchObject({ state: 'succeeded', attempts: 1 });
  }, RUN_MS);

  it('does nothing for a date already complete, and says so', async () => {
    const before = statSync(join(out, '2026-03-01/town/coverage.csv')).mtimeMs;
    const run = await inProcess('nightly', '--config', config());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^nightly 2026-03-01: already complete \(run nightly_\S+, finished .*\); nothing recomputed \(--force recomputes it\)\n/);
    expect(run.stderr).not.toMatch(/progress/);
    expect(statSync(join(out, '2026-03-01/town/coverage.csv')).mtimeMs).toBe(before);
    expect(await storedRuns('2026-03-01')).toHaveLength(1);
  }, RUN_MS);

  it('says what changed since the previous date: items and standards lost, shares then and now', async () => {
    // The public toilets of the eastern half of the town close.
    const lons = allFacilities.features.map((f) => f.geometry.coordinates[0]).sort((a, b) => a - b);
    const middle = lons[lons.length >> 1];
    const kept = allFacilities.features.filter((f) => !(f.properties.category === 'public_toilet' && f.geometry.coordinates[0] > middle));
    expect(kept.length).toBeLessThan(allFacilities.features.length);
    const fewer = join(dir, 'town/facilities-fewer.geojson');
    writeFileSync(fewer, JSON.stringify({ ...allFacilities, features: kept }));
    const file = config({}, [{ name: 'town', network: 'town/network.geojson', communities: 'town/communities.geojson', facilities: 'town/facilities-fewer.geojson' }]);
    const run = await inProcess('nightly', '--config', file, '--date', '2026-03-02');
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.code).toBe(0);
    const changes = readJson(join(out, '2026-03-02/town/changes.json'));
    expect(changes.previous).toMatchObject({ date: '2026-03-01' });
    expect(changes.counts.itemsLost).toBeGreaterThan(0);
    expect(changes.counts.itemsGained).toBe(0);
    expect(changes.counts.mostLost.map((i: { itemId: string }) => i.itemId)).toEqual(['public-13']);
    expect(changes.changed[0]).toMatchObject({ communityId: expect.any(String), itemsLost: [{ itemId: 'public-13', zh: expect.any(String), en: expect.any(String) }], itemsGained: [] });
    expect(changes.changed.every((c: { itemsLost: unknown[] }) => c.itemsLost.length > 0)).toBe(true);
    const basic = changes.shares.find((s: { standardId: string }) => s.standardId === 'guangzhou-2020-urban-basic');
    expect(basic.passingBefore).toBe(expected.basicPassing);
    expect(basic.passingAfter).toBeLessThan(expected.basicPassing);
    expect(changes.counts.standardsLost).toBeGreaterThan(0);
    expect(run.stdout).toMatch(new RegExp(`^ {2}guangzhou-2020-urban-basic: ${expected.basicPassing} → ${basic.passingAfter} communities, ${expected.basicShare}% → [\\d.]+% \\(target 90%\\)$`, 'm'));
    expect(run.stdout).toContain(
      `  since 2026-03-01: ${changes.counts.communitiesLosingStandards} communities lost a standard, 0 gained one; ${changes.counts.communitiesLosingItems} communities lost items, 0 gained items\n` +
        `  items lost most: Public toilet / 公共厕所 (${changes.counts.communitiesLosingItems})\n`,
    );
    expect(run.stdout).toMatch(/^ {2}lost guangzhou-2020-urban-basic: .+ \(.+\), losing Public toilet$/m);
  }, RUN_MS);

  it('resumes after being killed: finished jobs are kept, the unfinished one redone, one complete run', async () => {
    const file = config({ date: '2026-03-03' });
    const { stderr: killed, pid } = await runUntil(file, 'holding before storing it', { LIFECIRCLE_NIGHTLY_HOLD_BEFORE_STORING: 'chengdu' });
    expect(killed).toMatch(/job chengdu: holding before storing it/);
    // Killed in the middle of writing, it would also have left its temporary files: as these.
    const halfWritten = [join(out, `2026-03-03/chengdu/coverage.csv.tmp-${pid}`), join(out, `2026-03-03/nightly.json.tmp-${pid}`)];
    for (const path of halfWritten) writeFileSync(path, 'half of a file');
    // One of a process that still runs (this one) is not the resumed run's to remove.
    const live = join(out, `2026-03-03/town/summary.json.tmp-${process.pid}`);
    writeFileSync(live, 'in use');
    // chengdu's files are written, its step is not recorded: the date must not look complete.
    expect(existsSync(join(out, '2026-03-03/chengdu/coverage.csv'))).toBe(true);
    expect(existsSync(join(out, '2026-03-03/nightly.json'))).toBe(false);
    const [crashed] = await storedRuns('2026-03-03');
    expect(crashed).toMatchObject({ state: 'running' });
    expect(crashed.steps.get('town')).toMatchObject({ state: 'succeeded' });
    expect(crashed.steps.get('chengdu')).toMatchObject({ state: 'running' });
    const townFile = statSync(join(out, '2026-03-03/town/coverage.csv')).mtimeMs;

    // A process: the test's own temporary file above belongs to a live process other than the run's.
    const run = await cli('nightly', '--config', file);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^nightly 2026-03-03: resuming run nightly_\S+ \(attempt 2\)$/m);
    expect(run.stderr).toMatch(/^job town: done in an earlier attempt of this run, kept$/m);
    expect(run.stderr).toContain(`nightly 2026-03-03: removed 2 half-written temporary files an earlier attempt left (nightly.json.tmp-${pid}, chengdu/coverage.csv.tmp-${pid})`);
    expect(halfWritten.filter((path) => existsSync(path))).toEqual([]);
    expect(existsSync(live)).toBe(true);
    rmSync(live);
    expect([...readdirTemp(join(out, '2026-03-03')), ...readdirTemp(join(out, '2026-03-03/town')), ...readdirTemp(join(out, '2026-03-03/chengdu'))]).toEqual([]);
    expect(run.stdout).toMatch(/^nightly 2026-03-03: complete \(run nightly_\S+, resumed: attempt 2\)/);
    expect(statSync(join(out, '2026-03-03/town/coverage.csv')).mtimeMs).toBe(townFile);
    const nightly = readJson(join(out, '2026-03-03/nightly.json'));
    expect(nightly.jobs.map((j: { name: string; reused: boolean }) => [j.name, j.reused])).toEqual([['town', true], ['chengdu', false]]);
    const runs = await storedRuns('2026-03-03');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: crashed.id, state: 'succeeded', attempts: 2 });
    expect(runs[0].steps.get('town')).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(runs[0].steps.get('chengdu')).toMatchObject({ state: 'succeeded', attempts: 2 });
    // Compared with the last complete date, not with the crashed attempt.
    expect(nightly.jobs[0].previous).toMatchObject({ date: '2026-03-02' });
  }, RUN_MS);

  it('recomputes a complete date with --force, keeping the earlier run as superseded', async () => {
    const file = config({ date: '2026-03-03' }, [{ name: 'town', network: 'town/network.geojson', communities: 'town/communities.geojson', facilities: 'town/facilities.geojson' }]);
    const run = await inProcess('nightly', '--config', file, '--force');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^nightly 2026-03-03: complete \(run nightly_\S+, supersedes nightly_\S+\)/);
    const runs = await storedRuns('2026-03-03');
    expect(runs.map((r) => r.state).sort()).toEqual(['succeeded', 'superseded']);
  }, RUN_MS);

  it('fails a run whose job fails (exit 1, the others done), and resumes it once fixed', async () => {
    const empty = join(dir, 'town/no-communities.geojson');
    writeFileSync(empty, JSON.stringify({ type: 'FeatureCollection', features: [] }));
    const jobs = (communities: string) => [
      { name: 'town', network: 'town/network.geojson', communities: 'town/communities.geojson', facilities: 'town/facilities.geojson' },
      { name: 'broken', network: 'town/network.geojson', communities, facilities: 'town/facilities.geojson' },
    ];
    const failed = await inProcess('nightly', '--config', config({ date: '2026-03-04' }, jobs('town/no-communities.geojson')));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^job broken: failed: job broken: communities no-communities\.geojson: no usable community$/m);
    expect(failed.stderr).toMatch(/^error: nightly 2026-03-04: 1 of 2 jobs failed \(broken\); the run is incomplete and the next invocation resumes it$/m);
    expect(existsSync(join(out, '2026-03-04/nightly.json'))).toBe(false);
    expect((await storedRuns('2026-03-04'))[0]).toMatchObject({ state: 'failed' });

    const fixed = await inProcess('nightly', '--config', config({ date: '2026-03-04' }, jobs('town/communities.geojson')));
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toMatch(/^job town: done in an earlier attempt of this run, kept$/m);
    expect((await storedRuns('2026-03-04'))[0]).toMatchObject({ state: 'succeeded', attempts: 2 });
  }, RUN_MS);

  it('refuses a bad config before computing anything: exit 2, naming the field or file', async () => {
    const town = { name: 'town', network: 'town/network.geojson', communities: 'town/communities.geojson', facilities: 'town/facilities.geojson' };
    const cases: [string, string][] = [
      [config({}, [{ ...town, standards: ['guangzhou-2020-urban-basik'] }]), 'jobs[0].standards[0]: "guangzhou-2020-urban-basik" is not a known standard'],
      [config({}, [{ ...town, facilities: 'town/nope.geojson' }]), 'jobs[0].facilities: town/nope.geojson: cannot read it (ENOENT)'],
      [config({}, [{ ...town, minutes: -5 }]), 'jobs[0].minutes: got -5, expected a number of minutes greater than 0 and at most 180'],
      [config({}, [{ ...town, mode: 'fly' }]), 'jobs[0].mode: got "fly", expected one of walk, bike, ebike, car'],
      [config({}, [{ ...town, colour: 'red' }]), 'jobs[0].colour: unknown field'],
      [config({}, [town, town]), 'jobs[1].name: "town" is already the name of another job'],
      [config({ outDir: undefined }), 'outDir: missing, expected the folder the files go to'],
      [config({ date: '2026-02-30' }), 'date: got "2026-02-30", expected a date YYYY-MM-DD'],
      [config({}, [{ ...town, network: 'town/network.lcg' }]), 'jobs[0].network: town/network.lcg: cannot read it (ENOENT)'],
    ];
    // The command reads its config first and says what is wrong as main() does (cli/errors.ts): in
    // this process, one process per case would only repeat the start-up the two below go through.
    for (const [file, message] of cases) {
      let failure: ReturnType<typeof describeFailure> | undefined;
      try {
        readNightlyConfig(file);
      } catch (err) {
        failure = describeFailure(err);
      }
      expect(failure?.message, file).toContain(message);
      expect(failure?.exitCode).toBe(2);
    }
    // As a process: one line on stderr, exit 2, nothing on stdout.
    const [unreadable, missing] = [await cli('nightly', '--config', join(dir, 'missing.json')), await inProcess('nightly')];
    expect(unreadable).toMatchObject({ code: 2, stdout: '' });
    expect(unreadable.stderr).toMatch(/^error: --config .*missing\.json: cannot read it \(ENOENT\)\n$/);
    expect(missing).toMatchObject({ code: 2, stderr: 'error: --config is required (see --help)\n' });
  });
});

/** Starts the nightly, waits for `marker` on stderr, kills it with SIGKILL; resolves with its stderr and pid. */
function runUntil(configFile: string, marker: string, env: Record<string, string>): Promise<{ stderr: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [compiledEntry('src/edge/cli/main.ts'), 'nightly', '--config', configFile], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "${marker}" within ${RUN_MS / 1000} s: ${stderr}`));
    }, RUN_MS);
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes(marker)) child.kill('SIGKILL');
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stderr, pid: child.pid! });
    });
  });
}

function readdirTemp(path: string): string[] {
  return readdirSync(path).filter((f) => f.includes('.tmp-'));
}
