import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Geometry } from 'geojson';
import { DEFAULT_MET_SHARE } from '../../core/coverage/assess.ts';
import type { CommunityReport } from '../../core/coverage/coverage.ts';
import { type CoverageAssumptions, coverageLayers, geoJsonMembers } from '../../core/coverage/outputs.ts';
import { geoPackage } from '../../core/io/geopackage-writer.ts';
import { zippedShapefile } from '../../core/io/shapefile-writer.ts';
import { type RunPage, pageRange, readRunBatches, runReportRest } from '../../runtime/jobs/run-reader.ts';
import { coverageNameParts } from '../../runtime/requests/coverage-answer.ts';
import { type AnswerFormat, CONTENT_TYPES, downloadName } from '../../runtime/requests/rendered.ts';
import { resolveStandards } from '../../runtime/files/standards-catalogue.ts';
import type { Queryable, Run } from '../../runtime/store/index.ts';
import type { SizedBody } from './byte-ranges.ts';
import { ApiError } from './errors.ts';
import { runCsvStream, runGeoJsonStream, runJsonStream } from './run-stream.ts';

/**
 * A stored run's answer as a file of known size, so that it is served with `Content-Length` and byte
 * ranges (byte-ranges.ts) — what GDAL's `/vsicurl/` and QGIS need to open it from a URL. A run never
 * changes once stored, so each (run, format, page) is written once, from the same streams as before
 * (one piece in memory at a time), into a cache folder, and served from there; files unused for an
 * hour are removed whenever another is written.
 *
 * Shapefiles and GeoPackages are built in memory (their writers need every record): at most
 * MAX_GIS_COMMUNITIES communities per file — a larger run is downloaded a page at a time.
 */
const MAX_GIS_COMMUNITIES = 5000;

const CACHE_DIR = join(tmpdir(), 'lifecircle-run-exports');
const KEPT_MS = 60 * 60 * 1000;

export async function runExport(db: Queryable, run: Run, format: AnswerFormat, page: RunPage, geometryOf?: (report: CommunityReport) => Geometry): Promise<SizedBody> {
  const { from, to } = pageRange(run, page);
  const assumptions = runAssumptions(run);
  const key = `${run.id}.${format}.${from}-${to}`;
  const path = join(CACHE_DIR, `${key}.${format === 'shp' ? 'zip' : format}`);
  const filename = format === 'json' ? undefined : downloadName('coverage', [...coverageNameParts(assumptions), run.id], format, new Date(run.createdAt));
  const contentType = CONTENT_TYPES[format];
  let size = await sizeOf(path);
  if (size === undefined) {
    if ((format === 'shp' || format === 'gpkg') && to - from > MAX_GIS_COMMUNITIES) {
      throw new ApiError('LIMIT_EXCEEDED', `format=${format}: the run has ${to - from} communities from offset ${from}, at most ${MAX_GIS_COMMUNITIES} go in one file; page it with ?offset=&limit=${MAX_GIS_COMMUNITIES} (or take GeoJSON or CSV, which are streamed whole)`, 'format');
    }
    await writeAtomically(path, await render(db, run, format, page, assumptions, geometryOf));
    size = (await sizeOf(path))!;
  }
  return { path, size, contentType, etag: `"${key}.${size}"`, ...(filename ? { filename } : {}) };
}

/**
 * What the run's verdicts assumed: its standards (from its summary), their travel (the job's
 * overrides, else the standard's own; `unknown` for a custom standard the catalogue no longer has),
 * the origin rule and the met share.
 */
export function runAssumptions(run: Run): CoverageAssumptions {
  const params = run.params as { standards?: string[]; standard?: unknown; mode?: string; minutes?: number; speedKmh?: number; metShare?: number; origin?: string };
  let known: { id: string; mode: string; minutes: number }[] = [];
  try {
    known = resolveStandards(params.standards, params.standard);
  } catch {
    // A standard since removed from the catalogue: named by the summary, its travel unknown.
  }
  const ids = (runReportRest(run).summary?.standards ?? []).map((s) => s.standardId);
  const standards = ids.map((id) => {
    const standard = known.find((s) => s.id === id);
    return { id, mode: params.mode ?? standard?.mode ?? 'unknown', minutes: params.minutes ?? standard?.minutes ?? null, ...(params.speedKmh ? { speedKmh: params.speedKmh } : {}) };
  });
  return { standards, origin: params.origin ?? 'homes', metShare: params.metShare ?? DEFAULT_MET_SHARE };
}

async function render(db: Queryable, run: Run, format: AnswerFormat, page: RunPage, assumptions: CoverageAssumptions, geometryOf?: (report: CommunityReport) => Geometry): Promise<Readable | Uint8Array> {
  const rest = runReportRest(run);
  switch (format) {
    case 'json':
      return runJsonStream(db, run, page);
    case 'csv':
      return runCsvStream(db, run, page, 'items', assumptions.origin);
    case 'csv-communities':
      return runCsvStream(db, run, page, 'communities', assumptions.origin);
    case 'geojson': {
      const { summary: _summary, facilities: _facilities, ...others } = rest;
      const members = geoJsonMembers({ summary: rest.summary, facilities: rest.facilities as never }, { assumptions, members: { ...(others.inputs ? { inputs: others.inputs } : {}), ...(others.errors ? { errors: others.errors } : {}) } });
      return runGeoJsonStream(db, run, page, geometryOf, members);
    }
    case 'shp':
    case 'gpkg': {
      const reports: { report: CommunityReport; geometry: Geometry | null }[] = [];
      for await (const batch of readRunBatches(db, run, page, { geometries: !geometryOf })) {
        batch.reports.forEach((report, i) => reports.push({ report, geometry: geometryOf ? geometryOf(report) : (batch.geometries?.[i] ?? null) }));
      }
      const layers = coverageLayers(reports, { assumptions });
      return format === 'shp' ? zippedShapefile(layers, 'coverage') : geoPackage(layers);
    }
  }
}

async function writeAtomically(path: string, content: Readable | Uint8Array): Promise<void> {
  await mkdir(CACHE_DIR, { recursive: true });
  await sweep();
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    if (content instanceof Uint8Array) await writeFile(temporary, content);
    else await pipeline(content, createWriteStream(temporary));
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

/** Removes exports not read for an hour (and temporaries a crashed writer left). */
async function sweep(): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(CACHE_DIR).catch(() => [] as string[])) {
    const file = join(CACHE_DIR, name);
    const info = await stat(file).catch(() => undefined);
    if (info && now - Math.max(info.atimeMs, info.mtimeMs) > KEPT_MS) await rm(file, { force: true });
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}
