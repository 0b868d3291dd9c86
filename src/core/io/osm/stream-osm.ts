/**
 * Opens any supported OSM input — `.osm` XML, gzip-compressed XML, `.osm.pbf` — from a path or a
 * byte stream, and streams its elements to an `OsmHandler`. Format-independent consumers (roads now,
 * facilities next) are handlers; this module is the only one that knows about formats.
 */
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream';
import { basename } from 'node:path';
import { InputError } from '../../errors.ts';
import { type ByteInput, countedBytes, peekBytes, type PeekedBytes } from './byte-source.ts';
import {
  formatFromName,
  sniffFormat,
  SNIFF_BYTES,
  type Compression,
  type OsmEncoding,
  type SniffedFormat,
} from './detect-format.ts';
import type { OsmHandler } from './osm-handler.ts';
import { parseOsmPbf } from './osm-pbf.ts';
import { parseOsmXml } from './osm-xml.ts';

export interface StreamOsmOptions {
  /**
   * `auto` (default) recognises the encoding from the first bytes, then from the file name.
   * gzip is always recognised and undone, whatever the format.
   */
  format?: OsmEncoding | 'auto';
}

export interface OsmStreamInfo {
  format: OsmEncoding;
  compression: Compression;
  /** Bytes read from the source, compressed size for gzip. */
  bytesRead: number;
}

/**
 * Resolves once every element has been handed over. Rejects with `InputError` `UNSUPPORTED_FORMAT`
 * (not OSM, or bzip2) or `INVALID_OSM` (malformed, truncated, empty); file-system errors (ENOENT...)
 * are passed on unchanged.
 */
export async function streamOsm(
  source: ByteInput,
  handler: OsmHandler,
  opts: StreamOsmOptions = {},
): Promise<OsmStreamInfo> {
  const requested = opts.format ?? 'auto';
  if (requested !== 'auto' && requested !== 'xml' && requested !== 'pbf') {
    throw new InputError('INVALID_PARAMETER', `format is ${JSON.stringify(requested)}: expected "xml", "pbf" or "auto"`, {
      where: 'format',
    });
  }
  const input = countedBytes(source);
  const name = input.name === undefined ? undefined : basename(input.name);
  const fromName = name === undefined ? undefined : formatFromName(name);
  try {
    let bytes = await peekBytes(input.chunks, SNIFF_BYTES);
    let sniffed = sniffFormat(bytes.head);
    let compression: Compression = 'none';
    if (sniffed === 'gzip') {
      compression = 'gzip';
      // Callback-style pipeline: errors of either side reach the gunzip stream we read from.
      const gunzip = pipeline(bytes.stream, createGunzip(), () => {});
      bytes = await peekBytes(gunzip, SNIFF_BYTES);
      sniffed = sniffFormat(bytes.head);
    }
    if (bytes.head.length === 0) {
      await bytes.cancel();
      throw new InputError('INVALID_OSM', `osm: the input is empty${compression === 'gzip' ? ' once decompressed' : ''}`);
    }
    const format = chooseEncoding(requested, sniffed, fromName?.encoding);
    if (format === undefined) {
      await bytes.cancel();
      throw unsupported(sniffed, bytes, name);
    }
    if (format === 'xml') await parseOsmXml(bytes.stream, handler);
    else await parseOsmPbf(bytes.stream, handler);
    return { format, compression, bytesRead: input.bytesRead() };
  } catch (err) {
    throw asInputError(err);
  }
}

function chooseEncoding(
  requested: OsmEncoding | 'auto',
  sniffed: SniffedFormat,
  fromName: OsmEncoding | undefined,
): OsmEncoding | undefined {
  if (sniffed === 'bzip2') return undefined;
  if (requested !== 'auto') return requested;
  if (sniffed === 'xml' || sniffed === 'pbf') return sniffed;
  return fromName;
}

function unsupported(sniffed: SniffedFormat, bytes: PeekedBytes, name: string | undefined): InputError {
  const expected = 'expected OSM XML (.osm), gzip-compressed OSM XML (.osm.gz) or OSM PBF (.osm.pbf)';
  if (sniffed === 'bzip2') {
    return new InputError('UNSUPPORTED_FORMAT', `osm: bzip2-compressed input is not supported: ${expected}`);
  }
  const firstBytes = [...bytes.head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const what = name === undefined ? `input starting with bytes ${firstBytes}` : `${name} (first bytes ${firstBytes})`;
  return new InputError('UNSUPPORTED_FORMAT', `osm: unrecognised format of ${what}: ${expected}`);
}

/** zlib errors (truncated or corrupt gzip) are input errors; anything else is passed on. */
function asInputError(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (!(err instanceof InputError) && typeof code === 'string' && code.startsWith('Z_')) {
    return new InputError('INVALID_OSM', `osm: gzip: ${(err as Error).message}`);
  }
  return err;
}
