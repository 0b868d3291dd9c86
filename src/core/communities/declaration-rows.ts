import { InputError } from '../errors.ts';
import { parseCsv } from '../io/csv-points.ts';
import { decodeText } from '../io/decode-text.ts';
import { NO_TEXT_MAY, badCharacterIn } from '../io/json-text.ts';
import { didYouMean } from '../standards/validate.ts';

/**
 * Declarations as given — which programme and online items each community provides — read into
 * plain rows, before they are matched to communities and standards (read-declarations.ts). Kept
 * apart so that a stored dataset can be checked and stored as rows at upload, and matched against a
 * job's communities when the job runs.
 *
 * Two forms:
 *  - JSON: an array of `{"community", "item", "provided", "source"?, "date"?}` (the Chinese field
 *    names 社区, 指标, 是否提供, 来源, 日期 too). A row is named by its index, `declarations[3]`.
 *  - CSV: text, or bytes in UTF-8 (BOM or not), UTF-16 with a BOM, or GBK (told from the bytes:
 *    src/core/io/decode-text.ts), with a header row naming the same columns in English or Chinese; comma,
 *    semicolon or tab, whichever the header uses most. A row is named as a spreadsheet shows it, the
 *    header being row 1. Other columns (a 备注 note…) are ignored.
 *
 * A row that cannot be read is a per-row error, the others are read; only input that is no table
 * at all (not an array nor CSV, a CSV without the needed columns or with broken quoting) is an
 * InputError. CSV goes through the one CSV reader, src/core/io/csv-points.ts (csv-parse).
 */
export interface DeclarationRow {
  /** JSON: the index in the array (from 0); CSV: the spreadsheet row (the header is row 1). */
  row: number;
  /** How messages name the row: `declarations[3]` or `CSV row 5`. */
  ref: string;
  community: string;
  /** An item id (`party-2`) or its Chinese name (`工青妇服务`), as given (trimmed). */
  item: string;
  provided: boolean;
  source?: string;
  /** YYYY-MM-DD. */
  date?: string;
}

export interface DeclarationError {
  row: number;
  community?: string;
  item?: string;
  /** Names the row first: `declarations[3]: …` or `CSV row 5: …`. */
  message: string;
}

export interface DeclarationRowsRead {
  rows: DeclarationRow[];
  errors: DeclarationError[];
  /** `json`, or the CSV's encoding (`utf-8`, `gbk` …). */
  format: string;
}

type Field = 'community' | 'item' | 'provided' | 'source' | 'date';

/** Column names by field, compared after `headerKey` (lower case, full-width folded, no spaces). */
const NAMES: Record<Field, readonly string[]> = {
  community: ['community', 'community_id', 'communityid', '社区', '社区id', '社区编号', '社区编码', '村', '村社区'],
  item: ['item', 'item_id', 'itemid', '指标', '指标名称', '指标项', '项目'],
  provided: ['provided', '是否提供', '提供', '是否开展'],
  source: ['source', '来源', '数据来源'],
  date: ['date', '日期', '填报日期'],
};
const FIELDS = Object.keys(NAMES) as Field[];
const REQUIRED: readonly Field[] = ['community', 'item', 'provided'];
const FIELD_OF = new Map<string, Field>(FIELDS.flatMap((field) => NAMES[field].map((name) => [name, field] as const)));

const YES = new Set(['true', 'yes', 'y', '1', '是', '已提供', '有']);
const NO = new Set(['false', 'no', 'n', '0', '否', '未提供', '无']);
const PROVIDED_WORDS = 'true/false, yes/no, 是/否, 1/0, 已提供/未提供';

/** Reads declarations in either form; `what` names the input in messages. */
export function parseDeclarationRows(input: unknown, what = 'declarations'): DeclarationRowsRead {
  if (Array.isArray(input)) return jsonRows(input, what);
  if (typeof input === 'string') return csvRows(input.replace(/^\uFEFF/, ''), what, 'utf-8');
  if (input instanceof Uint8Array) {
    const { text, encoding } = decodeText(input);
    return csvRows(text, what, encoding);
  }
  throw new InputError('INVALID_PARAMETER', `${what}: got ${describe(input)}, expected an array of rows {"community", "item", "provided", "source"?, "date"?} or CSV text with those columns`, { where: what });
}

function jsonRows(input: unknown[], what: string): DeclarationRowsRead {
  const read: DeclarationRowsRead = { rows: [], errors: [], format: 'json' };
  input.forEach((value, index) => {
    const ref = `${what}[${index}]`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      read.errors.push({ row: index, message: `${ref}: got ${describe(value)}, expected an object {"community", "item", "provided", "source"?, "date"?}` });
      return;
    }
    const cells: Partial<Record<Field, unknown>> = {};
    const unknown: string[] = [];
    for (const [key, cell] of Object.entries(value)) {
      const field = FIELD_OF.get(headerKey(key));
      if (field) cells[field] = cell;
      else unknown.push(key);
    }
    if (unknown.length > 0) {
      const key = unknown[0];
      read.errors.push({ row: index, message: `${ref}: unknown field ${JSON.stringify(key)}${didYouMean(key, FIELDS)}; the fields are ${FIELDS.join(', ')}` });
      return;
    }
    addRow(read, index, ref, cells);
  });
  return read;
}

