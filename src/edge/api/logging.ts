import type { FastifyServerOptions } from 'fastify';

/**
 * The logger: fastify's pino, JSON lines. Request bodies (cities' data) and credentials are never
 * logged. Fastify's request serializer logs method, URL, host and remote address only; the error
 * handler logs codes, not the 4xx details that may quote a body (errors.ts); and these paths are
 * censored wherever a log call puts them, so that a later `log.info({ headers })` cannot leak a key.
 */
const REDACTED_PATHS = [
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers.cookie',
  'body',
  '*.body',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go (tests capture them); default stdout. */
  stream?: { write(line: string): void };
}

/** Fastify's `logger` option: off, or pino with `level`, `stream` and the redaction. */
export function loggerOptions(logger: boolean | LoggerOptions | undefined): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const { level = 'info', stream } = logger === true ? {} : logger;
  return { level, ...(stream ? { stream } : {}), redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
}
