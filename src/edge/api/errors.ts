import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, type FeatureReason, InputError } from '../../core/errors.ts';
import { LIMITS } from '../../runtime/requests/params.ts';
import { StoreError } from '../../runtime/store/errors.ts';

/**
 * The one catalogue of coded errors, and the one place where errors become HTTP answers: RFC 9457
 * problem documents, `application/problem+json`:
 *
 *   { "type": "urn:lifecircle:error:INVALID_PARAMETER", "title": "Invalid parameter", "status": 400,
 *     "detail": "minutes[1]: got -5, expected …", "code": "INVALID_PARAMETER",
 *     "instance": "urn:lifecircle:request:req-7", "where"?, "featureIndex"?, "featureId"? }
 *
 * Codes are stable (clients switch on `code`, or on `type`); `detail` is for people. A 5xx answer never
 * carries details: those go to the log under the request id that `instance` names.
 *
 * The catalogue drives the answers, the OpenAPI document's error responses and the table in docs/api.md.
 */
export interface CatalogueEntry {
  status: number;
  title: string;
  /** When it is answered: the table in docs/api.md and the OpenAPI response descriptions. */
  when: string;
  /** Seconds for `Retry-After`, where retrying the same request later may succeed. */
  retryAfterS?: number;
}

export const ERROR_CATALOGUE = {
  INVALID_JSON: { status: 400, title: 'Invalid JSON', when: 'the body is empty or not valid JSON, or nested deeper than 64 levels (see Limits)' },
  INVALID_PARAMETER: { status: 400, title: 'Invalid parameter', when: 'a parameter is missing, unknown, of the wrong type or out of its range (`minutes[1]: got -5, expected …`), or a string holds a NUL or a lone surrogate (`where` is its path)' },
  INVALID_GEOJSON: { status: 400, title: 'Invalid GeoJSON', when: 'an input is not the GeoJSON FeatureCollection it should be' },
  INVALID_SHAPEFILE: { status: 400, title: 'Invalid shapefile', when: 'a zipped shapefile upload that cannot be read: not a zip, no .shp/.dbf, a .shp or .dbf header that disagrees with its bytes, several layers, or projected coordinates without a .prj' },
  INVALID_GEOMETRY: { status: 400, title: 'Invalid geometry', when: 'a geometry the request cannot do without is unusable' },
  EMPTY_NETWORK: { status: 400, title: 'Empty network', when: 'an inline network has no road usable by the mode' },
  BAD_REQUEST: { status: 400, title: 'Bad request', when: 'a malformed URL or HTTP request' },
  UNAUTHORIZED: { status: 401, title: 'Unauthorized', when: 'no API key (`x-api-key` or `Authorization: Bearer`), or an unknown one, where a key is required: datasets, jobs, runs, and references to datasets' },
  NOT_FOUND: { status: 404, title: 'Not found', when: 'an unknown route, standard id, or dataset, job or run id (another key\'s ids are unknown too)' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request timeout', when: 'the request did not arrive whole within `REQUEST_TIMEOUT_MS`' },
  BODY_TOO_LARGE: { status: 413, title: 'Body too large', when: 'the body is over `BODY_LIMIT_MB`, or a network upload over `UPLOAD_LIMIT_MB` (the answer names the limit)' },
  RANGE_NOT_SATISFIABLE: { status: 416, title: 'Range not satisfiable', when: 'a GET with `Range: bytes=…` that starts past the end of the answer (`Content-Range: bytes */<size>` says its size)' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type', when: 'the body is not `application/json` or `application/geo+json` (uploads: the types the route lists)' },
  LIMIT_EXCEEDED: {
    status: 422,
    title: 'Limit exceeded',
    when: `too many origins, targets or communities, more than ${LIMITS.maxBudgets} budgets, or minutes over ${LIMITS.maxMinutes}; an answer over \`MAX_ANSWER_MB\` (estimated up front, or once built), or a computation over \`WORKER_MEMORY_MB\` (see Limits)`,
  },
  NO_USABLE_INPUT: {
    status: 422,
    title: 'No usable input',
    when: 'nothing in the request could be used — no community could be assessed, no origin or target placed on the network — so there is no answer to give; `errors` lists why, feature by feature (`what`, `index`, `id`, `message`)',
  },
  RATE_LIMITED: { status: 429, title: 'Too many requests', when: 'over `RATE_LIMIT_PER_MINUTE` for the known API key (else the client IP: no key, or an unknown one); `Retry-After` says when to retry' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Headers too large', when: 'the request headers are over Node\'s limit (16 KiB)' },
  INTERNAL: { status: 500, title: 'Internal error', when: 'a bug: details are logged under the request id, never answered' },
  SERVER_BUSY: { status: 503, title: 'Server busy', retryAfterS: 5, when: 'the queue for large requests is full, or the server is under pressure (event-loop delay, memory); `Retry-After`' },
  NOT_READY: { status: 503, title: 'Not ready', retryAfterS: 5, when: 'the default network is still loading, or the server is shutting down; `Retry-After`' },
  TIMEOUT: { status: 503, title: 'Computation timed out', when: 'computing the request took over `COMPUTE_TIMEOUT_MS`, or reading an upload over `IMPORT_TIMEOUT_MS`; it was stopped (split it, or run it as a job)' },
  STORE_UNAVAILABLE: { status: 503, title: 'Store unavailable', retryAfterS: 5, when: 'the database (PostgreSQL, or the embedded store) does not answer: datasets, jobs, runs and requests with an API key; `Retry-After`' },
  // Raised by the core while reading files, never by a request: answered as bad input should one get here.
  INVALID_OSM: { status: 400, title: 'Invalid OSM data', when: 'an OSM file cannot be read (files given at start only)' },
  UNSUPPORTED_FORMAT: { status: 400, title: 'Unsupported format', when: 'a network file of an unknown format (files given at start only)' },
  GRAPH_FILE_VERSION: { status: 400, title: 'Graph file version', when: 'a graph file of another format version (files given at start only)' },
  GRAPH_FILE_CORRUPT: { status: 400, title: 'Graph file corrupt', when: 'a damaged graph file (files given at start only)' },
  // Raised by the store.
  DATASET_KIND: { status: 400, title: 'Dataset kind', when: 'a replacement of another kind than the dataset (a network for facilities…)' },
  NOT_SNAPPED: { status: 400, title: 'Not snapped', when: 'not raised today: a point with no usable road nearby gets its `error` inside the answer' },
} as const satisfies Record<string, CatalogueEntry>;

// Every code the core may raise has an entry: adding one to src/core/errors.ts fails to compile until it is catalogued.
ERROR_CATALOGUE satisfies Record<ErrorCode, CatalogueEntry>;

export type ApiErrorCode = keyof typeof ERROR_CATALOGUE;

const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
export const PROBLEM_TYPE_PREFIX = 'urn:lifecircle:error:';

/** An RFC 9457 problem document with lifecircle's extension members. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ApiErrorCode;
  instance?: string;
  where?: string;
  featureIndex?: number;
  featureId?: string | number;
  /** NO_USABLE_INPUT: why each feature was left out. */
  errors?: FeatureReason[];
}

/** What an error says, before it becomes a problem document: also what crosses the worker boundary. */
export interface ErrorDetails {
  code: ApiErrorCode;
  message: string;
  where?: string;
  featureIndex?: number;
  featureId?: string | number;
  reasons?: FeatureReason[];
}

/** An error raised at the API edge itself (not by the core): carries its code and HTTP status. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ApiErrorCode;
  readonly where?: string;

  constructor(code: ApiErrorCode, message: string, where?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = ERROR_CATALOGUE[code].status;
    this.where = where;
  }
}

/** The problem document for `details`, as answered to `request`. */
export function problemOf(details: ErrorDetails, requestId?: string): Problem {
  const entry: CatalogueEntry = ERROR_CATALOGUE[details.code];
  return {
    type: PROBLEM_TYPE_PREFIX + details.code,
    title: entry.title,
    status: entry.status,
    detail: details.message,
    code: details.code,
    ...(requestId !== undefined ? { instance: `urn:lifecircle:request:${requestId}` } : {}),
    ...(details.where !== undefined ? { where: details.where } : {}),
    ...(details.featureIndex !== undefined ? { featureIndex: details.featureIndex } : {}),
    ...(details.featureId !== undefined ? { featureId: details.featureId } : {}),
    ...(details.reasons !== undefined ? { errors: details.reasons } : {}),
  };
}

/** Sends a problem document, with `Retry-After` where the catalogue has one (and no plugin set its own). */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  const retryAfterS = (ERROR_CATALOGUE[problem.code] as CatalogueEntry).retryAfterS;
  if (retryAfterS !== undefined && !reply.hasHeader('retry-after')) reply.header('retry-after', String(retryAfterS));
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * The error handler: for `setErrorHandler`, and for fastify's `frameworkErrors` (errors raised
 * before routing, such as a malformed URL). `bodyLimitBytes` is named in 413 answers.
 *
 * Logs never quote a 4xx detail: it may repeat what the body held ("got \"…\""), and bodies are not
 * logged. The code, where and feature index say enough to find the request.
 */
