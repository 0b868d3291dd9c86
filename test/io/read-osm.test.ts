import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readOsm } from '../../src/core/io/osm/read-osm.ts';
import { CollectingSink, plainLine } from './collecting-sink.ts';

/** Bytes as an upload would deliver them: a stream without a file name, in small chunks. */
function upload(bytes: Buffer | string, chunkSize = 7): Readable {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunkSize) chunks.push(buffer.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

async function read(bytes: Buffer | string, opts = {}) {
  const sink = new CollectingSink();
  const stats = await readOsm(upload(bytes), sink, opts);
  return { sink, stats, lines: sink.lines.map(plainLine) };
}

const osm = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">\n${body}\n</osm>\n`;

/*
 * A small town, 0.001° apart:
 *
 *   1 ---- 2 ---- 3        way 10: 1-2-3 (residential, oneway)
 *          |               way 11: 2-4 (footway)
 *          4 ---- 5        way 12: 4-5-4 closed (pedestrian area)
 *                          way 13: 3-5 (building: not a road)   way 14: 1-5 ferry
 */
const NODES = `
  <node id="1" lat="30.000" lon="104.000"/>
  <node id="2" lat="30.000" lon="104.001"><tag k="highway" v="crossing"/></node>
  <node id="3" lat="30.000" lon="104.002"/>
  <node id="4" lat="29.999" lon="104.001"/>
  <node id="5" lat="29.999" lon="104.002"/>`;
const WAYS = `
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="oneway" v="yes"/><tag k="name" v="成华大道"/></way>
  <way id="11"><nd ref="2"/><nd ref="4"/><tag k="highway" v="footway"/></way>
  <way id="12"><nd ref="4"/><nd ref="5"/><nd ref="4"/><tag k="highway" v="pedestrian"/><tag k="area" v="yes"/></way>
  <way id="13"><nd ref="3"/><nd ref="5"/><tag k="building" v="yes"/></way>
  <way id="14"><nd ref="1"/><nd ref="5"/><tag k="route" v="ferry"/></way>`;
const RELATIONS = `
  <relation id="100"><member type="way" ref="10" role=""/><tag k="type" v="route"/></relation>`;

describe('readOsm on OSM XML', () => {
  it('emits highway and ferry ways with all their tags, node ids and coordinates', async () => {
    const { lines, stats, sink } = await read(osm(NODES + WAYS + RELATIONS));
    expect(lines).toEqual([
      {
        ref: 'way/10',
        nodeIds: [1, 2, 3],
        coords: [104, 30, 104.001, 30, 104.002, 30],
        tags: { highway: 'residential', oneway: 'yes', name: '成华大道' },
      },
      { ref: 'way/11', nodeIds: [2, 4], coords: [104.001, 30, 104.001, 29.999], tags: { highway: 'footway' } },
      {
        ref: 'way/12',
        nodeIds: [4, 5, 4],
        coords: [104.001, 29.999, 104.002, 29.999, 104.001, 29.999],
        tags: { highway: 'pedestrian', area: 'yes' },
      },
      { ref: 'way/14', nodeIds: [1, 5], coords: [104, 30, 104.002, 29.999], tags: { route: 'ferry' } },
    ]);
    expect(sink.rejected).toEqual([]);
    expect(stats).toMatchObject({
      format: 'xml',
      compression: 'none',
      nodes: 5,
      ways: 5,
      relations: 1,
      candidateWays: 4,
      linesEmitted: 4,
      missingNodeRefs: 0,
      rejectedWays: 0,
      bbox: [104, 29.999, 104.002, 30],
    });
    expect(stats.bytesRead).toBe(Buffer.byteLength(osm(NODES + WAYS + RELATIONS)));
  });

  it('gives the same lines when ways come before nodes (unsorted file)', async () => {
    const sorted = await read(osm(NODES + WAYS + RELATIONS));
    const unsorted = await read(osm(RELATIONS + WAYS + NODES));
    expect(unsorted.lines).toEqual(sorted.lines);
    expect(unsorted.stats).toEqual(sorted.stats);
  });

  it('reads gzip-compressed XML from a stream, and XML after a byte-order mark and blank lines', async () => {
    const plain = await read(osm(NODES + WAYS));
    const gzipped = await read(gzipSync(osm(NODES + WAYS)));
    expect(gzipped.lines).toEqual(plain.lines);
    expect(gzipped.stats).toMatchObject({ format: 'xml', compression: 'gzip' });
    const withBom = await read(`\uFEFF\n\n  ${osm(NODES + WAYS)}`);
    expect(withBom.lines).toEqual(plain.lines);
    const undeclared = await read(`\n<osm version="0.6">${NODES + WAYS}</osm>`);
    expect(undeclared.lines).toEqual(plain.lines);
  });

  it('splits a way at missing nodes, keeping the pieces with two or more nodes', async () => {
    const xml = osm(`${NODES}
      <way id="20"><nd ref="1"/><nd ref="2"/><nd ref="99"/><nd ref="3"/><nd ref="5"/><nd ref="98"/><nd ref="4"/>
        <tag k="highway" v="service"/></way>`);
    const { lines, stats, sink } = await read(xml);
    expect(lines.map((l) => [l.ref, l.nodeIds])).toEqual([
      ['way/20', [1, 2]],
      ['way/20', [3, 5]],
    ]);
    expect(stats).toMatchObject({ candidateWays: 1, linesEmitted: 2, missingNodeRefs: 2, rejectedWays: 0 });
    expect(sink.rejected).toEqual([]);
  });

  it('rejects a way with nothing usable left, saying why', async () => {
    const xml = osm(`${NODES}
      <way id="21"><nd ref="1"/><nd ref="99"/><nd ref="3"/><tag k="highway" v="track"/></way>
      <way id="22"><nd ref="1"/><tag k="highway" v="track"/></way>
      <way id="23"><nd ref="1"/><nd ref="1"/><tag k="highway" v="track"/></way>`);
    const { stats, sink } = await read(xml);
    expect(sink.rejected).toEqual([
      {
        ref: 'way/21',
        reason:
          '1 of 3 node references are not in the file or have invalid coordinates: expected at least 2 consecutive usable nodes',
      },
      { ref: 'way/22', reason: 'way has 1 node reference: expected at least 2' },
      { ref: 'way/23', reason: 'way references a single node 2 times: expected at least 2 distinct nodes' },
    ]);
    expect(stats).toMatchObject({ candidateWays: 3, linesEmitted: 0, missingNodeRefs: 1, rejectedWays: 3, bbox: undefined });
  });

  it('treats a node with unusable coordinates as missing, and drops a node repeated back to back', async () => {
    const xml = osm(`
      <node id="1" lat="30" lon="104"/><node id="2" lat="95" lon="104"/><node id="3" lat="30" lon="104.001"/>
      <node id="4" lon="104.002"/><node id="5" lat="30" lon="104.003"/>
      <way id="30"><nd ref="1"/><nd ref="3"/><nd ref="3"/><nd ref="2"/><nd ref="5"/><nd ref="4"/><nd ref="1"/><tag k="highway" v="path"/></way>`);
    const { lines, stats } = await read(xml);
    expect(lines.map((l) => l.nodeIds)).toEqual([[1, 3]]);
    expect(stats).toMatchObject({ nodes: 5, missingNodeRefs: 2, linesEmitted: 1 });
  });

  it('keeps node ids beyond 2^32 and negative ids (new objects in JOSM files) exact', async () => {
    const xml = osm(`
      <node id="11453087603" lat="25.05" lon="121.52"/><node id="-5" lat="25.06" lon="121.53"/>
      <way id="1124367949"><nd ref="11453087603"/><nd ref="-5"/><tag k="highway" v="primary"/></way>`);
    const { lines } = await read(xml);
    expect(lines).toEqual([
      { ref: 'way/1124367949', nodeIds: [11453087603, -5], coords: [121.52, 25.05, 121.53, 25.06], tags: { highway: 'primary' } },
    ]);
  });

  it('skips objects a JOSM file marks as deleted', async () => {
    const xml = osm(`${NODES}
      <way id="40" action="delete"><nd ref="1"/><nd ref="2"/><tag k="highway" v="service"/></way>
      <way id="41" action="modify"><nd ref="1"/><nd ref="2"/><tag k="highway" v="service"/></way>`);
    const { lines, stats } = await read(xml);
    expect(lines.map((l) => l.ref)).toEqual(['way/41']);
    expect(stats.ways).toBe(1);
  });

  it('accepts a file without roads (the builder reports the empty network)', async () => {
    const { lines, stats } = await read(osm(NODES));
    expect(lines).toEqual([]);
    expect(stats).toMatchObject({ nodes: 5, candidateWays: 0, linesEmitted: 0, bbox: undefined });
  });
});
