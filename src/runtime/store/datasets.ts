import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { StoreError } from './errors.ts';
import { newId } from './ids.ts';
import { bigintNumber, isoTime, listLimit } from './rows.ts';
import { type Queryable, type Sql, jsonParam } from './sql.ts';

export type DatasetKind = 'network' | 'facilities' | 'communities' | 'homes' | 'declarations';

/** [west, south, east, north], WGS84. */
export type Bbox = [number, number, number, number];

/** What a caller stores: a network as a compiled graph file on disk, the others as GeoJSON in the row. */
export interface DatasetInput {
  kind: DatasetKind;
  name: string;
  /** e.g. `{ nodes, edges }` or `{ features, unplaced }`. */
  counts: Record<string, number>;
  bbox: Bbox | null;
  /** The import or read report (what was dropped and why). */
  report: unknown;
  /** Facilities, communities and homes: the GeoJSON; declarations: their rows. */
  payload?: unknown;
  /** The payload already as JSON text (an import process wrote it): stored as it is, not serialized again here. */
  payloadJson?: string;
  /** Networks: path of the compiled `.lcg`. Give each version its own file (see `replaceDataset`). */
  graphFile?: string;
  sourceBytes: number;
}

/** A dataset without its payload: what lists show. */
export interface DatasetSummary {
  id: string;
  owner: string;
  kind: DatasetKind;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** 1 at creation, +1 on every replace. */
  version: number;
  counts: Record<string, number>;
  bbox: Bbox | null;
  report: unknown;
  graphFile: string | null;
  sourceBytes: number;
}

export interface Dataset extends DatasetSummary {
  payload: unknown;
}

/**
 * Stores a new dataset for `owner`. Pass `id` (from `newId('ds')`) when the graph file is named after
 * it and so written before the row.
 */
export async function createDataset(db: Queryable, owner: string, input: DatasetInput, options: { id?: string } = {}): Promise<Dataset> {
  checkContent(input);
  const [row] = await db.query<DatasetRow>(
    `INSERT INTO datasets (id, owner, kind, name, counts, bbox, report, payload, graph_file, source_bytes)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8::jsonb, $9, $10)
     RETURNING ${COLUMNS}`,
    [options.id ?? newId('ds'), owner, input.kind, input.name, ...contentParams(input)],
  );
  return toDataset(row);
}

/** The dataset with its payload; null when it does not exist or belongs to another owner. */
export async function getDataset(db: Queryable, owner: string, id: string): Promise<Dataset | null> {
  const [row] = await db.query<DatasetRow>(`SELECT ${COLUMNS} FROM datasets WHERE id = $1 AND owner = $2`, [id, owner]);
  return row ? toDataset(row) : null;
}

/**
 * The dataset's kind and version without its payload (a city's communities are megabytes of JSON
 * that checking a job's parameters has no use for); null as for `getDataset`.
 */
export async function getDatasetHead(db: Queryable, owner: string, id: string): Promise<{ kind: DatasetKind; version: number } | null> {
  const [row] = await db.query<{ kind: DatasetKind; version: number }>('SELECT kind, version FROM datasets WHERE id = $1 AND owner = $2', [id, owner]);
  return row ? { kind: row.kind, version: row.version } : null;
}

/**
 * A facility or community dataset's stored source as JSON text, with its crs and version: what a job's
 * thread reads itself, so that this thread neither parses nor holds the set. A FeatureCollection comes
 * as the collection without its features plus the features in slices of `slice` (each a JSON array):
 * every statement then answers a few megabytes at most — the embedded store runs on this thread, and
 * one statement turning a city's 12 MB set into text would hold it for 150 ms (and statements that
 * follow one another hold it as one task unless it is given back between them). Null as for `getDataset`.
 */
