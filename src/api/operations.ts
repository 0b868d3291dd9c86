import type { RequestContext } from '../requests/context.ts';
import { coverageAnswer } from '../requests/coverage-answer.ts';
import { isochronesAnswer, routeAnswer, travelTimesAnswer } from '../requests/feature-answers.ts';
import { sitingAnswer } from '../requests/siting-answer.ts';
import { type ObjectShape, objectShapeProblem } from './body-shape.ts';
import { ApiError } from './errors.ts';
import { BODY_SCHEMAS } from './schemas/bodies.ts';
import type { AnswerFormat, FormatName } from './formats.ts';

/**
 * The operations the API serves, by name: the same functions run on the main thread for small
 * bodies and in a worker for large ones.
 */
export const OPERATIONS = {
  isochrones: isochronesAnswer,
  'travel-times': travelTimesAnswer,
  coverage: coverageAnswer,
  route: routeAnswer,
  siting: sitingAnswer,
} satisfies Record<string, (body: Record<string, unknown>, ctx: RequestContext, format: AnswerFormat) => unknown>;

export type OperationName = keyof typeof OPERATIONS;

/** The formats each operation answers in (`?format=`, `Accept`), besides JSON. */
export const OFFERED_FORMATS: Record<OperationName, readonly FormatName[]> = {
  coverage: ['geojson', 'csv', 'shp', 'gpkg'],
  isochrones: ['geojson', 'shp', 'gpkg'],
  'travel-times': ['csv', 'geojson', 'shp', 'gpkg'],
  route: ['geojson', 'shp', 'gpkg'],
  siting: ['geojson', 'csv'],
};

export { BODY_SCHEMAS } from './schemas/bodies.ts';

/**
 * What the worker checks before handing a large body to the core, in place of the schema (Ajv
 * lives on the main thread): a JSON object, required keys present, no unknown keys, told as the
 * edge tells them (body-shape.ts). Types and ranges are the core's checks on both paths.
 */
export function checkBodyShape(operation: OperationName, body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('INVALID_PARAMETER', `body: got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}, expected an object`, 'body');
  }
  const problem = objectShapeProblem(BODY_SCHEMAS[operation] as ObjectShape, body as Record<string, unknown>);
  if (problem) throw new ApiError('INVALID_PARAMETER', problem.message, problem.where);
  return body as Record<string, unknown>;
}
