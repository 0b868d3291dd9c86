import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AnswerFormat, CONTENT_TYPES, Rendered } from '../../runtime/requests/rendered.ts';
import { ApiError } from './errors.ts';

/**
 * Answer formats, chosen by `?format=` or else the `Accept` header. Operations return a plain object
 * (sent as JSON) or a Rendered answer that already carries its content type and download name.
 *
 * `?format=` wins over `Accept` (a GIS tool given a URL cannot set headers); a format the endpoint
 * does not offer is a 400 when asked by name, and JSON when only `Accept` prefers it (as before).
 * `?sheet=communities` picks the coverage CSV's per-community sheet (implies `format=csv`), where
 * the caller says there are sheets (coverage, runs).
 */
export { type AnswerFormat, Rendered };

/** The names `?format=` takes, and the media types `Accept` may name for them. */
export const FORMAT_NAMES = ['json', 'geojson', 'csv', 'shp', 'gpkg'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

const MEDIA_TYPES: Record<string, FormatName> = {
  'application/json': 'json',
  'application/*': 'json',
  '*/*': 'json',
  'application/geo+json': 'geojson',
  'text/csv': 'csv',
  'application/zip': 'shp',
  'application/x-shapefile': 'shp',
  'application/geopackage+sqlite3': 'gpkg',
};

const SHEETS = ['items', 'communities'] as const;

/** Picks the first format the client accepts, in its order of preference; JSON when it does not say. */
function negotiateFormat(accept: string | undefined): FormatName {
  if (!accept) return 'json';
  const ranked = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { type } of ranked) {
    const format = MEDIA_TYPES[type];
    if (format) return format;
  }
  return 'json';
}

/**
 * The format a request asks for, among those `offered` (the endpoint's; JSON always): `?format=`
 * (and `?sheet=`) first, else `Accept`. Unknown or unoffered values in the query are a 400 naming
 * what is offered.
 */
export function requestedFormat(request: FastifyRequest, offered: readonly FormatName[], opts: { sheets?: boolean } = {}): AnswerFormat {
  const query = (request.query ?? {}) as { format?: unknown; sheet?: unknown };
  const named = query.format === undefined || query.format === '' ? undefined : String(query.format).toLowerCase();
  const sheet = query.sheet === undefined || query.sheet === '' ? undefined : String(query.sheet).toLowerCase();
  const choices = ['json', ...offered.filter((f) => f !== 'json')];
  if (named !== undefined && !choices.includes(named)) {
    throw new ApiError('INVALID_PARAMETER', `format: got ${JSON.stringify(query.format)}, expected one of ${choices.join(', ')} (this endpoint's formats)`, 'format');
  }
  if (sheet !== undefined) {
    if (!opts.sheets || !(SHEETS as readonly string[]).includes(sheet)) {
      throw new ApiError('INVALID_PARAMETER', `sheet: got ${JSON.stringify(query.sheet)}, expected ${opts.sheets ? SHEETS.join(' or ') : 'nothing: only coverage tables have sheets'}`, 'sheet');
    }
    if (named !== undefined && named !== 'csv') throw new ApiError('INVALID_PARAMETER', `sheet: applies to format=csv, not format=${named}`, 'sheet');
    return sheet === 'communities' ? 'csv-communities' : 'csv';
  }
  if (named !== undefined) return named as FormatName;
  const accepted = negotiateFormat(request.headers.accept);
  return choices.includes(accepted) ? accepted : 'json';
}

/** The bytes, content type and download name of an operation's answer. */
export function renderAnswer(answer: unknown): { contentType: string; body: string | Uint8Array; filename?: string } {
  if (answer instanceof Rendered) return { contentType: answer.contentType, body: answer.body, ...(answer.filename ? { filename: answer.filename } : {}) };
  return { contentType: CONTENT_TYPES.json, body: JSON.stringify(answer) };
}

/** Sends a rendered answer, named for download when it is a file to keep. */
export function sendRendered(reply: FastifyReply, answer: { contentType: string; body: string | Uint8Array; filename?: string }) {
  if (answer.filename) reply.header('content-disposition', attachment(answer.filename));
  return reply.type(answer.contentType).send(typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
}

/** `attachment; filename="…"` for an ASCII name (the names we make are). */
function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^A-Za-z0-9._+-]/g, '_')}"`;
}
