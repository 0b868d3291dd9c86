import { type CoverageAssumptions, type CoverageExtras, coverageCommunitiesCsv, coverageCsv, coverageGeoJson, coverageLayers } from '../../core/coverage/outputs.ts';
import { geoPackage } from '../../core/io/geopackage-writer.ts';
import { zippedShapefile } from '../../core/io/shapefile-writer.ts';
import { type CoverageResponse, coverage } from './coverage.ts';
import type { RequestContext } from './context.ts';
import { type AnswerFormat, CONTENT_TYPES, Rendered, downloadName } from './rendered.ts';

/**
 * The coverage operation in the answer format asked for: the JSON report, or a file — GeoJSON map,
 * CSV table (per item, or per community), zipped shapefile, GeoPackage — named after what it assumed.
 * Every file keeps every community (refused ones with their error) and states its assumptions.
 */
export function coverageAnswer(body: Record<string, unknown>, ctx: RequestContext, format: AnswerFormat = 'json'): CoverageResponse | Rendered | Promise<Rendered> {
  const { response, communities } = coverage(body, ctx);
  if (format === 'json') return response;
  const extras: CoverageExtras = {
    notAssessed: response.errors.communities,
    assumptions: coverageAssumptions(response),
  };
  const filename = downloadName('coverage', coverageNameParts(extras.assumptions!), format);
  const rendered = (bytes: string | Uint8Array) => new Rendered(CONTENT_TYPES[format], bytes, filename);
  if (format === 'csv') return rendered(coverageCsv(response, extras));
  if (format === 'csv-communities') return rendered(coverageCommunitiesCsv(response, extras));
  if (format === 'geojson') {
    const members = { inputs: response.inputs, assessment: response.assessment, errors: response.errors };
    return rendered(JSON.stringify(coverageGeoJson(response, communities, { ...extras, members })));
  }
  const byId = new Map(communities.map((c) => [c.id, c.geometry]));
  const layers = coverageLayers(response.communities.map((report) => ({ report, geometry: byId.get(report.id) ?? null })), extras);
  if (format === 'shp') return rendered(zippedShapefile(layers, 'coverage'));
  return geoPackage(layers).then(rendered);
}

/** What every verdict of the answer assumed: each standard's travel, the origin rule, the met share. */
export function coverageAssumptions(response: Pick<CoverageResponse, 'standards' | 'assessment' | 'overrides'>): CoverageAssumptions {
  return {
    standards: response.standards.map((s) => ({ id: s.id, mode: s.mode, minutes: s.minutes, ...(response.overrides.speedKmh ? { speedKmh: response.overrides.speedKmh } : {}) })),
    origin: response.assessment.origin,
    metShare: response.assessment.metShare,
  };
}

/** The download's name parts: the standard (or how many), the mode and minutes (or `mixed`); unknown ones left out. */
export function coverageNameParts(a: CoverageAssumptions): string[] {
  const one = <T>(values: T[]) => (new Set(values).size === 1 ? values[0] : 'mixed');
  if (a.standards.length === 0) return [];
  const mode = one(a.standards.map((s) => s.mode));
  const minutes = one(a.standards.map((s) => s.minutes));
  return [
    a.standards.length === 1 ? a.standards[0].id : `${a.standards.length}-standards`,
    ...(mode === 'unknown' ? [] : [mode]),
    ...(minutes === null ? [] : [`${minutes}min`]),
  ];
}
