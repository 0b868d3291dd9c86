import { createReadStream } from 'node:fs';
import type { NamedBytes } from '../../core/io/osm/byte-source.ts';

/**
 * Large reads, because osm-pbf-parser-node concatenates its pending bytes with every incoming
 * chunk until a whole blob (up to 32 MiB) has arrived: 64 KiB chunks would copy a blob many times.
 */
const FILE_CHUNK_BYTES = 1 << 20;

/**
 * A file as the core's stream readers take it (OSM, GeoJSON networks): opened here, in the runtime,
 * so that the readers touch no file system; the name is the path, for messages and the extension
 * fallback. The file opens when the stream is first read; a missing file is an error then.
 */
export function fileBytes(path: string): NamedBytes {
  return { name: path, stream: createReadStream(path, { highWaterMark: FILE_CHUNK_BYTES }) };
}
