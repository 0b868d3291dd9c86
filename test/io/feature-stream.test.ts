import { describe, expect, it } from 'vitest';
import { streamFeatureCollection } from '../../src/core/io/feature-stream.ts';
import { mulberry32 } from '../helpers/random-network.ts';

/** Feeds `text` in chunks cut at the given sizes (cycled), to put every boundary everywhere. */
async function* chunks(text: string | Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length];
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function read(text: string | Buffer, sizes = [1 << 20]) {
  const features: unknown[] = [];
  const result = await streamFeatureCollection(chunks(text, sizes), { label: 'upload', where: 'network' }, (f, i) => {
    expect(i).toBe(features.length);
    features.push(f);
  });
  return { ...result, list: features };
}

// Strings that look like structure: braces, brackets, commas, escaped quotes, a "features" key
// deeper down, multi-byte characters that chunk cuts split.
const TRICKY = {
  type: 'FeatureCollection',
  name: 'roads {of} [the] "city", 广州',
  crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
  features: [
    { type: 'Feature', properties: { name: 'a "quoted" \\ road, {x}', features: [1, 2] }, geometry: { type: 'LineString', coordinates: [[113.26, 23.13], [113.27, 23.13]] } },
    { type: 'Feature', properties: { name: '中山路]}', note: '\\"' }, geometry: { type: 'LineString', coordinates: [[113.27, 23.13], [113.28, 23.14]] } },
    null,
    'not a feature',
    [1, 2, { a: '}' }],
  ],
  bbox: [113.26, 23.13, 113.28, 23.14],
};

describe('streamFeatureCollection', () => {
  it('hands over every element of features and keeps the other members, whatever the chunk boundaries', async () => {
    const text = JSON.stringify(TRICKY, null, 1);
    const expected = { ...TRICKY, features: [] };
    for (const sizes of [[1 << 20], [1], [2, 3, 5, 7], [13], [64, 1, 1]]) {
      const got = await read(text, sizes);
      expect(got.list).toEqual(TRICKY.features);
      expect(got.features).toBe(TRICKY.features.length);
      expect(got.members).toEqual(expected);
    }
  });

  it('agrees with JSON.parse on random collections cut at random sizes', async () => {
    const random = mulberry32(7);
    const alphabet = ['a', '{', '}', '[', ']', ',', ':', '"', '\\', ' ', '好', '\n', 'é'];
    const word = () => Array.from({ length: Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let round = 0; round < 30; round++) {
      const features = Array.from({ length: Math.floor(random() * 20) }, (_, i) => ({
        type: 'Feature',
        id: i,
        properties: { [word()]: word(), nested: { list: [word(), random()] } },
        geometry: { type: 'LineString', coordinates: [[random(), random()], [random(), random()]] },
      }));
      const collection = { [word() || 'k']: word(), type: 'FeatureCollection', features, after: { x: [word()] } };
      const text = JSON.stringify(collection, null, round % 3);
      const sizes = Array.from({ length: 5 }, () => 1 + Math.floor(random() * 40));
      const got = await read(text, sizes);
      expect(got.list).toEqual(features);
      expect(got.members).toEqual({ ...collection, features: [] });
    }
  });

  it('reads an empty collection, a byte order mark, and features that are not an array as members', async () => {
    expect((await read('{"type":"FeatureCollection","features":[]}')).features).toBe(0);
    expect((await read('{"type":"FeatureCollection","features":[ \n ]}', [1])).features).toBe(0);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"type":"FeatureCollection","features":[{"a":1}]}')]);
    expect((await read(bom)).list).toEqual([{ a: 1 }]);
    // Not an array: left in the members for the caller to reject with its own message.
    expect((await read('{"type":"FeatureCollection","features":{"a":[1]}}')).members).toEqual({ type: 'FeatureCollection', features: { a: [1] } });
    expect((await read('[1, 2]')).members).toEqual([1, 2]);
  });

  it('rejects broken JSON with the feature index or the byte where it broke', async () => {
    const fail = (text: string) => read(text, [3]).then(() => undefined, (err: Error & { code?: string; featureIndex?: number; where?: string }) => err);
    const truncated = await fail('{"type":"FeatureCollection","features":[{"type":"Feature"}');
    expect(truncated).toMatchObject({ code: 'INVALID_GEOJSON', where: 'network', message: expect.stringMatching(/^upload: not valid JSON \(the file ends inside a value/) });
    expect(await fail('{"type":"FeatureCollection","features":[{"a":1},,{"b":2}]}')).toMatchObject({ featureIndex: 1, message: expect.stringMatching(/empty element in "features" after feature 0/) });
    expect(await fail('{"type":"FeatureCollection","features":[{"a":1},]}')).toMatchObject({ featureIndex: 1 });
    expect(await fail('{"type":"FeatureCollection","features":[{"a":1},{"b":NaN}]}')).toMatchObject({ featureIndex: 1, message: expect.stringMatching(/feature 1: /) });
    expect(await fail('{"type":"FeatureCollection" "x":1,"features":[]}')).toMatchObject({ code: 'INVALID_GEOJSON', message: expect.stringMatching(/^upload: not valid JSON/) });
    expect(await fail('{"features":[],"features":[]}')).toMatchObject({ message: expect.stringMatching(/a second "features" member/) });
    expect(await fail('{"a":1}}')).toMatchObject({ message: expect.stringMatching(/unexpected "}" at byte 7/) });
  });

  it('gives up on a huge file with no features array instead of keeping it all', async () => {
    const huge = `[${'1,'.repeat(9 * 1024 * 1024)}1]`;
    await expect(read(huge)).rejects.toMatchObject({ code: 'INVALID_GEOJSON', message: expect.stringMatching(/16 MB read without finding them/) });
  });
});
