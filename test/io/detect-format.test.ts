import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatFromName, sniffFormat, SNIFF_BYTES } from '../../src/core/io/osm/detect-format.ts';
import { dataFile } from './shared-data.ts';

const head = (file: string) => readFileSync(dataFile(file)).subarray(0, SNIFF_BYTES);

describe('sniffFormat', () => {
  it('recognises the real files', () => {
    expect(sniffFormat(head('monaco/monaco.osm.pbf'))).toBe('pbf');
    expect(sniffFormat(head('chengdu/chengdu.osm'))).toBe('xml');
    expect(sniffFormat(head('north-bayreuth-rural/north-bayreuth.osm.gz'))).toBe('gzip');
  });

  it('finds XML after a byte-order mark and whitespace', () => {
    expect(sniffFormat(Buffer.from('\uFEFF \r\n\t<osm>'))).toBe('xml');
    expect(sniffFormat(Buffer.from('   '))).toBeUndefined();
  });

  it('recognises bzip2, and nothing in text or short input', () => {
    expect(sniffFormat(Buffer.from('BZh91AY&SY'))).toBe('bzip2');
    expect(sniffFormat(Buffer.from('{"type":"FeatureCollection"}'))).toBeUndefined();
    expect(sniffFormat(Buffer.from([0, 0, 0]))).toBeUndefined();
    expect(sniffFormat(Buffer.alloc(0))).toBeUndefined();
  });

  it('wants the PBF BlobHeader type to be OSMHeader or OSMData', () => {
    const blob = (type: string) => Buffer.concat([Buffer.from([0, 0, 0, 13, 0x0a, type.length]), Buffer.from(type)]);
    expect(sniffFormat(blob('OSMHeader'))).toBe('pbf');
    expect(sniffFormat(blob('OSMData'))).toBe('pbf');
    expect(sniffFormat(blob('Other'))).toBeUndefined();
  });
});

describe('formatFromName', () => {
  it.each([
    ['a.osm.pbf', { encoding: 'pbf', compression: 'none' }],
    ['A.OSM', { encoding: 'xml', compression: 'none' }],
    ['a.osm.gz', { encoding: 'xml', compression: 'gzip' }],
    ['a.xml', { encoding: 'xml', compression: 'none' }],
    ['a.bin', { compression: 'none' }],
  ])('%s', (name, expected) => {
    expect(formatFromName(name)).toEqual(expected);
  });
});
