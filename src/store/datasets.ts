import { StoreError } from './errors.ts';
import { newId } from './ids.ts';
import { bigintNumber, isoTime, listLimit } from './rows.ts';
import { type Queryable, type Sql, jsonParam } from './sql.ts';

export type DatasetKind = 'network' | 'facilities' | 'communities';

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
  /** Facilities and communities: the GeoJSON. */
  payload?: unknown;
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
    jsonParam(input.payload),
    input.graphFile ?? null,
    input.sourceBytes,
  ];
}

/** Mirrors the table's CHECK, with a message that names the dataset instead of a constraint. */
function checkContent(input: DatasetInput): void {
  const where = `dataset "${input.name}" (${input.kind})`;
  if (input.kind === 'network') {
    if (!input.graphFile) throw new StoreError('DATASET_KIND', `${where}: got no graphFile, expected the path of its compiled .lcg`);
    if (input.payload !== undefined) throw new StoreError('DATASET_KIND', `${where}: got a payload, expected none (a network lives in its graph file)`);
  } else if (input.kind === 'facilities' || input.kind === 'communities') {
    if (input.payload === undefined || input.payload === null) throw new StoreError('DATASET_KIND', `${where}: got no payload, expected its GeoJSON`);
    if (input.graphFile !== undefined) throw new StoreError('DATASET_KIND', `${where}: got a graphFile, expected none (only networks have one)`);
  } else {
    throw new StoreError('DATASET_KIND', `${where}: got kind ${JSON.stringify(input.kind)}, expected network, facilities or communities`);
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
