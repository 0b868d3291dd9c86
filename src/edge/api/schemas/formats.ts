import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../../runtime/requests/schema.ts';

/**
 * `?format=` and `?sheet=`: the answer's format by name, for clients that cannot set `Accept` (a URL
 * pasted into QGIS, a browser link). They win over `Accept`.
 */
export const FORMAT_QUERY = {
  format: Type.Optional(
    StringEnum(['json', 'geojson', 'csv', 'shp', 'gpkg'] as const, {
      description: 'the answer\'s format, instead of `Accept`: `json`, `geojson`, `csv`, `shp` (a zipped shapefile: one layer per geometry type, short field names with a `*_fields.csv` table, `.prj` WGS84, `.cpg` UTF-8) or `gpkg` (GeoPackage); an endpoint lists the ones it offers, others are a 400',
    }),
  ),
  sheet: Type.Optional(
    StringEnum(['items', 'communities'] as const, {
      description: 'coverage CSV: `items` (default: a row per community × standard × item) or `communities` (a row per community × standard: share met, pass, missing items); implies `format=csv`',
    }),
  ),
};

/** The query of a compute route: only the format. */
export const FormatQuery = Type.Object(FORMAT_QUERY, { additionalProperties: false });

/** A zipped shapefile or a GeoPackage: bytes. */
const GisFile = (what: string) => Type.String({ contentEncoding: 'binary', description: what });
export const SHAPEFILE_ZIP = GisFile('`?format=shp` or `Accept: application/zip`: a zipped shapefile — one layer per geometry type (`<layer>_points`, `_polygons`…), field names of at most 10 characters listed with their full names in `<name>_fields.csv`, `.prj` WGS84, `.cpg` UTF-8; tables without geometry as lone `.dbf` files');
export const GEOPACKAGE = GisFile('`?format=gpkg` or `Accept: application/geopackage+sqlite3`: an OGC GeoPackage, one table per layer with its full field names, WGS84');

/** The 200 answer of a compute route: its JSON, and the files it offers. */
export function answerContent(description: string, content: Record<string, unknown>) {
  return {
    description,
    content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])),
  } as never;
}

/** travel-times as an origin–destination table. */
export const TravelTimesCsv = Type.String({
  description: '`text/csv`: one row per origin–target pair reached within maxMinutes (nearest first), then a row per origin or target that could not be placed, with its error; UTF-8 with a byte-order mark',
  examples: ['\uFEFForigin_id,origin_name,target_id,target_name,minutes,meters,mode,max_minutes,error\r\n'],
});

/** travel-times as lines. */
export const TravelTimesMap = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        geometry: Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Type.Array(Type.Number())) }),
        properties: Type.Object({
          origin_id: Type.String(),
          origin_name: Type.Union([Type.String(), Type.Null()]),
          target_id: Type.String(),
          target_name: Type.Union([Type.String(), Type.Null()]),
          minutes: Type.Number(),
          meters: Type.Number(),
        }),
      }),
    ),
  },
  { description: '`application/geo+json`: a straight line from each origin to each target it reaches, with the minutes; the JSON answer\'s other members (mode, errors, inputs…) beside the features' },
);

/** The query of a default layer: GeoJSON (default), or a zipped shapefile or GeoPackage by name. */
export const LayerFormatQuery = Type.Object(
  {
    format: Type.Optional(
      StringEnum(['json', 'geojson', 'shp', 'gpkg'] as const, { description: '`geojson` (default; `json` is the same), `shp` (zipped shapefile) or `gpkg` (GeoPackage)' }),
    ),
  },
  { additionalProperties: false },
);
