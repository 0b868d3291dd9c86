import { randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { formatOfBytes } from '../../core/io/input-format.ts';
import { sniffFormat } from '../../core/io/osm/detect-format.ts';
import { ApiError } from './errors.ts';

/**
 * Uploaded bodies, taken as streams (the dataset routes' content-type parser hands them over as
 * they arrive): a network is spooled to a temporary file, never held in memory, and named by what
 * its first bytes are (the network reader tells the format by them too; the name is its fallback);
 * a point set is read into memory, within the body limit, to be parsed as JSON, CSV or a zip.
 */
export const UPLOAD_CONTENT_TYPES = [
  'application/octet-stream',
  'application/x-protobuf',
  'application/vnd.openstreetmap.data+xml',
  'application/xml',
  'application/gzip',
  'application/json',
  'application/geo+json',
  'text/csv',
  'application/zip',
  'application/x-zip-compressed',
];

export interface SpooledUpload {
  path: string;
  bytes: number;
  /** What the first bytes say the file is. */
  format: 'geojson' | 'osm' | 'osm.gz' | 'osm.pbf';
  remove(): void;
}

/** Writes `stream` to a file under the OS's temporary directory; 413 past `limitBytes` (the partial file is removed). */
export async function spoolToFile(stream: Readable, limitBytes: number, what: string): Promise<SpooledUpload> {
  const base = join(tmpdir(), `lifecircle-upload-${randomBytes(8).toString('hex')}`);
  let bytes = 0;
  let head = Buffer.alloc(0);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.byteLength;
      if (bytes > limitBytes) return done(tooLarge(limitBytes, what));
      if (head.byteLength < 64) head = Buffer.concat([head, chunk.subarray(0, 64)]);
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, counter, createWriteStream(base));
  } catch (err) {
    rmSync(base, { force: true });
    throw err;
  }
  if (bytes === 0) {
    rmSync(base, { force: true });
    throw new ApiError('INVALID_PARAMETER', `${what}: the body is empty, expected a network file`, what);
  }
  const format = sniffNetworkFormat(head);
  const path = `${base}.${format}`;
  renameSync(base, path);
  return { path, bytes, format, remove: () => rmSync(path, { force: true }) };
}

/** Reads a small upload whole; 413 past `limitBytes`. */
export async function readWhole(stream: Readable, limitBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).byteLength;
    if (bytes > limitBytes) {
      stream.destroy();
      throw tooLarge(limitBytes, what);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The file name's extension for what the first bytes are (src/core/io/input-format.ts): GeoJSON, OSM XML,
 * gzip (.osm.gz); anything else is taken for PBF (a big-endian header length, then "OSMHeader"),
 * whose reader says clearly when it is not.
 */
function sniffNetworkFormat(head: Buffer): SpooledUpload['format'] {
  const format = formatOfBytes(head);
  if (format === 'json') return 'geojson';
  const osm = format === 'osm' ? sniffFormat(head) : undefined;
  return osm === 'gzip' ? 'osm.gz' : osm === 'xml' ? 'osm' : 'osm.pbf';
}

function tooLarge(limitBytes: number, what: string): ApiError {
  const size = limitBytes >= 1 << 20 ? `${+(limitBytes / (1 << 20)).toFixed(1)} MiB` : `${limitBytes} bytes`;
  return new ApiError('BODY_TOO_LARGE', `${what}: the upload is larger than the limit of ${size}`, what);
}
