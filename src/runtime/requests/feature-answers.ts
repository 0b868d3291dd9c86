import type { Feature, FeatureCollection, LineString } from 'geojson';
import { type ExportLayer, type ExportValue, csvField, featuresLayer, roundCoordinate } from '../../core/io/export-layers.ts';
import { geoPackage } from '../../core/io/geopackage-writer.ts';
import { zippedShapefile } from '../../core/io/shapefile-writer.ts';
import type { LocatedPoint } from '../../core/routing/locate.ts';
import type { RequestContext } from './context.ts';
import { type IsochroneResponse, isochrones } from './isochrones.ts';
import { type AnswerFormat, CONTENT_TYPES, Rendered, downloadName } from './rendered.ts';
import { type RouteResponse, route } from './route.ts';
import { type TravelTimesResult, travelTimesResult } from './travel-times.ts';

/**
 * Isochrones, travel times and routes in the format asked for (coverage has its own:
 * coverage-answer.ts). The JSON answer is the core's; the files are named after mode, minutes and date.
 *  - isochrones: GeoJSON (the answer itself), or as GIS layers `isochrones` and `origins` (the
 *    snapped points; origins that could not be placed as rows without geometry, with their error);
 *  - travel-times: an origin–destination CSV (one row per pair within maxMinutes, with ids and
 *    names), GeoJSON lines origin → target with the minutes, or the same lines as GIS layers;
 *  - route: GeoJSON (the answer itself), or its lines as a GIS layer.
 */
export function isochronesAnswer(body: Record<string, unknown>, ctx: RequestContext, format: AnswerFormat = 'json'): IsochroneResponse | Rendered | Promise<Rendered> {
  const answer = isochrones(body, ctx);
  if (format === 'json') return answer;
  const name = downloadName('isochrones', [answer.mode, `${answer.minutes.join('-')}min`], format);
  if (format === 'geojson') return new Rendered(CONTENT_TYPES.geojson, JSON.stringify(answer), name);
  const rings = answer.features.filter((f) => f.properties?.kind !== 'snapped-origin');
  const origins = answer.features.filter((f) => f.properties?.kind === 'snapped-origin');
  const failed = answer.errors.map((e) => ({ geometry: null, properties: { kind: 'origin', originId: e.originId, index: e.index, error: e.error } }));
  return gisFile(format, [featuresLayer('isochrones', rings), featuresLayer('origins', [...origins, ...failed])], 'isochrones', name);
}

export function travelTimesAnswer(body: Record<string, unknown>, ctx: RequestContext, format: AnswerFormat = 'json'): TravelTimesResult['response'] | Rendered | Promise<Rendered> {
  const result = travelTimesResult(body, ctx);
  const { response } = result;
  if (format === 'json') return response;
  const name = downloadName('travel-times', [response.mode, `${response.maxMinutes}min`], format);
  if (format === 'csv' || format === 'csv-communities') return new Rendered(CONTENT_TYPES.csv, odCsv(result), name);
  const lines = odLines(result);
  if (format === 'geojson') {
    const { origins: _origins, ...members } = response;
    const collection: FeatureCollection = { type: 'FeatureCollection', features: lines, ...members };
    return new Rendered(CONTENT_TYPES.geojson, JSON.stringify(collection), name);
  }
  const failed = [...result.origins, ...result.targets]
    .filter((p) => p.error)
    .map((p) => ({ geometry: null, properties: { [result.origins.includes(p) ? 'origin_id' : 'target_id']: p.id, error: p.error } }));
  return gisFile(format, [featuresLayer('travel_times', [...lines, ...failed])], 'travel_times', name);
}

export function routeAnswer(body: Record<string, unknown>, ctx: RequestContext, format: AnswerFormat = 'json'): RouteResponse | Rendered | Promise<Rendered> {
  const answer = route(body, ctx);
  if (format === 'json') return answer;
  const name = downloadName('route', [answer.mode, `${answer.maxMinutes}min`], format);
  if (format === 'geojson') return new Rendered(CONTENT_TYPES.geojson, JSON.stringify(answer), name);
  return gisFile(format, [featuresLayer('route', answer.features)], 'route', name);
}

function gisFile(format: AnswerFormat, layers: ExportLayer[], what: string, name: string): Rendered | Promise<Rendered> {
  if (format === 'shp') return new Rendered(CONTENT_TYPES.shp, zippedShapefile(layers, what), name);
  return geoPackage(layers).then((bytes) => new Rendered(CONTENT_TYPES.gpkg, bytes, name));
}

// --- travel times as origin–destination pairs -----------------------------------------------------

const OD_COLUMNS = ['origin_id', 'origin_name', 'target_id', 'target_name', 'minutes', 'meters', 'mode', 'max_minutes', 'error'] as const;

/**
 * One row per origin–target pair reached within maxMinutes (as the JSON lists them, nearest first),
 * then a row for each origin or target that could not be placed, with its error: every point the
 * request sent appears. UTF-8 with a byte-order mark, like the coverage tables.
 */
function odCsv({ response, origins, targets }: TravelTimesResult): string {
  const targetById = new Map(targets.map((t) => [t.id, t]));
  const lines = [OD_COLUMNS.join(',')];
  const row = (record: Partial<Record<(typeof OD_COLUMNS)[number], ExportValue>>) => OD_COLUMNS.map((c) => csvField(record[c])).join(',');
  const common = { mode: response.mode, max_minutes: response.maxMinutes };
  response.origins.forEach((o, i) => {
    const origin = origins[i];
    for (const r of o.reachable) {
      lines.push(row({ origin_id: o.id, origin_name: nameOf(origin), target_id: r.targetId, target_name: nameOf(targetById.get(r.targetId)), minutes: r.minutes, meters: r.meters, ...common }));
    }
    if (o.error) lines.push(row({ origin_id: o.id, origin_name: nameOf(origin), ...common, error: o.error }));
  });
  for (const t of targets) if (t.error) lines.push(row({ target_id: t.id, target_name: nameOf(t), ...common, error: t.error }));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Each pair reached as a straight line from the origin to the target (as sent), with its minutes. */
function odLines({ response, origins, targets }: TravelTimesResult): Feature<LineString>[] {
  const targetById = new Map(targets.map((t) => [t.id, t]));
  const features: Feature<LineString>[] = [];
  response.origins.forEach((o, i) => {
    const origin = origins[i];
    for (const r of o.reachable) {
      const target = targetById.get(r.targetId)!;
      features.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: [[roundCoordinate(origin.lon), roundCoordinate(origin.lat)], [roundCoordinate(target.lon), roundCoordinate(target.lat)]] },
        properties: { origin_id: o.id, origin_name: nameOf(origin) ?? null, target_id: r.targetId, target_name: nameOf(target) ?? null, minutes: r.minutes, meters: r.meters },
      });
    }
  });
  return features;
}

function nameOf(point: LocatedPoint | undefined): string | undefined {
  const name = point?.properties.name;
  return typeof name === 'string' || typeof name === 'number' ? String(name) : undefined;
}

