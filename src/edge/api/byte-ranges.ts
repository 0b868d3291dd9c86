import { createReadStream } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';

/**
 * GET answers of a known size — a stored run's export (a file), a default layer (bytes in memory) —
 * sent as HTTP caches and GDAL's `/vsicurl/` (QGIS's HTTP source) expect them: `Content-Length`,
 * `Accept-Ranges: bytes`, a strong `ETag`, `304` for a matching `If-None-Match`, and one byte range
 * (`Range: bytes=a-b`, `a-`, `-n`) as `206` with `Content-Range`. GDAL reads a GeoPackage or a
 * zipped shapefile by ranges: without them it says "Range downloading not supported by this server".
 *
 * Several ranges in one request (multipart/byteranges) are answered with the whole body, which
 * RFC 9110 §14.2 allows; a range that starts past the end is 416 with `Content-Range: bytes *\/size`.
 * A stale `If-Range` gets the whole body, as the RFC says.
 */
export interface SizedBody {
  size: number;
  /** A strong validator, quoted: `"…"`. */
  etag: string;
  contentType: string;
  /** A file to read the bytes from, or the bytes themselves. */
  path?: string;
  bytes?: Buffer;
  /** `Content-Disposition` file name, when the answer is a download. */
  filename?: string;
}

export function sendRanged(request: FastifyRequest, reply: FastifyReply, body: SizedBody) {
  reply.header('accept-ranges', 'bytes').header('etag', body.etag).type(body.contentType);
  if (body.filename) reply.header('content-disposition', `attachment; filename="${body.filename}"`);
  if (ifNoneMatch(request.headers['if-none-match'], body.etag)) return reply.code(304).send();
  const ifRange = request.headers['if-range'];
  const range = ifRange === undefined || ifRange === body.etag ? parseRange(request.headers.range, body.size) : undefined;
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${body.size}`);
    throw new ApiError('RANGE_NOT_SATISFIABLE', `range: ${request.headers.range} starts past the end of the ${body.size} bytes there are`, 'range');
  }
  const [start, end] = range ?? [0, body.size - 1];
  if (range) reply.code(206).header('content-range', `bytes ${start}-${end}/${body.size}`);
  reply.header('content-length', String(Math.max(0, end - start + 1)));
  if (body.size === 0) return reply.send(Buffer.alloc(0));
  if (body.bytes) return reply.send(body.bytes.subarray(start, end + 1));
  return reply.send(createReadStream(body.path!, { start, end }));
}

/** [first, last] byte of a single `bytes=` range within `size`; undefined for none, several, or a malformed one (whole body). */
function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return [start, end];
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
