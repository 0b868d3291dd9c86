import { type Dirent, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Community } from '../../core/communities/read-communities.ts';
import type { CoverageReport } from '../../core/coverage/coverage.ts';
import { coverageCsvLines, coverageGeoJson } from '../../core/coverage/outputs.ts';
import { removeStaleTemporaries } from '../files/stale-temporaries.ts';
import { collectGarbage } from './memory.ts';

/**
 * The nightly's files, each written beside its place under a temporary name, flushed to disk and
 * renamed over it: a crash leaves the old file or the new one, never half of one under the real
 * name. Large ones (a city's CSV is ~150 MB) are written in chunks as they are produced, never held
 * whole as one string.
 */
export interface WrittenFile {
  file: string;
  bytes: number;
}

/** The three files of a job's report, in `dir`. */
export function writeReportFiles(dir: string, report: CoverageReport, communities: readonly Community[], summary: unknown): Record<string, WrittenFile> {
  mkdirSync(dir, { recursive: true });
  const geojson = writeChunksAtomic(join(dir, 'coverage.geojson'), geoJsonChunks(report, communities));
  collectGarbage();
  const csv = writeChunksAtomic(join(dir, 'coverage.csv'), csvChunks(report));
  const json = writeJsonAtomic(join(dir, 'summary.json'), summary);
  return { geojson, csv, summary: json };
}

/**
 * Removes what a crashed attempt left half-written in a date's folder (`<file>.tmp-<pid>` there and
 * in its jobs' folders), before this run writes any: the real files are untouched. Returns the paths.
 */
export function removeStaleTemporaryFiles(dateDir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dateDir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const jobDirs = entries.filter((e) => e.isDirectory()).map((e) => join(dateDir, e.name));
  return [dateDir, ...jobDirs].flatMap((dir) => removeStaleTemporaries(dir, temporaryPid));
}

export function writeJsonAtomic(path: string, value: unknown): WrittenFile {
  return writeChunksAtomic(path, [`${JSON.stringify(value, null, 2)}\n`]);
}

/** Writes the chunks to `path` atomically (temporary file, fsync, rename). */
function writeChunksAtomic(path: string, chunks: Iterable<string>): WrittenFile {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}${TEMPORARY_INFIX}${process.pid}`;
  const fd = openSync(temporary, 'w');
  let bytes = 0;
  try {
    for (const chunk of chunks) bytes += writeSync(fd, chunk);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(temporary, path);
  return { file: path, bytes };
}

const TEMPORARY_INFIX = '.tmp-';

function temporaryPid(name: string): number | undefined {
  const match = /\.tmp-(\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * Strings of about 1 MB from many small ones: one write per chunk, not per line. Appended, not
 * collected and joined: an array of a million row strings and its join cost the nightly more than
 * building the rows did.
 */
function* batched(parts: Iterable<string>, separator: string): Generator<string> {
  let chunk = '';
  let first = true;
  for (const part of parts) {
    chunk += first ? part : separator + part;
    first = false;
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** The map of `coverageGeoJson`, built and serialised a few hundred communities at a time. */
function* geoJsonChunks(report: CoverageReport, communities: readonly Community[]): Generator<string> {
  yield '{"type":"FeatureCollection","features":[\n';
  const features = function* () {
    for (let from = 0; from < report.communities.length; from += 500) {
      const part = coverageGeoJson({ ...report, communities: report.communities.slice(from, from + 500) }, communities);
      for (const f of part.features) yield JSON.stringify(f);
    }
  };
  yield* batched(features(), ',\n');
  yield '\n]}\n';
}

function* csvChunks(report: CoverageReport): Generator<string> {
  yield '\uFEFF';
  yield* batched(coverageCsvLines(report), '\r\n');
  yield '\r\n';
}
