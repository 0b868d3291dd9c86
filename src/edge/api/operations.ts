import type { RequestContext } from '../../runtime/requests/context.ts';
import { coverageAnswer } from '../../runtime/requests/coverage-answer.ts';
import { isochronesAnswer, routeAnswer, travelTimesAnswer } from '../../runtime/requests/feature-answers.ts';
import { sitingAnswer } from '../../runtime/requests/siting-answer.ts';
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
