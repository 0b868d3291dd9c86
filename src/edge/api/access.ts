import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKey } from '../../runtime/store/index.ts';
import { ApiError } from './errors.ts';

/**
 * Who is asking. Datasets, jobs and runs belong to an API key, sent as `x-api-key: <key>` or
 * `Authorization: Bearer <key>`; without one, or with one the store does not know, those routes
 * answer 401 UNAUTHORIZED (`WWW-Authenticate: Bearer`). Another key's ids answer 404 exactly like
 * ids that never existed: the store's repositories are owner-scoped, so nothing reveals them.
 *
 * The compute routes answer without a key while `allowAnonymousCompute` holds; a key they are sent
 * is checked all the same (a mistyped key is told, not silently ignored), and lets the body refer to
 * that key's datasets.
 *
 * Keys are looked up by hash, through a cache of a few seconds (known-keys.ts: a revoked key is
 * refused within that time), and never logged (logging.ts redacts both headers). A disabled key
 * answers exactly like an unknown one.
 */
declare module 'fastify' {
  interface FastifyRequest {
    /** The request's key once `authenticate` or `optionalKey` found it. */
    apiKey?: ApiKey;
  }
}

/** The header an API key is sent in (or `Authorization: Bearer <key>`): also the OpenAPI document's security scheme. */
export const API_KEY_HEADER = 'x-api-key';

/** The key a request carries, if any: `x-api-key` first, then `Authorization: Bearer`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers[API_KEY_HEADER];
  const key = Array.isArray(header) ? header[0] : header;
  if (key) return key.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match ? match[1] : undefined;
}

/** For an `onRequest` hook: 401 unless the request carries a key the store knows. */
export async function authenticate(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<ApiKey> {
  const key = presentedKey(request);
  if (!key) throw unauthorized(reply, 'an API key is required: send it as `x-api-key: <key>` or `Authorization: Bearer <key>`');
  if (!app.knownKeys) throw unauthorized(reply, 'this server keeps no API keys (it runs without a store)');
  const found = await app.knownKeys.find(key);
  if (!found) throw unauthorized(reply, 'the API key is not known to this server');
  request.apiKey = found;
  return found;
}

/**
 * The compute routes' check: the key when one is sent (401 if unknown); none is fine while anonymous
 * compute is allowed. Without a store there are no keys to check and a key only names a rate-limit bucket.
 */
export async function optionalKey(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, allowAnonymous: boolean): Promise<ApiKey | undefined> {
  if ((presentedKey(request) && app.store) || !allowAnonymous) return authenticate(app, request, reply);
  return undefined;
}

/** The key `authenticate` found: for handlers behind the hook. */
export function ownerOf(request: FastifyRequest): string {
  if (!request.apiKey) throw new Error('ownerOf: the route has no authentication hook');
  return request.apiKey.id;
}

function unauthorized(reply: FastifyReply, message: string): ApiError {
  reply.header('www-authenticate', 'Bearer realm="lifecircle"');
  return new ApiError('UNAUTHORIZED', message);
}
