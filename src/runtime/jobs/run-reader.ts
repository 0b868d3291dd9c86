import type { Geometry } from 'geojson';
import type { CommunityReport, CoverageReport } from '../../core/coverage/coverage.ts';
import type { CoverageSummary } from '../../core/coverage/summary.ts';
import { type Queryable, type Run, readRunPiece } from '../store/index.ts';
import { decodeGeometries, decodeReports, pieceReportsText } from './piece-codec.ts';

/**
 * A stored run read back a piece at a time, whether it is in pieces (run-pieces.ts) or a whole report
 * stored before them: its communities from `offset`, at most `limit`, in batches of at most a piece,
 * each fetched only when the previous one has been consumed — a reader holds one piece, never the run.
 */
export interface RunBatch {
  /** Index of the batch's first community in the run. */
  first: number;
  reports: CommunityReport[];
  /** The communities' geometries (runs in pieces keep them; older runs do not: null). */
  geometries: Geometry[] | null;
}

export interface RunPage {
  offset: number;
  /** Default: to the end. */
  limit?: number;
}

/** How many communities the run holds. */
export function runCommunityCount(run: Run): number {
  return run.pieces ? run.pieces.communities : ((run.report as CoverageReport).communities?.length ?? 0);
}

/**
 * The run's report without its communities, its members in the order the report has them
 * (summary, then the rest: facilities, detail, inputs).
 */
export function runReportRest(run: Run): { summary: CoverageSummary } & Record<string, unknown> {
  const { communities: _communities, summary, ...rest } = run.report as Record<string, unknown>;
  return { summary: (run.pieces ? run.summary : summary) as CoverageSummary, ...rest };
}

/** The communities [offset, offset + limit) of the run, clipped to it. */
export function pageRange(run: Run, page: RunPage): { from: number; to: number } {
  const total = runCommunityCount(run);
  const from = Math.min(page.offset, total);
  return { from, to: page.limit === undefined ? total : Math.min(total, from + page.limit) };
}

export async function* readRunBatches(db: Queryable, run: Run, page: RunPage, want: { geometries: boolean }): AsyncGenerator<RunBatch> {
  const { from, to } = pageRange(run, page);
  if (!run.pieces) {
    const all = (run.report as CoverageReport).communities;
    for (let first = from; first < to; first += LEGACY_BATCH) yield { first, reports: all.slice(first, Math.min(to, first + LEGACY_BATCH)), geometries: null };
    return;
  }
  for (let at = from; at < to; ) {
    const piece = await readRunPiece(db, run.pieces, at);
    if (!piece) throw new Error(`run ${run.id}: no piece holds community ${at} of ${run.pieces.communities}`);
    const [reports, geometries] = await Promise.all([decodeReports(piece.reports), want.geometries ? decodeGeometries(piece.geometries) : null]);
    const start = at - piece.first;
    const end = Math.min(to, piece.first + piece.count) - piece.first;
    const whole = start === 0 && end === piece.count;
    yield { first: at, reports: whole ? reports : reports.slice(start, end), geometries: geometries && (whole ? geometries : geometries.slice(start, end)) };
    at = piece.first + end;
  }
}

/**
 * The same communities as JSON text, each batch its reports joined by commas (no brackets): a whole
 * piece is passed on as the job wrote it, without being parsed and written again.
 */
export async function* readRunJson(db: Queryable, run: Run, page: RunPage): AsyncGenerator<string> {
  const { from, to } = pageRange(run, page);
  if (!run.pieces) {
    for await (const batch of readRunBatches(db, run, page, { geometries: false })) yield batch.reports.map((r) => JSON.stringify(r)).join(',');
    return;
  }
  for (let at = from; at < to; ) {
    const piece = await readRunPiece(db, run.pieces, at);
    if (!piece) throw new Error(`run ${run.id}: no piece holds community ${at} of ${run.pieces.communities}`);
    const start = at - piece.first;
    const end = Math.min(to, piece.first + piece.count) - piece.first;
    if (start === 0 && end === piece.count) {
      const text = await pieceReportsText(piece.reports);
      yield text.slice(1, -1); // the array's brackets
    } else {
      yield (await decodeReports(piece.reports)).slice(start, end).map((r) => JSON.stringify(r)).join(',');
    }
    at = piece.first + end;
  }
}

/** Batches of a run stored whole: as many communities as a piece holds by default. */
const LEGACY_BATCH = 25;