export async function getPointsSource(
  db: Queryable,
  owner: string,
  id: string,
  slice = 2000,
): Promise<{ kind: DatasetKind; version: number; crs: string; source: PointsSourceText | null } | null> {
  // Each mention of `payload` reads (detoasts) the whole value again, tens of milliseconds for a
  // city's set: one mention per statement.
  const [row] = await db.query<{ kind: DatasetKind; version: number; crs: string | null }>(
    `SELECT kind, version, payload ->> 'crs' AS crs FROM datasets WHERE id = $1 AND owner = $2`,
    [id, owner],
  );
  if (!row) return null;
  const found = { kind: row.kind, version: row.version, crs: row.crs ?? 'wgs84' };
  if (row.kind === 'network') return { ...found, source: null };
  // The source taken out once, in a subquery kept apart (OFFSET 0); the rest works on that copy.
  const [head] = await db.query<{ features: number | null; collection: string | null }>(
    `SELECT CASE WHEN jsonb_typeof(source -> 'features') = 'array' THEN jsonb_array_length(source -> 'features') END AS features,
            CASE WHEN jsonb_typeof(source -> 'features') = 'array' THEN (source - 'features'::text)::text END AS collection
     FROM (SELECT payload -> 'source' AS source FROM datasets WHERE id = $1 AND owner = $2 AND version = $3 OFFSET 0) AS d`,
    [id, owner, row.version],
  );
  // Replaced meanwhile: read the new version from the start.
  if (!head) return getPointsSource(db, owner, id, slice);
  if (head.features === null || head.collection === null) {
    const [whole] = await db.query<{ source: string }>(`SELECT (payload -> 'source')::text AS source FROM datasets WHERE id = $1 AND owner = $2`, [id, owner]);
    return { ...found, source: whole ? { whole: whole.source } : null };
  }
  const features: string[] = [];
  for (let from = 0; from < head.features; from += slice) {
    // The embedded store answers without ever leaving this thread's task: let the loop run between slices.
    await yieldToLoop();
    const [part] = await db.query<{ features: string }>(
      `SELECT jsonb_path_query_array(payload, '$.source.features[$from to $to]', jsonb_build_object('from', $3::integer, 'to', $4::integer))::text AS features
       FROM datasets WHERE id = $1 AND owner = $2 AND version = $5`,
      [id, owner, from, Math.min(head.features, from + slice) - 1, row.version],
    );
    // Replaced meanwhile: read the new version from the start.
    if (!part) return getPointsSource(db, owner, id, slice);
    features.push(part.features);
  }
  return { ...found, source: { collection: head.collection, features } };
}

/** A stored point set as text: whole, or a FeatureCollection without its features and its features in slices. */
export type PointsSourceText = { whole: string } | { collection: string; features: string[] };

