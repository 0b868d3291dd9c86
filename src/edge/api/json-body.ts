import type { FastifyInstance } from 'fastify';
import { NO_TEXT_MAY, findBadString, parseJsonText } from '../../core/io/json-text.ts';
import { ApiError } from './errors.ts';

/**
 * A JSON body too large to parse on the event loop: its bytes go to a worker thread as they are,
 * which parses and answers there. Route handlers see either a parsed object or this.
 */
export class DeferredBody {
  constructor(readonly bytes: Buffer) {}
}

const JSON_CONTENT_TYPES = ['application/json', 'application/geo+json'];

/**
 * Replaces fastify's body parsers (JSON and plain text) with one for JSON only: anything else is 415.
 * Bodies below `workerThresholdBytes` are parsed here, larger ones are left as bytes (`DeferredBody`):
 * parsing tens of megabytes of inline network takes long enough to stall every other request, and
 * the worker has to read them anyway.
 */
export function registerJsonBody(app: FastifyInstance, opts: { workerThresholdBytes: number }): void {
  // The URL's strings (`?name=`, `/v1/datasets/:id`) are held to the bodies' rule: `%00` decodes to a NUL.
  app.addHook('preValidation', async (request) => {
    for (const [part, values] of [['query', request.query], ['path', request.params]] as const) {
      const found = findBadString(values);
      if (found) throw new ApiError('INVALID_PARAMETER', `${found.path} (${part}): holds ${found.problem}, ${NO_TEXT_MAY}`, found.path);
    }
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_CONTENT_TYPES, { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (bytes.byteLength > 0 && bytes.byteLength >= opts.workerThresholdBytes) {
      done(null, new DeferredBody(bytes));
      return;
    }
    try {
      const parsed = parseJsonBody(bytes);
      rawBodies.set(request, bytes);
      done(null, parsed);
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

// The bytes of parsed bodies, by request: one estimated to cost more than a few milliseconds is sent
// to a worker thread as it came (answer.ts), not serialized again on the event loop.
const rawBodies = new WeakMap<object, Buffer>();

/** The bytes a parsed JSON body was read from. */
export function rawBodyOf(request: object): Buffer | undefined {
  return rawBodies.get(request);
}

/**
 * Parses a request body; used on the main thread and in the workers alike. Nesting past
 * `MAX_JSON_DEPTH` is a 400 INVALID_JSON before parsing; a NUL or lone surrogate anywhere, a 400
 * INVALID_PARAMETER naming its path (see src/core/io/json-text.ts).
 */
export function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) throw new ApiError('INVALID_JSON', 'request body is empty: expected a JSON object');
  return parseJsonText(bytes, { what: 'request body' });
}
