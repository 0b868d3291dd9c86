import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DatasetInput,
  type Sql,
  createApiKey,
  createDataset,
  deleteDataset,
  getDataset,
  getPointsSource,
  listDatasets,
  newId,
  replaceDataset,
} from '../../src/runtime/store/index.ts';
import { describeBackends, openFreshStore } from './backends.ts';

const clinics: DatasetInput = {
  kind: 'facilities',
  name: 'clinics',
  counts: { features: 2 },
  bbox: [104.0, 30.6, 104.1, 30.7],
  report: { unmapped: 0 },
  payload: {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { id: 'c1', category: 'clinic', name: '诊所' }, geometry: { type: 'Point', coordinates: [104.05, 30.65] } },
      { type: 'Feature', properties: { id: 'c2', category: 'clinic' }, geometry: { type: 'Point', coordinates: [104.06, 30.66] } },
    ],
  },
  sourceBytes: 512,
};

const network = (graphFile: string): DatasetInput => ({
  kind: 'network',
  name: 'chengdu',
  counts: { nodes: 10, edges: 12 },
  bbox: [104, 30.5, 104.2, 30.8],
  report: { linesDropped: { 'highway=construction': 3 } },
  graphFile,
  // Past 2^32: the bigint column must come back as the same number from both drivers.
  sourceBytes: 6_000_000_000,
});

