import type { RequestContext } from '../requests/context.ts';
import { isochrones } from '../requests/isochrones.ts';
import { travelTimes } from '../requests/travel-times.ts';
import { coverageAnswer } from '../requests/coverage-answer.ts';
import { route } from '../requests/route.ts';
import { ApiError } from './errors.ts';
import { BODY_SCHEMAS } from './schemas/bodies.ts';
import type { AnswerFormat } from './formats.ts';

/**
 * The operations the API serves, by name: the same functions run on the main thread for small
 * bodies and in a worker for large ones.
 */
export const OPERATIONS = {
  isochrones,
  'travel-times': travelTimes,
  coverage: coverageAnswer,
  route,
} satisfies Record<string, (body: Record<string, unknown>, ctx: RequestContext, format: AnswerFormat) => unknown>;

export type OperationName = keyof typeof OPERATIONS;

export { BODY_SCHEMAS } from './schemas/bodies.ts';

/**
 * What the worker checks before handing a large body to the core, in place of the schema (Ajv
 * lives on the main thread): a JSON object, required keys present, no unknown keys. Types and
 * ranges are the core's checks on both paths.
 */
export function checkBodyShape(operation: OperationName, body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('INVALID_PARAMETER', `body: got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}, expected an object`, 'body');
  }
  const schema = BODY_SCHEMAS[operation] as unknown as { required: string[]; properties: Record<string, unknown> };
  for (const key of schema.required) {
    if ((body as Record<string, unknown>)[key] === undefined) throw new ApiError('INVALID_PARAMETER', `${key}: is required`, key);
  }
  for (const key of Object.keys(body)) {
    if (!Object.hasOwn(schema.properties, key)) throw new ApiError('INVALID_PARAMETER', `${key}: is not a known parameter (check the spelling)`, key);
  }
  return body as Record<string, unknown>;
}
