import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, cliInProcess } from '../cli/run-cli.ts';
import { freshDataDir } from '../helpers/store.ts';

/**
 * The nightly reads its files as the API's uploads are read (src/runtime/files/read-point-set.ts): a zipped
 * shapefile of communities (GDAL's, attributes in GBK) and a CSV of facilities give the report the
 * GeoJSON they were made from gives. One run, two jobs on the Chengdu sample network, in this
 * process (nightly.test.ts runs the command as a process).
 */
const RUN_MS = 300_000;
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-nightly-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The nightly's store ready to open (the cached template, migrated): no initdb's or migrations' seconds.
freshDataDir(join(dir, 'out/store'), 'migrated');
const fixture = (name: string) => join(ROOT, 'test/fixtures/shapefile', name);

describe('lifecircle nightly with CSV and zipped shapefile inputs', () => {
  it('computes the same coverage from them as from the GeoJSON they were made from', async () => {
    const facilities = JSON.parse(readFileSync(fixture('facilities.source.geojson'), 'utf8')).features;
    // Excel in a Chinese locale: semicolons would do too; commas here, Chinese coordinate headers.
    const csv = ['id,name,category,area_m2,经度,纬度', ...facilities.map((f: any) => [f.properties.id, f.properties.name, f.properties.category, f.properties.area_m2, ...f.geometry.coordinates].join(','))];
    writeFileSync(join(dir, 'facilities.csv'), `\uFEFF${csv.join('\r\n')}\r\n`);
    // Named as a cron user might: the bytes, not the name, say it is a zip.
    copyFileSync(fixture('communities-wgs84-gbk.zip'), join(dir, 'communities.shp.export'));
    const network = join(ROOT, 'data/sample/chengdu.osm.pbf');
    const job = { network, standards: ['guangzhou-2020-urban-basic'] };
    const config = join(dir, 'nightly.json');
    writeFileSync(
      config,
      JSON.stringify({
        date: '2026-04-01',
        outDir: 'out',
        jobs: [
          { name: 'formats', ...job, communities: 'communities.shp.export', facilities: 'facilities.csv' },
          { name: 'reference', ...job, communities: fixture('communities.source.geojson'), facilities: fixture('facilities.source.geojson') },
        ],
      }),
    );
    const run = await cliInProcess({}, 'nightly', '--config', config);
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^formats: 4 communities \(4 urban, 0 rural\), 3 facilities, /m);
    const file = (jobName: string, name: string) => readFileSync(join(dir, 'out/2026-04-01', jobName, name), 'utf8');
    // The GBK names came through, and every figure is the reference's.
    expect(file('formats', 'coverage.csv')).toContain('财富又一城');
    expect(file('formats', 'coverage.csv')).toBe(file('reference', 'coverage.csv'));
    const summary = (jobName: string) => JSON.parse(file(jobName, 'summary.json')).summary;
    expect(summary('formats')).toEqual(summary('reference'));
  }, RUN_MS);
});
