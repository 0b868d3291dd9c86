import { type TSchema, Type } from '@sinclair/typebox';
import { type ApiErrorCode, type CatalogueEntry, ERROR_CATALOGUE, PROBLEM_TYPE_PREFIX } from '../errors.ts';

/** The error answer, RFC 9457, with the catalogue's codes (errors.ts). */
export const Problem = Type.Object(
  {
    type: Type.String({ description: `\`${PROBLEM_TYPE_PREFIX}<code>\``, examples: [`${PROBLEM_TYPE_PREFIX}INVALID_PARAMETER`] }),
    title: Type.String({ description: 'the code in words', examples: ['Invalid parameter'] }),
    status: Type.Number({ description: 'the HTTP status', examples: [400] }),
    detail: Type.String({ description: 'what is wrong and where, for people ("got X, expected Y")', examples: ['minutes[1]: got -5, expected a number greater than 0 and at most 180'] }),
    code: Type.Unsafe<ApiErrorCode>({ type: 'string', enum: Object.keys(ERROR_CATALOGUE), description: 'stable: switch on it' }),
    instance: Type.Optional(Type.String({ description: 'this occurrence: `urn:lifecircle:request:<request id>`, as logged', examples: ['urn:lifecircle:request:req-7'] })),
    where: Type.Optional(Type.String({ description: 'the part of the request at fault: a parameter (`minutes[1]`), `origins`, `network`, …' })),
    featureIndex: Type.Optional(Type.Number({ description: 'the index of the feature at fault in its collection' })),
    featureId: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: 'the id of the feature at fault' })),
    errors: Type.Optional(
      Type.Array(
        Type.Object({ what: Type.String({ description: '`communities`, `origins`, `targets`…' }), index: Type.Number(), id: Type.Optional(Type.String()), message: Type.String() }),
        { description: '`NO_USABLE_INPUT`: why each feature was left out' },
      ),
    ),
  },
  { $id: 'Problem', description: 'An error: `application/problem+json` (RFC 9457).' },
);

/** The errors any route but /health and /ready may answer: rate limiting, load shedding, shutting down, bugs. */
const COMMON_ERRORS: readonly ApiErrorCode[] = ['BAD_REQUEST', 'RATE_LIMITED', 'INTERNAL', 'SERVER_BUSY', 'NOT_READY'];

/** The errors of the compute routes, on top of the common ones. */
export const COMPUTE_ERRORS: readonly ApiErrorCode[] = [
  'INVALID_JSON', 'INVALID_PARAMETER', 'INVALID_GEOJSON', 'INVALID_GEOMETRY', 'EMPTY_NETWORK',
  'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'LIMIT_EXCEEDED', 'NO_USABLE_INPUT', 'TIMEOUT',
];

/**
 * OpenAPI responses for `codes` (and the common ones): one per status, its description listing the
 * codes it may carry and when, from the catalogue.
 */
export function problemResponses(codes: readonly ApiErrorCode[] = []): Record<number, TSchema> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  // A route that may answer UNAUTHORIZED looks the key up in the store, which may be down.
  const withStore = codes.includes('UNAUTHORIZED') ? [...codes, 'STORE_UNAVAILABLE' as const] : codes;
  for (const code of new Set([...withStore, ...COMMON_ERRORS])) {
    const { status } = ERROR_CATALOGUE[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<number, TSchema> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const description = list.map((code) => `\`${code}\`: ${(ERROR_CATALOGUE[code] as CatalogueEntry).when}`).join('; ');
    responses[status] = { description, content: { 'application/problem+json': { schema: Type.Ref(Problem.$id!) } } } as unknown as TSchema;
  }
  return responses;
}
