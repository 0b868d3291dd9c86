import { type AnswerFormat, Rendered } from './rendered.ts';
import { coverageCsv, coverageGeoJson } from '../coverage/outputs.ts';
import { coverage } from './coverage.ts';
import type { RequestContext } from './context.ts';

/** The coverage operation in the answer format asked for: JSON report, GeoJSON map, or CSV table. */
export function coverageAnswer(body: Record<string, unknown>, ctx: RequestContext, format: AnswerFormat = 'json'): unknown {
  const { response, communities } = coverage(body, ctx);
  if (format === 'csv') return new Rendered('text/csv; charset=utf-8', coverageCsv(response));
  if (format === 'geojson') return new Rendered('application/geo+json; charset=utf-8', JSON.stringify(coverageGeoJson(response, communities)));
  return response;
}
