import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.ts';

/**
 * A JSON body too large to parse on the event loop: its bytes go to a worker thread as they are,
 * which parses and answers there. Route handlers see either a parsed object or this.
 */
export class DeferredBody {
  constructor(readonly bytes: Buffer) {}
}

export const JSON_CONTENT_TYPES = ['application/json', 'application/geo+json'];

/**
 * Replaces fastify's body parsers (JSON and plain text) with one for JSON only: anything else is 415.
 * Bodies below `workerThresholdBytes` are parsed here, larger ones are left as bytes (`DeferredBody`):
 * parsing tens of megabytes of inline network takes long enough to stall every other request, and
 * the worker has to read them anyway.
 */
export function registerJsonBody(app: FastifyInstance, opts: { workerThresholdBytes: number }): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_CONTENT_TYPES, { parseAs: 'buffer' }, (_request, body, done) => {
    const bytes = body as Buffer;
    if (bytes.byteLength > 0 && bytes.byteLength >= opts.workerThresholdBytes) {
      done(null, new DeferredBody(bytes));
      return;
    }
    try {
      done(null, parseJsonBody(bytes));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

/** Parses a request body; used on the main thread and in the workers alike. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) throw new ApiError('INVALID_JSON', 'request body is empty: expected a JSON object');
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    throw new ApiError('INVALID_JSON', `request body is not valid JSON: ${(err as Error).message}`);
  }
}
