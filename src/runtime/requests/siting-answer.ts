import { CSV_BOM } from '../../core/coverage/outputs.ts';
import { InputError } from '../../core/errors.ts';
import { csvField } from '../../core/io/export-layers.ts';
import type { RequestContext } from './context.ts';
import { type AnswerFormat, CONTENT_TYPES, Rendered, downloadName } from './rendered.ts';
import { type SitingResponse, type WhatIfResponse, siting } from './siting.ts';

/**
 * The siting operation in the format asked for: the JSON answer; a GeoJSON map of the sites ranked
 * (each with its gains and the communities it newly serves, styled so a viewer shows the ranking,
 * the answer's summary as foreign members); or a CSV table, one row per site. A what-if answer is a
 * coverage report: JSON only.
 */
export async function sitingAnswer(body: Record<string, unknown>, ctx: RequestContext, format: AnswerFormat = 'json'): Promise<SitingResponse | WhatIfResponse | Rendered> {
  const { response } = await siting(body, ctx);
  if (format === 'json') return response;
  if ('whatIf' in response) {
    throw new InputError('INVALID_PARAMETER', `format: a what-if answer (with \`add\`) is a coverage report, answered as JSON; got ${format} (POST /v1/coverage renders the same report as a file)`, { where: 'format' });
  }
  return renderSiting(response, format);
}

/** A siting answer as a GeoJSON map or a CSV table (a siting job's run is read back through it too). */
export function renderSiting(response: SitingResponse, format: Exclude<AnswerFormat, 'json'>): Rendered {
  const filename = downloadName('siting', [response.item.id, response.travel.mode, `${response.travel.minutes}min`], format);
  if (format === 'geojson') return new Rendered(CONTENT_TYPES.geojson, JSON.stringify(sitingGeoJson(response)), filename);
  if (format === 'csv') return new Rendered(CONTENT_TYPES.csv, sitingCsv(response), filename);
  throw new InputError('INVALID_PARAMETER', `format: siting answers json, geojson or csv; got ${format}`, { where: 'format' });
}

const CSV_COLUMNS = ['rank', 'id', 'name', 'lon', 'lat', 'gain_population', 'gain_communities', 'cumulative_share', 'cost', 'communities', 'communities_met', 'method', 'optimal'] as const;

export function sitingCsv(r: SitingResponse): string {
  const lines = [CSV_COLUMNS.join(',')];
  r.sites.forEach((s, i) => {
    const [lon, lat] = pointOf(s.geometry);
    const row: Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null> = {
      rank: i + 1,
      id: s.id,
      name: s.name ?? null,
      lon,
      lat,
      gain_population: s.gainPopulation,
      gain_communities: s.gainCommunities,
      cumulative_share: s.cumulativeShare,
      cost: s.cost ?? null,
      communities: s.communities.map((c) => c.id).join(';'),
      communities_met: s.communities.filter((c) => c.nowMet).map((c) => c.id).join(';'),
      method: r.method,
      optimal: r.optimal,
    };
    lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  });
  return CSV_BOM + lines.join('\r\n') + '\r\n';
}

export function sitingGeoJson(r: SitingResponse) {
  const { sites, communities: _communities, ...summary } = r;
  return {
    type: 'FeatureCollection',
    ...summary,
    features: sites.map((s, i) => ({
      type: 'Feature',
      geometry: s.geometry,
      properties: {
        rank: i + 1,
        id: s.id,
        ...(s.name !== undefined ? { name: s.name } : {}),
        gainPopulation: s.gainPopulation,
        gainCommunities: s.gainCommunities,
        cumulativeShare: s.cumulativeShare,
        communities: s.communities,
        // simplestyle: the first choices darkest, so a viewer shows the ranking.
        'marker-color': rankColour(i, sites.length),
        'marker-symbol': String(i + 1),
        stroke: rankColour(i, sites.length),
        fill: rankColour(i, sites.length),
        'fill-opacity': 0.4,
      },
    })),
  };
}

function rankColour(i: number, n: number): string {
  const t = n <= 1 ? 0 : i / (n - 1);
  const channel = (a: number, b: number) => Math.round(a + (b - a) * t).toString(16).padStart(2, '0');
  return `#${channel(0x08, 0x9e)}${channel(0x30, 0xca)}${channel(0x6b, 0xe1)}`;
}

function pointOf(geometry: SitingResponse['sites'][number]['geometry']): [number | null, number | null] {
  if (geometry.type === 'Point') return [geometry.coordinates[0], geometry.coordinates[1]];
  return [null, null];
}
