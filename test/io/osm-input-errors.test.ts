import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { readOsm, type ReadOsmOptions } from '../../src/core/io/osm/read-osm.ts';
import { CollectingSink } from './collecting-sink.ts';
import { dataFile } from './shared-data.ts';
import { fileBytes } from '../../src/runtime/files/file-bytes.ts';

/** Runs readOsm and returns the InputError it must reject with. */
async function inputError(source: string | Buffer, opts: ReadOsmOptions = {}): Promise<InputError> {
  const input = typeof source === 'string' ? fileBytes(source) : Readable.from([source]);
  const error = await readOsm(input, new CollectingSink(), opts).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

/** Seeded, so that a failure can be replayed. */
function randomBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

describe('readOsm on bad input: an InputError, never a crash', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lifecircle-osm-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('malformed XML → INVALID_OSM with the position saxes reports', async () => {
    const error = await inputError(Buffer.from('<osm>\n<node id="1" lat="1" lon="2">\n</osm>'));
    expect(error.code).toBe('INVALID_OSM');
    expect(error.message).toMatch(/^osm xml: 3:\d+: unexpected close tag/);
  });

  it('XML that is not OSM → INVALID_OSM', async () => {
    const error = await inputError(Buffer.from('<html><body>404</body></html>'));
    expect(error.code).toBe('INVALID_OSM');
    expect(error.message).toMatch(/root element is <html>: expected <osm>/);
  });

  it('an id that is not an integer → INVALID_OSM naming it', async () => {
    const error = await inputError(Buffer.from('<osm><way id="w1"><nd ref="1"/></way></osm>'));
    expect(error.message).toMatch(/way id is "w1": expected an integer/);
  });

  it('XML that is not UTF-8 → INVALID_OSM', async () => {
    const latin1 = Buffer.from('<osm><node id="1" lat="1" lon="1"><tag k="name" v="Stra\u00dfe"/></node></osm>', 'latin1');
    const error = await inputError(latin1);
    expect(error.message).toMatch(/invalid UTF-8/);
  });

  it('truncated gzip → INVALID_OSM', async () => {
    const gz = readFileSync(dataFile('north-bayreuth-rural/north-bayreuth.osm.gz'));
    const error = await inputError(gz.subarray(0, 200_000));
    expect(error.code).toBe('INVALID_OSM');
    expect(error.message).toBe('osm: gzip: unexpected end of file');
  });

  it('truncated PBF → INVALID_OSM saying where it ends', async () => {
    const pbf = readFileSync(dataFile('taipei-zhongshan/taipei-zhongshan.osm.pbf'));
    const path = join(dir, 'cut.osm.pbf');
    await writeFile(path, pbf.subarray(0, 40_000));
    const error = await inputError(path);
    expect(error.code).toBe('INVALID_OSM');
    expect(error.message).toMatch(/^osm pbf: the file is truncated: it ends inside a block/);
  });

  it('PBF with corrupted blocks → INVALID_OSM', async () => {
    const pbf = Buffer.from(readFileSync(dataFile('taipei-zhongshan/taipei-zhongshan.osm.pbf')));
    randomBytes(2000, 7).copy(pbf, 30_000);
    const error = await inputError(pbf);
    expect(error.code).toBe('INVALID_OSM');
    expect(error.message).toMatch(/^osm pbf: /);
  });

  it('XML read as PBF → INVALID_OSM at the first block header, without buffering the rest', async () => {
    const error = await inputError(dataFile('chengdu/chengdu.osm'), { format: 'pbf' });
    expect(error.code).toBe('INVALID_OSM');
    expect(error.message).toMatch(/^osm pbf: a block header announces \d+ bytes: expected at most 65536/);
  });

  it.each([1, 2, 3])('random bytes (seed %i) → UNSUPPORTED_FORMAT, or INVALID_OSM when a format is forced', async (seed) => {
    const bytes = randomBytes(5000, seed);
    bytes[0] = 0x00; // not '<', not gzip magic
    expect((await inputError(bytes)).code).toBe('UNSUPPORTED_FORMAT');
    expect((await inputError(bytes, { format: 'pbf' })).code).toBe('INVALID_OSM');
    expect((await inputError(bytes, { format: 'xml' })).code).toBe('INVALID_OSM');
  });

  it('random bytes named .osm.pbf → parsed as PBF (the extension fallback) → INVALID_OSM', async () => {
    const path = join(dir, 'noise.osm.pbf');
    await writeFile(path, randomBytes(3000, 11));
    expect((await inputError(path)).code).toBe('INVALID_OSM');
  });

  it('bzip2 → UNSUPPORTED_FORMAT saying so', async () => {
    const error = await inputError(Buffer.concat([Buffer.from('BZh91AY&SY'), randomBytes(100, 5)]));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.message).toMatch(/bzip2-compressed input is not supported/);
  });

  it('empty input → INVALID_OSM', async () => {
    expect((await inputError(Buffer.alloc(0))).message).toBe('osm: the input is empty');
    expect((await inputError(Buffer.alloc(0), { format: 'pbf' })).message).toBe('osm: the input is empty');
  });

  it('an unknown format option → INVALID_PARAMETER, before anything is read', async () => {
    const error = await inputError(Buffer.from('<osm/>'), { format: 'o5m' as never });
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toBe('format is "o5m": expected "xml", "pbf" or "auto"');
  });

  it('a stream that fails midway → its own error, not a crash', async () => {
    async function* failing() {
      yield Buffer.from('<osm><node id="1" lat="1" lon="1"/>');
      throw new Error('connection reset');
    }
    const error = await readOsm(Readable.from(failing()), new CollectingSink()).catch((err: unknown) => err);
    expect((error as Error).message).toBe('connection reset');
  });

  it('a missing file → the file-system error, not an InputError', async () => {
    const error = await readOsm(fileBytes(join(dir, 'nope.osm')), new CollectingSink()).catch((err: unknown) => err);
    expect(error).not.toBeInstanceOf(InputError);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