/** The owner's datasets, newest first, without payloads. */
export async function listDatasets(db: Queryable, owner: string, options: { kind?: DatasetKind; limit?: number } = {}): Promise<DatasetSummary[]> {
  const rows = await db.query<DatasetRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM datasets
     WHERE owner = $1 AND ($2::text IS NULL OR kind = $2)
     ORDER BY created_at DESC, id LIMIT $3`,
    [owner, options.kind ?? null, listLimit(options.limit)],
  );
  return rows.map(toSummary);
}

/**
 * Replaces a dataset's content and bumps its version, in one step: a reader sees the old version or
 * the new one, never a mix. The kind cannot change. Returns null when the dataset does not exist or
 * belongs to another owner; `previousGraphFile` is the file the old version used, for the caller to
 * delete once nothing reads it (jobs that started on the old version still may).
 */
export async function replaceDataset(
  sql: Sql,
  owner: string,
  id: string,
  input: DatasetInput,
): Promise<{ dataset: Dataset; previousGraphFile: string | null } | null> {
  checkContent(input);
  return sql.transaction(async (tx) => {
    const [old] = await tx.query<{ kind: DatasetKind; graph_file: string | null }>(
      'SELECT kind, graph_file FROM datasets WHERE id = $1 AND owner = $2 FOR UPDATE',
      [id, owner],
    );
    if (!old) return null;
    if (old.kind !== input.kind) {
      throw new StoreError('DATASET_KIND', `dataset ${id}: got ${input.kind}, expected ${old.kind} (a replacement keeps the kind; create a new dataset instead)`);
    }
    const [row] = await tx.query<DatasetRow>(
      `UPDATE datasets
       SET name = $3, counts = $4::jsonb, bbox = $5::jsonb, report = $6::jsonb, payload = $7::jsonb,
           graph_file = $8, source_bytes = $9, version = version + 1, updated_at = now()
       WHERE id = $1 AND owner = $2
       RETURNING ${COLUMNS}`,
      [id, owner, input.name, ...contentParams(input)],
    );
    return { dataset: toDataset(row), previousGraphFile: old.graph_file };
  });
}

/** Deletes a dataset; returns what was deleted (its graph file is the caller's to remove), or null. */
export async function deleteDataset(db: Queryable, owner: string, id: string): Promise<DatasetSummary | null> {
  const [row] = await db.query<DatasetRow>(`DELETE FROM datasets WHERE id = $1 AND owner = $2 RETURNING ${SUMMARY_COLUMNS}`, [id, owner]);
  return row ? toSummary(row) : null;
}

const SUMMARY_COLUMNS = 'id, owner, kind, name, created_at, updated_at, version, counts, bbox, report, graph_file, source_bytes';
const COLUMNS = `${SUMMARY_COLUMNS}, payload`;

interface DatasetRow {
  id: string;
  owner: string;
  kind: DatasetKind;
  name: string;
  created_at: Date | string;
  updated_at: Date | string;
  version: number;
  counts: Record<string, number>;
  bbox: Bbox | null;
  report: unknown;
  graph_file: string | null;
  source_bytes: number | string;
  payload?: unknown;
}

/** The content parameters shared by create and replace, in column order from `counts`. */
function contentParams(input: DatasetInput): unknown[] {
  return [
    jsonParam(input.counts),
    jsonParam(input.bbox),
    jsonParam(input.report ?? {}),
    input.payloadJson ?? jsonParam(input.payload),
    input.graphFile ?? null,
    input.sourceBytes,
  ];
}

/** Mirrors the table's CHECK, with a message that names the dataset instead of a constraint. */
function checkContent(input: DatasetInput): void {
  const where = `dataset "${input.name}" (${input.kind})`;
  if (input.kind === 'network') {
    if (!input.graphFile) throw new StoreError('DATASET_KIND', `${where}: got no graphFile, expected the path of its compiled .lcg`);
    if (input.payload !== undefined || input.payloadJson !== undefined) throw new StoreError('DATASET_KIND', `${where}: got a payload, expected none (a network lives in its graph file)`);
  } else if (input.kind === 'facilities' || input.kind === 'communities' || input.kind === 'homes' || input.kind === 'declarations') {
    if ((input.payload === undefined || input.payload === null) && input.payloadJson === undefined) throw new StoreError('DATASET_KIND', `${where}: got no payload, expected its ${input.kind === 'declarations' ? 'rows' : 'GeoJSON'}`);
    if (input.graphFile !== undefined) throw new StoreError('DATASET_KIND', `${where}: got a graphFile, expected none (only networks have one)`);
  } else {
    throw new StoreError('DATASET_KIND', `${where}: got kind ${JSON.stringify(input.kind)}, expected network, facilities, communities, homes or declarations`);
  }
}

function toSummary(row: DatasetRow): DatasetSummary {
  return {
    id: row.id,
    owner: row.owner,
    kind: row.kind,
    name: row.name,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    version: row.version,
    counts: row.counts,
    bbox: row.bbox,
    report: row.report,
    graphFile: row.graph_file,
    sourceBytes: bigintNumber(row.source_bytes),
  };
}

function toDataset(row: DatasetRow): Dataset {
  return { ...toSummary(row), payload: row.payload ?? null };
}
