import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { gzipSync, strToU8 } from 'fflate';
import type { Geometry } from 'geojson';
import type { CommunityReport } from '../../core/coverage/coverage.ts';

/**
 * How a run's piece is kept (src/runtime/store/run-pieces.ts): the communities' reports and their geometries,
 * each a JSON array, gzip'd — a city's report is ~20 KB of very repetitive JSON per community, about a
 * tenth of that compressed, so the embedded store holds 40,000 communities without running out of
 * memory. Encoded in the job's thread; decoded on the zlib thread pool, never on the event loop.
 *
 * Encoded with fflate (JavaScript), not node:zlib: a job's thread is terminated when its job is
 * cancelled or its lease lost, and Node aborts the whole process when a worker thread is torn down
 * inside a native zlib call ("CompressionStream::Close: close before init", seen in CI). A thread
 * running plain JavaScript can be stopped at any point.
 */
export interface EncodedPiece {
  first: number;
  count: number;
  reports: Uint8Array;
  geometries: Uint8Array;
}

export function encodePiece(first: number, reports: readonly CommunityReport[], geometries: readonly Geometry[]): EncodedPiece {
  if (reports.length !== geometries.length) throw new Error(`piece at ${first}: got ${reports.length} reports and ${geometries.length} geometries, expected as many`);
  // Standard gzip (the store's pieces read back with node:zlib): arrays of their own, so posting them can transfer them.
  return { first, count: reports.length, reports: gzipSync(strToU8(JSON.stringify(reports)), { level: 6 }), geometries: gzipSync(strToU8(JSON.stringify(geometries)), { level: 6 }) };
}

const gunzipAsync = promisify(gunzip);

/** The reports' JSON text (an array), as the job wrote it. */
export async function pieceReportsText(reports: Uint8Array): Promise<string> {
  return (await gunzipAsync(reports)).toString('utf8');
}

export async function decodeReports(reports: Uint8Array): Promise<CommunityReport[]> {
  return JSON.parse(await pieceReportsText(reports)) as CommunityReport[];
}

export async function decodeGeometries(geometries: Uint8Array): Promise<Geometry[]> {
  return JSON.parse((await gunzipAsync(geometries)).toString('utf8')) as Geometry[];
}
