import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetService } from '../../src/runtime/datasets/service.ts';
import { csvToPoints } from '../../src/core/io/csv-points.ts';
import { readRunBatches } from '../../src/runtime/jobs/run-reader.ts';
import { JobRunner } from '../../src/runtime/jobs/runner.ts';
import { type Sql, createApiKey, deleteDataset, enqueueJob, getDataset, getJob, getRun, listDatasets } from '../../src/runtime/store/index.ts';
import { sharedStore } from '../helpers/store.ts';
import { dataFile } from '../io/shared-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'lifecircle-datasets-'));
let sql: Sql;
let service: DatasetService;
let alice: string;
let bob: string;

beforeAll(async () => {
  sql = await sharedStore();
  service = new DatasetService(sql, dir);
  alice = (await createApiKey(sql, 'alice')).id;
  bob = (await createApiKey(sql, 'bob')).id;
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

describe('stored datasets', () => {
  it('compiles an uploaded OSM network in a process of its own, and replaces it with a new version', async () => {
    const source = dataFile('chengdu/chengdu.osm.pbf');
    const created = await service.importNetwork(alice, source, { name: 'Chengdu', sourceBytes: 283893 });
    expect(created).toMatchObject({ kind: 'network', version: 1, counts: { nodes: 3495, edges: 5052 } });
    expect((await service.network(alice, created.id)).edgeCount).toBe(5052);
    const replaced = await service.importNetwork(alice, dataFile('taipei-zhongshan/taipei-zhongshan.osm'), { name: 'Taipei', sourceBytes: 1, replace: created.id });
    expect(replaced).toMatchObject({ id: created.id, version: 2, counts: { edges: 123 } });
    expect(existsSync(created.graphFile!)).toBe(false);
    // The cache is keyed by version: the replaced graph is served, not the old one.
    expect((await service.network(alice, created.id)).edgeCount).toBe(123);
  });

  it('keeps each key to its own datasets', async () => {
    const [mine] = await listDatasets(sql, alice);
    expect(await getDataset(sql, bob, mine.id)).toBeNull();
    await expect(service.network(bob, mine.id)).rejects.toThrow(/no dataset "ds_[\w-]+" for this key/);
  });

  it('stores facility and community sets from GeoJSON or CSV, with their errors and unmapped counts', async () => {
    const facilities = csvToPoints('id,name,lon,lat,category,amenity\nf1,卫生站,104.07,30.66,clinic,\nf2,,104.08,30.66,,bench\nf3,,bad,30.6,bank,\n');
    const stored = await service.importPoints(alice, 'facilities', facilities, { name: 'POIs', sourceBytes: 100 });
    expect(stored.counts).toEqual({ features: 3, usable: 1, errors: 1, unmapped: 1 });
    expect((await service.facilities(alice, stored.id)).map((f) => f.id)).toEqual(['f1']);
    await expect(service.importPoints(alice, 'communities', { type: 'FeatureCollection', features: [] }, { name: 'none', sourceBytes: 0 })).rejects.toThrow(/no usable feature/);
  });

  it('feeds a coverage job from stored datasets', async () => {
    const network = await service.importNetwork(alice, dataFile('chengdu/chengdu.osm.pbf'), { name: 'Chengdu', sourceBytes: 1 });
    const communities = await service.importPoints(alice, 'communities', csvToPoints('id,lon,lat,type\nhome,104.0755,30.6574,urban\n'), { name: 'homes', sourceBytes: 1 });
    const facilities = await service.importPoints(alice, 'facilities', csvToPoints('id,lon,lat,category\nclinic,104.0803,30.6601,clinic\n'), { name: 'clinic', sourceBytes: 1 });
    const job = await enqueueJob(sql, alice, { kind: 'coverage', params: { network: network.id, facilities: facilities.id, communities: communities.id, standards: ['guangzhou-2020-urban-basic'] } });
    const runner = new JobRunner(sql, service, { workerId: 'w', pollMs: 20 });
    runner.start();
    for (let i = 0; i < 500 && (await getJob(sql, alice, job.id))!.state !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 20));
    await runner.stop();
    const done = (await getJob(sql, alice, job.id))!;
    expect(done.state).toBe('succeeded');
    const run = (await getRun(sql, alice, done.runId!))!;
    const batches = [];
    for await (const batch of readRunBatches(sql, run, { offset: 0 }, { geometries: true })) batches.push(batch);
    const [batch] = batches;
    // The community's geometry is kept with its report (the map needs no dataset).
    expect(batch.geometries).toEqual([{ type: 'Point', coordinates: [104.0755, 30.6574] }]);
    const medical = batch.reports[0].standards[0].items.find((i) => i.itemId === 'public-11')!;
    expect(medical.status).toBe('met');
    expect(medical.nearest!.minutes).toBeCloseTo(10.36, 1);
  });

  it('fails a queued job whose dataset was deleted meanwhile, saying which is gone', async () => {
    const communities = await service.importPoints(alice, 'communities', csvToPoints('id,lon,lat,type\nhome,104.0755,30.6574,urban\n'), { name: 'doomed', sourceBytes: 1 });
    const network = await service.importNetwork(alice, dataFile('chengdu/chengdu.osm.pbf'), { name: 'Chengdu', sourceBytes: 1 });
    const facilities = await service.importPoints(alice, 'facilities', csvToPoints('id,lon,lat,category\nclinic,104.0803,30.6601,clinic\n'), { name: 'clinic', sourceBytes: 1 });
    const job = await enqueueJob(sql, alice, { kind: 'coverage', params: { network: network.id, facilities: facilities.id, communities: communities.id } });
    expect(await deleteDataset(sql, alice, communities.id)).not.toBeNull();
    const runner = new JobRunner(sql, service, { workerId: 'w2', pollMs: 20 });
    runner.start();
    for (let i = 0; i < 500 && (await getJob(sql, alice, job.id))!.state === 'queued'; i++) await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 500 && (await getJob(sql, alice, job.id))!.state === 'running'; i++) await new Promise((r) => setTimeout(r, 20));
    await runner.stop();
    const failed = (await getJob(sql, alice, job.id))!;
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatchObject({ message: expect.stringContaining(`no dataset "${communities.id}" for this key`) });
  });
});
