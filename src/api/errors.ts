import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError } from '../errors.ts';

/**
 * The one place where errors become HTTP answers. Every error answer has the same shape:
 *
 *   { "error": { "code", "message", "where"?, "featureIndex"?, "featureId"? } }
 *
 * Codes are stable (clients may switch on them); messages are for people. A 5xx answer never
 * carries details: those go to the log, keyed by the request id the answer names.
 */
export const API_ERROR_STATUS = {
  INVALID_JSON: 400,
  INVALID_PARAMETER: 400,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
  SERVER_BUSY: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export interface ErrorDetails {
  code: string;
  message: string;
  where?: string;
  featureIndex?: number;
  featureId?: string | number;
}

export interface ErrorAnswer {
  error: ErrorDetails;
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
    this.statusCode = API_ERROR_STATUS[code];
    this.where = where;
  }
}

/**
 * The error handler: for `setErrorHandler`, and for fastify's `frameworkErrors` (errors raised
 * before routing, such as a malformed URL). `bodyLimitBytes` is named in 413 answers.
 */
export function errorHandler(opts: { bodyLimitBytes: number }) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { statusCode, details } = describeError(err, request, opts.bodyLimitBytes);
    if (statusCode >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: details.code, where: details.where }, details.message);
    if (statusCode === 503) reply.header('retry-after', '5');
    return reply.code(statusCode).send({ error: details } satisfies ErrorAnswer);
  };
}

/** Installs the error and not-found handlers. */
export function registerErrorHandling(app: FastifyInstance, handler: ReturnType<typeof errorHandler>): void {
  app.setErrorHandler(handler);
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}; GET / lists the endpoints` } } satisfies ErrorAnswer),
  );
}

/** Maps any error to its status and the details an answer may show. */
export function describeError(err: unknown, request: FastifyRequest, bodyLimitBytes: number): { statusCode: number; details: ErrorDetails } {
  if (err instanceof InputError) return { statusCode: 400, details: inputErrorDetails(err) };
  if (err instanceof ApiError) return { statusCode: err.statusCode, details: { code: err.code, message: err.message, ...(err.where ? { where: err.where } : {}) } };
  const fastifyError = err as Partial<FastifyError>;
  if (Array.isArray(fastifyError.validation) && fastifyError.validation.length > 0) {
    return { statusCode: 400, details: validationDetails(fastifyError.validation[0] as unknown as AjvError) };
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { statusCode: 413, details: { code: 'BODY_TOO_LARGE', message: `request body is larger than the limit of ${formatBytes(bodyLimitBytes)}` } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = request.headers['content-type'];
      const got = type ? `content type ${JSON.stringify(type)}` : 'a body without a content type';
      return { statusCode: 415, details: { code: 'UNSUPPORTED_MEDIA_TYPE', message: `got ${got}, expected application/json` } };
    }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { statusCode: 400, details: { code: 'INVALID_JSON', message: 'request body is empty: expected a JSON object' } };
  }
  // Fastify's own 4xx errors (bad URL, bad content length...) have safe, specific messages.
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { statusCode: status, details: { code: status === 413 ? 'BODY_TOO_LARGE' : 'BAD_REQUEST', message: fastifyError.message ?? 'bad request' } };
  }
  return { statusCode: 500, details: { code: 'INTERNAL', message: `internal error; the details are in the server log under request id ${request.id}` } };
}

export function inputErrorDetails(err: InputError): ErrorDetails {
  return {
    code: err.code,
    message: err.message,
    ...(err.where !== undefined ? { where: err.where } : {}),
    ...(err.featureIndex !== undefined ? { featureIndex: err.featureIndex } : {}),
    ...(err.featureId !== undefined ? { featureId: err.featureId } : {}),
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
  if (fields.kind === 'api') return new ApiError(fields.code as ApiErrorCode, fields.message, fields.where);
  const { where, featureIndex, featureId } = fields;
  return new InputError(fields.code as InputError['code'], fields.message, { where, featureIndex, featureId });
}

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  /** Present because the app's Ajv runs with `verbose: true`. */
  data?: unknown;
}

/** Ajv's first error as "field: got X, expected Y", naming the field as the core does (`minutes[0]`). */
function validationDetails(e: AjvError): ErrorDetails {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
  const child = (e.params.missingProperty ?? e.params.additionalProperty) as string | undefined;
  const where = child ? (path ? `${path}.${child}` : child) : path || 'body';
  let message: string;
  if (e.keyword === 'required') message = 'is required';
  else if (e.keyword === 'additionalProperties') message = 'is not a known parameter (check the spelling)';
  else if (e.keyword === 'enum') message = `got ${show(e.data)}, expected one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
  else if (e.keyword === 'type') message = `got ${show(e.data)}, expected ${articled(String(e.params.type))}`;
  else message = `got ${show(e.data)}: ${e.message ?? 'is invalid'}`;
  return { code: 'INVALID_PARAMETER', message: `${where}: ${message}`, where };
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function articled(type: string): string {
  return type.split(',').map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`)).join(' or ');
}

function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20) return `${+(bytes / (1 << 20)).toFixed(1)} MiB (${bytes} bytes)`;
  return `${bytes} bytes`;
}