export function errorHandler(opts: { bodyLimitBytes: number }) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // Nobody is left to answer, and it is no fault of ours: a line at info, no stack.
    if (abortedByClient(err, request)) {
      request.log.info({ code: (err as { code?: unknown }).code }, 'the client closed the connection before the request was whole; nothing answered');
      return sendProblem(reply, problemOf({ code: 'BAD_REQUEST', message: 'the request was aborted by the client' }, request.id));
    }
    const details = describeError(err, request, opts.bodyLimitBytes);
    const problem = problemOf(details, request.id);
    if (problem.code === 'INTERNAL') request.log.error({ err }, 'request failed');
    // The server's own words (busy, timed out, not ready) are safe to log; a 4xx detail may quote the body.
    else if (problem.status >= 500) request.log.warn({ code: problem.code, status: problem.status, cause: causeOf(err) }, problem.detail);
    else request.log.info({ code: problem.code, status: problem.status, featureIndex: problem.featureIndex }, problem.title);
    return sendProblem(reply, problem);
  };
}

/**
 * Whether `err` is the request's stream failing because its client went away mid-request (an
 * upload cut off, a connection reset): Node's `aborted` (ECONNRESET), a pipeline's premature close.
 */
function abortedByClient(err: unknown, request: FastifyRequest): boolean {
  const raw = request.raw;
  if (!raw.aborted && !raw.readableAborted && !raw.socket?.destroyed) return false;
  const code = (err as { code?: unknown })?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ABORT_ERR';
}

