import { type DeclarationRow, parseDeclarationRows } from '../../core/communities/declaration-rows.ts';
import { InputError } from '../../core/errors.ts';
import { parseJsonText } from '../../core/io/json-text.ts';
import type { Bbox } from '../store/index.ts';

/**
 * A declarations upload — JSON rows or CSV (UTF-8 or GBK) — read and made ready to store: the rows
 * as read (community, item, provided, source, date, and the row they came from), counts and the
 * rows that could not be read. Which community and which item each row means is only known with
 * the communities and standards a job assesses: matched then (read-declarations.ts), and the rows
 * that match nothing are reported in the run. Runs in an import process (import-tasks.ts).
 */
export type DeclarationFormat = 'json' | 'csv';

export interface StoredDeclarations {
  /** `json`, or `csv (utf-8)`, `csv (gbk)` …: what the upload was read as. */
  format: string;
  rows: DeclarationRow[];
}

export interface CheckedDeclarationSet {
  counts: Record<string, number>;
  bbox: Bbox | null;
  report: Record<string, unknown>;
  payload: StoredDeclarations;
}

export function checkDeclarationSet(bytes: Uint8Array, format: DeclarationFormat): CheckedDeclarationSet {
  const what = 'declarations';
  let input: unknown = bytes;
  if (format === 'json') {
    if (bytes.byteLength === 0) throw new InputError('INVALID_JSON', 'request body is empty: expected an array of declaration rows', { where: what });
    input = parseJsonText(bytes, { what: 'request body', root: what, badStringCode: 'INVALID_PARAMETER' });
  }
  const read = parseDeclarationRows(input, what);
  if (read.rows.length === 0) {
    const first = read.errors[0];
    throw new InputError('INVALID_PARAMETER', `${what}: no usable row${first ? ` (first problem: ${first.message})` : ''}`, { where: what });
  }
  return {
    counts: { rows: read.rows.length + read.errors.length, usable: read.rows.length, errors: read.errors.length },
    bbox: null,
    report: { format: read.format, errors: read.errors.slice(0, 100) },
    payload: { format: read.format, rows: read.rows },
  };
}
