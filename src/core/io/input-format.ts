import { GRAPH_FILE_MAGIC } from './graph-format.ts';
import { SNIFF_BYTES, sniffFormat } from './osm/detect-format.ts';

/**
 * The one place that says what an input file is, for every reader of networks and point sets (the
 * API's uploads, the CLI, the nightly, the server's defaults): told by its content type when an
 * upload names one, else by its first bytes, else by its file name's extension. Content wins over
 * the name, as for OSM files (osm/detect-format.ts): uploads arrive with arbitrary names, and a
 * `.json` holding OSM XML is read as what it is.
 *
 * CSV has no magic bytes: it is CSV by its content type or extension only. A file nothing
 * recognises is left `undefined`, for its reader to say what it expected.
 */
export type InputFormat =
  /** GeoJSON (or another JSON document: declaration rows). */
  | 'json'
  | 'csv'
  /** A zip archive: a zipped shapefile. */
  | 'zip'
  /** OpenStreetMap, XML or PBF, possibly gzip- or bzip2-compressed (osm/stream-osm.ts peels and tells). */
  | 'osm'
  /** A compiled graph file (graph-file.ts). */
  | 'lcg';

export interface InputDescription {
  /** The first bytes (`SNIFF_BYTES` are enough). */
  head?: Uint8Array;
  /** A file name or path. */
  name?: string;
  /** An upload's Content-Type header. */
  contentType?: string;
}

/** How many leading bytes `detectInputFormat` wants to see. */
/** How many first bytes tell a format (a file's reader, src/runtime/files/detect-file-format.ts, reads this many). */
export const INPUT_HEAD_BYTES = SNIFF_BYTES;

export function detectInputFormat(input: InputDescription): InputFormat | undefined {
  return formatOfContentType(input.contentType) ?? (input.head ? formatOfBytes(input.head) : undefined) ?? (input.name ? formatOfName(input.name) : undefined);
}

/**
 * The format a media type names; undefined for none or a generic one (`application/octet-stream`),
 * which the bytes then tell.
 */
export function formatOfContentType(contentType: string | undefined): InputFormat | undefined {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type === undefined ? undefined : MEDIA_TYPES[type];
}

/** What the first bytes are: a zip (PK), a graph file (its magic), OSM (XML `<`, PBF, gzip, bzip2) or JSON (`{`, `[`). */
export function formatOfBytes(head: Uint8Array): InputFormat | undefined {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && head[3] === head[2] + 1) return 'zip';
  if (head.length >= GRAPH_FILE_MAGIC.length && String.fromCharCode(...head.subarray(0, GRAPH_FILE_MAGIC.length)) === GRAPH_FILE_MAGIC) return 'lcg';
  if (sniffFormat(head) !== undefined) return 'osm';
  return startsWithJson(head) ? 'json' : undefined;
}

/** The format a file name's extension promises (`x.osm.gz` is OSM). */
export function formatOfName(name: string): InputFormat | undefined {
  const lower = name.toLowerCase();
  return EXTENSIONS.find(([extension]) => lower.endsWith(extension))?.[1];
}

const MEDIA_TYPES: Record<string, InputFormat> = {
  'application/json': 'json',
  'application/geo+json': 'json',
  'text/csv': 'csv',
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  'application/vnd.openstreetmap.data+xml': 'osm',
  'application/x-protobuf': 'osm',
};

const EXTENSIONS: readonly (readonly [string, InputFormat])[] = [
  ['.geojson', 'json'],
  ['.json', 'json'],
  ['.csv', 'csv'],
  ['.tsv', 'csv'],
  ['.zip', 'zip'],
  ['.osm', 'osm'],
  ['.osm.gz', 'osm'],
  ['.osm.bz2', 'osm'],
  ['.pbf', 'osm'],
  ['.lcg', 'lcg'],
];

/** `{` or `[` first, after an optional UTF-8 byte-order mark and whitespace. */
function startsWithJson(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  return head[i] === 0x7b || head[i] === 0x5b;
}
