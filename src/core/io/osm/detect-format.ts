/**
 * Recognises OSM encodings from their first bytes, with the file name as a fallback. Content wins
 * over the name because uploads arrive with arbitrary names (or none).
 */

export type OsmEncoding = 'xml' | 'pbf';
export type Compression = 'gzip' | 'none';

/** What the first bytes are: an OSM encoding, a compression layer to peel off first, or unknown. */
export type SniffedFormat = OsmEncoding | 'gzip' | 'bzip2' | undefined;

/** How many leading bytes `sniffFormat` wants to see (fewer is fine at the end of a short input). */
export const SNIFF_BYTES = 64;

export function sniffFormat(head: Uint8Array): SniffedFormat {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return 'bzip2'; // "BZh"
  if (looksLikeXml(head)) return 'xml';
  if (looksLikePbf(head)) return 'pbf';
  return undefined;
}

/** The encoding and compression a file name promises, e.g. `x.osm.gz` → xml + gzip. */
export function formatFromName(name: string): { encoding?: OsmEncoding; compression: Compression } {
  const lower = name.toLowerCase();
  const compression: Compression = lower.endsWith('.gz') ? 'gzip' : 'none';
  const base = compression === 'gzip' ? lower.slice(0, -3) : lower;
  if (base.endsWith('.pbf')) return { encoding: 'pbf', compression };
  if (base.endsWith('.osm') || base.endsWith('.xml')) return { encoding: 'xml', compression };
  return { compression };
}

/** `<` as the first character, after an optional UTF-8 byte-order mark and whitespace. */
function looksLikeXml(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  return i < head.length && head[i] === 0x3c;
}

/**
 * A PBF file is a sequence of (4-byte big-endian header length, BlobHeader, Blob); the BlobHeader
 * starts with field 1 (`type`, a string: tag byte 0x0a, then its length) and the first one is
 * "OSMHeader". The spec caps a BlobHeader at 64 KiB, which rules out most random prefixes.
 */
function looksLikePbf(head: Uint8Array): boolean {
  if (head.length < 6) return false;
  const headerLength = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  if (headerLength === 0 || headerLength > 64 * 1024 || head[4] !== 0x0a) return false;
  const typeLength = head[5];
  if (head.length < 6 + typeLength) return false;
  const type = new TextDecoder().decode(head.subarray(6, 6 + typeLength));
  return type === 'OSMHeader' || type === 'OSMData';
}