function csvRows(text: string, what: string, encoding: string): DeclarationRowsRead {
  const bad = badCharacterIn(text);
  if (bad) throw new InputError('INVALID_PARAMETER', `${what}: the CSV holds ${bad}, ${NO_TEXT_MAY}`, { where: what });
  const records = parseCsv(text, what);
  if (records.length === 0) throw new InputError('INVALID_PARAMETER', `${what}: the CSV is empty, expected a header row (community,item,provided,source,date or 社区,指标,是否提供,来源,日期) and rows`, { where: what });
  const header = records[0].map((name) => name.trim());
  const columns = new Map<Field, number>();
  header.forEach((name, c) => {
    const field = FIELD_OF.get(headerKey(name));
    if (field && !columns.has(field)) columns.set(field, c);
  });
  const missing = REQUIRED.filter((field) => !columns.has(field));
  if (missing.length > 0) {
    const hints = missing.map((field) => `${field} (${NAMES[field].slice(0, 2).join(', ')}${field === 'community' ? ', 社区' : field === 'item' ? ', 指标' : ', 是否提供'})`);
    throw new InputError('INVALID_PARAMETER', `${what}: the CSV has no ${hints.join(', no ')} column; its header is ${header.map((h) => JSON.stringify(h)).join(', ')}`, { where: what });
  }
  const read: DeclarationRowsRead = { rows: [], errors: [], format: `csv (${encoding})` };
  for (let r = 1; r < records.length; r++) {
    const record = records[r];
    if (record.every((cell) => cell.trim() === '')) continue; // a blank line
    const cells: Partial<Record<Field, unknown>> = {};
    for (const [field, c] of columns) if (record[c] !== undefined && record[c].trim() !== '') cells[field] = record[c];
    // The spreadsheet row: records are counted, not lines, so a cell spanning lines stays one row.
    addRow(read, r + 1, `CSV row ${r + 1}`, cells);
  }
  return read;
}

/** One row's cells checked; a problem is the row's error, naming the first thing wrong. */
function addRow(read: DeclarationRowsRead, row: number, ref: string, cells: Partial<Record<Field, unknown>>): void {
  const community = idText(cells.community);
  const item = typeof cells.item === 'string' ? cells.item.trim() : undefined;
  const known = { ...(community ? { community } : {}), ...(item ? { item } : {}) };
  const fail = (message: string) => read.errors.push({ row, ...known, message: `${ref}: ${message}` });
  if (!community) return void fail(`community: got ${describe(cells.community)}, expected a community id`);
  if (!item) return void fail(`item: got ${describe(cells.item)}, expected an item id (e.g. "party-2") or its Chinese name`);
  const provided = providedValue(cells.provided);
  if (provided === undefined) return void fail(`provided: got ${describe(cells.provided)}, expected one of ${PROVIDED_WORDS}`);
  let source: string | undefined;
  if (cells.source !== undefined && cells.source !== null) {
    if (typeof cells.source !== 'string') return void fail(`source: got ${describe(cells.source)}, expected text`);
    source = cells.source.trim() || undefined;
  }
  let date: string | undefined;
  if (cells.date !== undefined && cells.date !== null && cells.date !== '') {
    date = dateValue(cells.date);
    if (date === undefined) return void fail(`date: got ${describe(cells.date)}, expected a date YYYY-MM-DD (or YYYY/M/D, YYYY年M月D日)`);
  }
  read.rows.push({ row, ref, community, item, provided, ...(source ? { source } : {}), ...(date ? { date } : {}) });
}

/** Header names and JSON keys compared loosely: case, full-width letters and spaces do not matter. */
function headerKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

function providedValue(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string') return undefined;
  const word = value.normalize('NFKC').trim().toLowerCase();
  return YES.has(word) ? true : NO.has(word) ? false : undefined;
}

/** A calendar date as YYYY-MM-DD, from the ways a spreadsheet in China writes one. */
function dateValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(value.normalize('NFKC').trim());
  if (!match) return undefined;
  const date = `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date ? date : undefined;
}

/** The delimiter the header line uses most: comma, semicolon or tab. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    if (value.trim() === '') return 'an empty string';
    return value.length > 60 ? JSON.stringify(`${value.slice(0, 57)}...`) : JSON.stringify(value);
  }
  return String(value);
}
