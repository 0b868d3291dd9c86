/**
 * Reads the road network of an OpenStreetMap file or upload into a `LineSink`: one `RawLine` per
 * highway or ferry way, with all its tags (the travel-mode profiles, not this reader, decide what
 * they mean).
 *
 * Other consumers of the same file (points of interest: `PoiCollector`) can ride along in the same
 * pass through `also`, instead of parsing the file again.
 */
import type { LineSink } from '../../network/raw-line.ts';
import type { Compression, OsmEncoding } from './detect-format.ts';
import { fanOut } from './fan-out.ts';
import type { OsmHandler } from './osm-handler.ts';
import { streamOsm, type StreamOsmOptions } from './stream-osm.ts';
import { RoadWayCollector } from './way-collector.ts';
import type { ByteInput } from './byte-source.ts';

export interface ReadOsmOptions extends StreamOsmOptions {
  /** More handlers fed in the same pass, after the road collector (e.g. a `PoiCollector`). */
  also?: readonly OsmHandler[];
}

export interface OsmReadStats {
  format: OsmEncoding;
  compression: Compression;
  /** Bytes read from the source (compressed size for gzip). */
  bytesRead: number;
  nodes: number;
  ways: number;
  relations: number;
  /** Ways with a `highway` tag or `route=ferry`. */
  candidateWays: number;
  /** Lines sent to the sink: a candidate way split at missing nodes gives several. */
  linesEmitted: number;
  /** References from candidate ways to nodes absent from the file (or with invalid coordinates). */
  missingNodeRefs: number;
  /** Candidate ways with nothing usable left, each also reported through `sink.reject`. */
  rejectedWays: number;
  /** [minLon, minLat, maxLon, maxLat] of the emitted lines; undefined when none was emitted. */
  bbox: [number, number, number, number] | undefined;
}

/**
 * `source` is a file path or a byte stream. Streams the input once, keeping node positions and road
 * ways in typed arrays, and emits the lines after the end (files may list ways before nodes).
 * Rejects with `InputError` (`UNSUPPORTED_FORMAT`, `INVALID_OSM`) on unusable input.
 */
export async function readOsm(
  source: ByteInput,
  sink: LineSink,
  opts: ReadOsmOptions = {},
): Promise<OsmReadStats> {
  const collector = new RoadWayCollector();
  const handler = fanOut([collector, ...(opts.also ?? [])]);
  const { format, compression, bytesRead } = await streamOsm(source, handler, opts);
  const emitted = collector.emitLines(sink);
  return { format, compression, bytesRead, ...collector.counts, ...emitted };
}
