import { Readable } from 'node:stream';
import type { Geometry } from 'geojson';
import type { CommunityReport } from '../../core/coverage/coverage.ts';
import { COMMUNITY_CSV_HEADER, CSV_BOM, CSV_HEADER, communityCsvRows, coverageCsvRows, coverageFeature } from '../../core/coverage/outputs.ts';
import { type RunBatch, type RunPage, readRunBatches, readRunJson, runReportRest } from '../../runtime/jobs/run-reader.ts';
import type { Queryable, Run } from '../../runtime/store/index.ts';

/**
 * A stored run's answers as streams, written a piece at a time with the writers of the whole answers
 * (src/core/coverage/outputs.ts) — the same bytes for a whole run as rendering its whole report would give.
 * The next piece is read from the store only when the previous one has been taken by the client
 * (highWaterMark 1), so an answer of any size costs one piece of memory.
 */

/** The report: `{"communities":[…],"summary":…,…}`, the communities of the page. */
export function runJsonStream(db: Queryable, run: Run, page: RunPage): Readable {
  const rest = JSON.stringify(runReportRest(run));
  return stream(async function* () {
    yield '{"communities":[';
    let first = true;
    for await (const text of readRunJson(db, run, page)) {
      yield first ? text : `,${text}`;
      first = false;
    }
    yield rest === '{}' ? ']}' : `],${rest.slice(1)}`;
  });
}

/**
 * The map: one feature per community of the page, on the geometry the run kept or `geometryOf` gives;
 * then the collection's foreign members (`members`: assumptions, summary…), as coverageGeoJson ends.
 */
export function runGeoJsonStream(db: Queryable, run: Run, page: RunPage, geometryOf?: (report: CommunityReport) => Geometry, members: Record<string, unknown> = {}): Readable {
  return stream(async function* () {
    yield '{"type":"FeatureCollection","features":[';
    let first = true;
    for await (const batch of readRunBatches(db, run, page, { geometries: !geometryOf })) {
      const features = batch.reports.map((r, i) => JSON.stringify(coverageFeature(r, geometryOf ? geometryOf(r) : geometryAt(batch, i)))).join(',');
      yield first ? features : `,${features}`;
      first = false;
    }
    const rest = JSON.stringify(members);
    yield rest === '{}' ? ']}' : `],${rest.slice(1)}`;
  });
}

/**
 * A table: byte-order mark and header, then each community's rows — per item (`items`, the default)
 * or per community and standard (`communities`), with the run's origin rule in every row.
 */
export function runCsvStream(db: Queryable, run: Run, page: RunPage, sheet: 'items' | 'communities' = 'items', origin?: string): Readable {
  const header = sheet === 'items' ? CSV_HEADER : COMMUNITY_CSV_HEADER;
  const rows = sheet === 'items' ? coverageCsvRows : communityCsvRows;
  return stream(async function* () {
    yield `${CSV_BOM}${header}\r\n`;
    for await (const batch of readRunBatches(db, run, page, { geometries: false })) {
      let text = '';
      for (const r of batch.reports) for (const row of rows(r, origin)) text += `${row}\r\n`;
      yield text;
    }
  });
}

function geometryAt(batch: RunBatch, i: number): Geometry {
  const geometry = batch.geometries?.[i];
  if (!geometry) throw new Error(`community ${batch.first + i}: the run kept no geometry for it`);
  return geometry;
}

function stream(chunks: () => AsyncGenerator<string>): Readable {
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
}
