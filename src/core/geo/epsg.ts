/**
 * The EPSG coordinate systems Chinese planning data comes in, as proj4 definitions generated from
 * their zone numbers (the same strings PROJ's database gives: `gdalsrsinfo -o proj4 EPSG:4547`):
 *
 *  - 4326 WGS 84 and 4490 CGCS2000 (geographic, degrees);
 *  - CGCS2000 Gauss–Krüger, GRS80, scale 1, false easting 500 km — prefixed with the zone number in
 *    the "zone" systems (zone 38 → 38 500 000), as surveying offices write it:
 *      4491–4501 6-degree zones 13–23 (central meridian 6·zone − 3: 75°E … 135°E), 4502–4512 the same
 *      without prefix; 4513–4533 3-degree zones 25–45 (central meridian 3·zone), 4534–4554 the same
 *      without prefix (4547: CM 114°E, Guangzhou's);
 *  - 3857 Web Mercator (and the codes it went by: 900913, 3785, 102100, 102113);
 *  - UTM on WGS 84, 32601–32660 north and 32701–32760 south.
 *
 * CGCS2000 is tied to ITRF at epoch 2000.0 and WGS 84 (G1150 on) to ITRF too: the two differ by
 * centimetres, so, as PROJ does without a grid, no datum shift is applied between them.
 *
 * Axis order is the GIS one, easting then northing (longitude then latitude), as ogr2ogr writes
 * GeoJSON and shapefiles, whatever order the EPSG register declares.
 */
export interface EpsgDefinition {
  code: number;
  /** The register's name, for messages. */
  name: string;
  proj4: string;
  units: 'degrees' | 'metres';
}

/** The definition of `code`, or undefined when it is not one we read. */
export function epsgDefinition(code: number): EpsgDefinition | undefined {
  if (!Number.isInteger(code)) return undefined;
  const aliasOf = WEB_MERCATOR_ALIASES.has(code) ? 3857 : code;
  if (aliasOf === 4326) return { code: 4326, name: 'WGS 84', proj4: '+proj=longlat +datum=WGS84 +no_defs', units: 'degrees' };
  if (aliasOf === 4490) return { code: 4490, name: 'China Geodetic Coordinate System 2000', proj4: '+proj=longlat +ellps=GRS80 +no_defs', units: 'degrees' };
  if (aliasOf === 3857) return { code: 3857, name: 'WGS 84 / Pseudo-Mercator', proj4: WEB_MERCATOR, units: 'metres' };
  if (code >= 4491 && code <= 4501) return gaussKruger(code, 6, code - 4491 + 13, true);
  if (code >= 4502 && code <= 4512) return gaussKruger(code, 6, code - 4502 + 13, false);
  if (code >= 4513 && code <= 4533) return gaussKruger(code, 3, code - 4513 + 25, true);
  if (code >= 4534 && code <= 4554) return gaussKruger(code, 3, code - 4534 + 25, false);
  if (code >= 32601 && code <= 32660) return utm(code, code - 32600, 'N');
  if (code >= 32701 && code <= 32760) return utm(code, code - 32700, 'S');
  return undefined;
}

/** What `epsgDefinition` knows, for "expected …" in messages. */
export const SUPPORTED_EPSG =
  'EPSG:4326 (WGS 84), EPSG:4490 (CGCS2000), EPSG:4491–4554 (CGCS2000 Gauss–Krüger 6- and 3-degree zones), EPSG:3857 (Web Mercator), EPSG:32601–32660 and 32701–32760 (UTM)';

const WEB_MERCATOR = '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs';
const WEB_MERCATOR_ALIASES = new Set([900913, 3785, 102100, 102113]);

/** A CGCS2000 Gauss–Krüger zone of `width` degrees; `prefixed`: the false easting carries the zone number. */
function gaussKruger(code: number, width: 3 | 6, zone: number, prefixed: boolean): EpsgDefinition {
  const centralMeridian = width === 6 ? zone * 6 - 3 : zone * 3;
  const falseEasting = prefixed ? zone * 1_000_000 + 500_000 : 500_000;
  const kind = width === 6 ? 'Gauss-Kruger' : '3-degree Gauss-Kruger';
  return {
    code,
    name: prefixed ? `CGCS2000 / ${kind} zone ${zone}` : `CGCS2000 / ${kind} CM ${centralMeridian}E`,
    proj4: `+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=1 +x_0=${falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`,
    units: 'metres',
  };
}

function utm(code: number, zone: number, hemisphere: 'N' | 'S'): EpsgDefinition {
  return {
    code,
    name: `WGS 84 / UTM zone ${zone}${hemisphere}`,
    proj4: `+proj=utm +zone=${zone}${hemisphere === 'S' ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`,
    units: 'metres',
  };
}