/** Installs the error and not-found handlers. */
export function registerErrorHandling(app: FastifyInstance, handler: ReturnType<typeof errorHandler>): void {
  app.setErrorHandler(handler);
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, problemOf({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}; GET / lists the endpoints, /docs documents them` }, request.id)),
  );
}

/**
 * For fastify's `clientErrorHandler`: errors Node raises on the socket before there is a request to
 * answer (a request that does not arrive in time, oversized headers, unparsable HTTP). Written by
 * hand, as Node would, but as problem documents like every other error.
 */
export function clientErrorHandler(opts: { requestTimeoutMs: number }) {
  return function (this: FastifyInstance, err: Error & { code?: string }, socket: Duplex): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const details: ErrorDetails =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? { code: 'REQUEST_TIMEOUT', message: `the request did not arrive whole within ${opts.requestTimeoutMs} ms` }
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? { code: 'HEADERS_TOO_LARGE', message: 'the request headers are larger than the server accepts' }
          : { code: 'BAD_REQUEST', message: 'the request is not valid HTTP' };
    const problem = problemOf(details);
    this.log.debug({ code: problem.code, err }, 'client error');
    if (socket.writable) {
      const body = JSON.stringify(problem);
      socket.write(
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nConnection: close\r\n` +
          `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy(err);
  };
}

/** Maps any error to what an answer may show. */
export function describeError(err: unknown, request: FastifyRequest, bodyLimitBytes: number): ErrorDetails {
  if (err instanceof InputError) return inputErrorDetails(err);
  if (err instanceof ApiError) return { code: err.code, message: err.message, ...(err.where ? { where: err.where } : {}) };
  // The store's other codes (locked, schema too new, lease lost) are the server's trouble: 500, logged.
  if (err instanceof StoreError && err.code === 'DATASET_KIND') return { code: 'DATASET_KIND', message: err.message };
  // An outage, not a bug: the message names its kind only (no host), the driver's error is logged.
  if (err instanceof StoreError && err.code === 'STORE_UNAVAILABLE') return { code: 'STORE_UNAVAILABLE', message: `${err.message}; retry later` };
  // A NUL or lone surrogate the readers' checks missed: PostgreSQL's refusal is the input's fault, not a bug.
  if (isEncodingRefusal(err)) return { code: 'INVALID_PARAMETER', message: 'a string in the request holds a NUL character (\\u0000) or a lone UTF-16 surrogate, which text may not hold' };
  const fastifyError = err as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'BODY_TOO_LARGE', message: `request body is larger than the limit of ${formatBytes(bodyLimitBytes)}` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = request.headers['content-type'];
      const got = type ? `content type ${JSON.stringify(type)}` : 'a body without a content type';
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: `got ${got}, expected application/json` };
    }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'INVALID_JSON', message: 'request body is empty: expected a JSON object' };
  }
  // Fastify's own 4xx errors (bad URL, bad content length...) have safe, specific messages.
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { code: status === 413 ? 'BODY_TOO_LARGE' : 'BAD_REQUEST', message: fastifyError.message ?? 'bad request' };
  }
  return { code: 'INTERNAL', message: `internal error; the details are in the server log under request id ${request.id}` };
}

/**
 * PostgreSQL's (and PGlite's) refusals of a character, also as a wrapped cause: SQLSTATE 22021
 * `character_not_in_repertoire` (a NUL in text), 22P05 `untranslatable_character` (`\u0000` in
 * jsonb), and 22P02 when its detail is about a surrogate (a lone one escaped in jsonb; any other
 * 22P02 — a bad cast — is ours, a bug).
 */
function isEncodingRefusal(err: unknown): boolean {
  for (let e = err, hops = 0; e !== null && typeof e === 'object' && hops < 4; e = (e as { cause?: unknown }).cause, hops++) {
    const { code, detail } = e as { code?: unknown; detail?: unknown };
    if (code === '22021' || code === '22P05') return true;
    if (code === '22P02' && typeof detail === 'string' && /surrogate/i.test(detail)) return true;
  }
  return false;
}

function inputErrorDetails(err: InputError): ErrorDetails {
  return {
    code: err.code,
    message: err.message,
    ...(err.where !== undefined ? { where: err.where } : {}),
    ...(err.featureIndex !== undefined ? { featureIndex: err.featureIndex } : {}),
    ...(err.featureId !== undefined ? { featureId: err.featureId } : {}),
    ...(err.reasons !== undefined ? { reasons: err.reasons } : {}),
  };
}

/**
 * Coded errors cross the worker-thread boundary as plain fields (structured clone keeps only the
 * message of an Error) and are rebuilt on the main thread, so a worker's 400 reads like the main thread's.
 */
export type CodedErrorFields = ErrorDetails & { kind: 'input' | 'api' };

export function codedErrorFields(err: unknown): CodedErrorFields | undefined {
  if (err instanceof InputError) return { kind: 'input', ...inputErrorDetails(err) };
  if (err instanceof ApiError) return { kind: 'api', code: err.code, message: err.message, ...(err.where ? { where: err.where } : {}) };
  return undefined;
}

export function errorFromFields(fields: CodedErrorFields): InputError | ApiError {
  if (fields.kind === 'api') return new ApiError(fields.code, fields.message, fields.where);
  const { where, featureIndex, featureId, reasons } = fields;
  return new InputError(fields.code as ErrorCode, fields.message, { where, featureIndex, featureId, reasons });
}

/** The driver's words behind a store outage (`connect ECONNREFUSED …`), for the log only. */
function causeOf(err: unknown): string | undefined {
  const cause = err instanceof StoreError ? (err.cause as Error | undefined) : undefined;
  return cause?.message;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20) return `${+(bytes / (1 << 20)).toFixed(1)} MiB (${bytes} bytes)`;
  return `${bytes} bytes`;
}
