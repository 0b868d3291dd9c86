/**
 * The OSM readers on the real extracts of ../shared/data, checked against the counts osmium
 * computed for SOURCE.md, and XML against PBF encodings of the same data.
 */
import { createReadStream, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readOsm, type OsmReadStats } from '../../src/core/io/osm/read-osm.ts';
import { CollectingSink, plainLine } from './collecting-sink.ts';
import { dataFile, documentedCounts } from './shared-data.ts';
import { fileBytes } from '../../src/runtime/files/file-bytes.ts';

interface Extract {
  city: string;
  file: string;
  format: OsmReadStats['format'];
  compression: OsmReadStats['compression'];
  /** `route=ferry` ways without a `highway` tag, which SOURCE.md's highway count leaves out. */
  ferryOnlyWays: number;
  /** Highway ways of a single node in the data itself, which no reader can use. */
  singleNodeWays: string[];
}

const EXTRACTS: Extract[] = [
  {
    city: 'monaco',
    file: 'monaco/monaco.osm.pbf',
    format: 'pbf',
    compression: 'none',
    ferryOnlyWays: 1, // "Bateau Bus"
    singleNodeWays: ['way/156571105', 'way/170077901', 'way/224823020'],
  },
  { city: 'liechtenstein', file: 'liechtenstein/liechtenstein.osm.pbf', format: 'pbf', compression: 'none', ferryOnlyWays: 0, singleNodeWays: [] },
  { city: 'chengdu', file: 'chengdu/chengdu.osm', format: 'xml', compression: 'none', ferryOnlyWays: 0, singleNodeWays: [] },
  { city: 'chengdu', file: 'chengdu/chengdu.osm.pbf', format: 'pbf', compression: 'none', ferryOnlyWays: 0, singleNodeWays: [] },
  { city: 'taipei-zhongshan', file: 'taipei-zhongshan/taipei-zhongshan.osm', format: 'xml', compression: 'none', ferryOnlyWays: 0, singleNodeWays: [] },
  { city: 'taipei-zhongshan', file: 'taipei-zhongshan/taipei-zhongshan.osm.pbf', format: 'pbf', compression: 'none', ferryOnlyWays: 0, singleNodeWays: [] },
  { city: 'north-bayreuth-rural', file: 'north-bayreuth-rural/north-bayreuth.osm.gz', format: 'xml', compression: 'gzip', ferryOnlyWays: 0, singleNodeWays: [] },
];

/** Each file is read once and shared by the tests below. */
const reads = new Map<string, Promise<{ sink: CollectingSink; stats: OsmReadStats }>>();
function readExtract(file: string) {
  let result = reads.get(file);
  if (!result) {
    const sink = new CollectingSink();
    result = readOsm(fileBytes(dataFile(file)), sink).then((stats) => ({ sink, stats }));
    reads.set(file, result);
  }
  return result;
}

describe.each(EXTRACTS)('readOsm on $file', (extract) => {
  it('counts the nodes, ways and relations SOURCE.md documents', async () => {
    const documented = documentedCounts(extract.city);
    const { stats } = await readExtract(extract.file);
    expect(stats).toMatchObject({
      format: extract.format,
      compression: extract.compression,
      bytesRead: statSync(dataFile(extract.file)).size,
      nodes: documented.nodes,
      ways: documented.ways,
      relations: documented.relations,
    });
  });

  it('takes every highway way (and ferries) as a candidate, and emits all usable ones', async () => {
    const documented = documentedCounts(extract.city);
    const { stats, sink } = await readExtract(extract.file);
    expect(stats.candidateWays).toBe(documented.highwayWays + extract.ferryOnlyWays);
    const ferryOnly = sink.lines.filter((l) => l.tags.route === 'ferry' && l.tags.highway === undefined);
    expect(ferryOnly).toHaveLength(extract.ferryOnlyWays);
    expect(sink.rejected.map((r) => r.ref)).toEqual(extract.singleNodeWays);
    expect(stats.rejectedWays).toBe(extract.singleNodeWays.length);
    if (documented.refsComplete) {
      expect(stats.missingNodeRefs).toBe(0);
      // Nothing to split: one line per usable way.
      expect(stats.linesEmitted).toBe(stats.candidateWays - stats.rejectedWays);
    }
    expect(sink.lines).toHaveLength(stats.linesEmitted);
  });

  it('emits well-formed lines inside the documented node bounding box', async () => {
    const [minLon, minLat, maxLon, maxLat] = documentedCounts(extract.city).nodeBbox;
    const { stats, sink } = await readExtract(extract.file);
    for (const line of sink.lines) {
      expect(line.ref).toMatch(/^way\/\d+$/);
      expect(line.nodeIds!.length).toBeGreaterThanOrEqual(2);
      expect(line.coords.length).toBe(2 * line.nodeIds!.length);
    }
    const [bMinLon, bMinLat, bMaxLon, bMaxLat] = stats.bbox!;
    expect(bMinLon).toBeGreaterThanOrEqual(minLon);
    expect(bMinLat).toBeGreaterThanOrEqual(minLat);
    expect(bMaxLon).toBeLessThanOrEqual(maxLon);
    expect(bMaxLat).toBeLessThanOrEqual(maxLat);
  });
});

describe('the same data in XML and PBF gives identical lines', () => {
  it.each([
    ['chengdu/chengdu.osm', 'chengdu/chengdu.osm.pbf'],
    ['taipei-zhongshan/taipei-zhongshan.osm', 'taipei-zhongshan/taipei-zhongshan.osm.pbf'],
  ])('%s and %s', async (xmlFile, pbfFile) => {
    const xml = await readExtract(xmlFile);
    const pbf = await readExtract(pbfFile);
    expect(pbf.sink.lines.length).toBeGreaterThan(0);
    expect(pbf.sink.lines.map(plainLine)).toEqual(xml.sink.lines.map(plainLine));
    const { format: _x, bytesRead: _xb, ...xmlStats } = xml.stats;
    const { format: _p, bytesRead: _pb, ...pbfStats } = pbf.stats;
    expect(pbfStats).toEqual(xmlStats);
  });
});

describe('a byte stream (an upload) reads like the file', () => {
  it.each(['taipei-zhongshan/taipei-zhongshan.osm.pbf', 'north-bayreuth-rural/north-bayreuth.osm.gz'])(
    '%s',
    async (file) => {
      const fromPath = await readExtract(file);
      const sink = new CollectingSink();
      const stats = await readOsm(createReadStream(dataFile(file)), sink);
      expect(stats).toEqual(fromPath.stats);
      expect(sink.lines.map(plainLine)).toEqual(fromPath.sink.lines.map(plainLine));
    },
  );
});