describeBackends('datasets', (backend) => {
  let sql: Sql;
  let done: () => Promise<void>;
  let a: string;
  let b: string;
  beforeAll(async () => {
    ({ sql, done } = await openFreshStore(backend));
    a = (await createApiKey(sql, 'a')).id;
    b = (await createApiKey(sql, 'b')).id;
  });
  afterAll(() => done());

  it('stores facilities with their GeoJSON and a network with its graph file, and reads them back', async () => {
    const f = await createDataset(sql, a, clinics);
    expect(f).toMatchObject({ owner: a, kind: 'facilities', name: 'clinics', version: 1, counts: { features: 2 }, graphFile: null, sourceBytes: 512 });
    expect(f.id).toMatch(/^ds_/);
    expect(await getDataset(sql, a, f.id)).toEqual(f);
    expect((await getDataset(sql, a, f.id))?.payload).toEqual(clinics.payload);

    const id = newId('ds');
    const n = await createDataset(sql, a, network(`data/datasets/${id}.v1.lcg`), { id });
    expect(n).toMatchObject({ id, kind: 'network', payload: null, graphFile: `data/datasets/${id}.v1.lcg`, sourceBytes: 6_000_000_000 });
    expect(n.bbox).toEqual([104, 30.5, 104.2, 30.8]);
  });

  it('reads a point set’s source as text in slices of features that make up the whole, another owner’s as nothing', async () => {
    const features = Array.from({ length: 7 }, (_, i) => ({ type: 'Feature', properties: { id: `e${i}`, name: i ? `社区 ${i}` : 'a "quoted", name' }, geometry: { type: 'Point', coordinates: [104 + i / 100, 30.6] } }));
    const source = { type: 'FeatureCollection', name: 'estates', features };
    const stored = await createDataset(sql, a, { ...clinics, kind: 'communities', payload: { type: 'FeatureCollection', crs: 'gcj02', source } });
    const read = (await getPointsSource(sql, a, stored.id, 3))!;
    expect(read).toMatchObject({ kind: 'communities', version: 1, crs: 'gcj02' });
    const text = read.source as { collection: string; features: string[] };
    expect(text.features).toHaveLength(3);
    expect({ ...JSON.parse(text.collection), features: text.features.flatMap((f) => JSON.parse(f)) }).toEqual(source);
    // A source that is not a collection of features comes whole.
    const odd = await createDataset(sql, a, { ...clinics, kind: 'communities', payload: { type: 'FeatureCollection', crs: 'wgs84', source: [features[0]] } });
    expect(JSON.parse(((await getPointsSource(sql, a, odd.id))!.source as { whole: string }).whole)).toEqual([features[0]]);
    expect(await getPointsSource(sql, b, stored.id)).toBeNull();
  });

  it('lists the owner’s datasets newest first, without payloads, optionally by kind', async () => {
    const owner = (await createApiKey(sql, 'lister')).id;
    const first = await createDataset(sql, owner, clinics);
    const second = await createDataset(sql, owner, { ...clinics, kind: 'communities', name: 'estates' });
    // Two rows created within one clock tick (PGlite's now() may not tell them apart): the first made older by a second.
    await sql.query(`UPDATE datasets SET created_at = created_at - interval '1 second' WHERE id = $1`, [first.id]);
    const all = await listDatasets(sql, owner);
    expect(all.map((d) => d.id)).toEqual([second.id, first.id]);
    expect(all[0]).not.toHaveProperty('payload');
    expect((await listDatasets(sql, owner, { kind: 'communities' })).map((d) => d.id)).toEqual([second.id]);
    expect(await listDatasets(sql, owner, { limit: 1 })).toHaveLength(1);
  });

  it('refuses content that does not fit the kind, naming what it got', async () => {
    await expect(createDataset(sql, a, { ...clinics, payload: undefined })).rejects.toMatchObject({
      code: 'DATASET_KIND', message: 'dataset "clinics" (facilities): got no payload, expected its GeoJSON',
    });
    await expect(createDataset(sql, a, { ...network('x.lcg'), payload: {} })).rejects.toMatchObject({ code: 'DATASET_KIND' });
    await expect(createDataset(sql, a, { ...network('x.lcg'), graphFile: undefined })).rejects.toMatchObject({ code: 'DATASET_KIND' });
  });

  it('replace bumps the version each time and hands back the old graph file', async () => {
    const n = await createDataset(sql, a, network('v1.lcg'));
    const r2 = await replaceDataset(sql, a, n.id, network('v2.lcg'));
    expect(r2?.dataset).toMatchObject({ id: n.id, version: 2, graphFile: 'v2.lcg', createdAt: n.createdAt });
    expect(r2?.previousGraphFile).toBe('v1.lcg');
    const r3 = await replaceDataset(sql, a, n.id, { ...network('v3.lcg'), name: 'chengdu 2027' });
    expect(r3?.dataset).toMatchObject({ version: 3, name: 'chengdu 2027' });
    expect(r3?.previousGraphFile).toBe('v2.lcg');
    expect(Date.parse(r3!.dataset.updatedAt)).toBeGreaterThanOrEqual(Date.parse(n.updatedAt));
    expect(await getDataset(sql, a, n.id)).toEqual(r3?.dataset);
  });

  it('concurrent replaces each get their own version: none is lost', async () => {
    const f = await createDataset(sql, a, clinics);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => replaceDataset(sql, a, f.id, { ...clinics, name: `replace ${i}` })),
    );
    expect(results.map((r) => r?.dataset.version).sort()).toEqual([2, 3, 4, 5, 6, 7]);
    expect((await getDataset(sql, a, f.id))?.version).toBe(7);
  });

  it('a replacement cannot change the kind', async () => {
    const f = await createDataset(sql, a, clinics);
    await expect(replaceDataset(sql, a, f.id, network('x.lcg'))).rejects.toMatchObject({
      code: 'DATASET_KIND', message: expect.stringContaining('got network, expected facilities'),
    });
    expect((await getDataset(sql, a, f.id))?.version).toBe(1);
  });

  it('delete returns what it deleted, after which the dataset is gone', async () => {
    const n = await createDataset(sql, a, network('gone.lcg'));
    expect(await deleteDataset(sql, a, n.id)).toMatchObject({ id: n.id, graphFile: 'gone.lcg' });
    expect(await getDataset(sql, a, n.id)).toBeNull();
    expect(await deleteDataset(sql, a, n.id)).toBeNull();
  });

  it('another owner cannot read, list, replace or delete a dataset: it behaves as not found', async () => {
    const mine = await createDataset(sql, a, clinics);
    expect(await getDataset(sql, b, mine.id)).toBeNull();
    expect((await listDatasets(sql, b)).map((d) => d.id)).not.toContain(mine.id);
    expect(await replaceDataset(sql, b, mine.id, { ...clinics, name: 'hijacked' })).toBeNull();
    expect(await replaceDataset(sql, b, mine.id, network('x.lcg'))).toBeNull(); // not even "wrong kind"
    expect(await deleteDataset(sql, b, mine.id)).toBeNull();
    expect(await getDataset(sql, a, mine.id)).toEqual(mine);
    expect(await getDataset(sql, b, 'ds_nonexistent')).toBeNull();
  });
});
