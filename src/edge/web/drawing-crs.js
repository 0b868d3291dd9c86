/**
 * Dropped files in another coordinate system, for drawing only: the server converts what it
 * assesses (the collection's `crs` member), and the page draws the offsets Chinese web maps use —
 * GCJ-02 (Amap, Tencent), BD-09 (Baidu) — and Web Mercator with gcoord, the library the server
 * converts them with. A projected system (a Gauss–Krüger zone) is not drawn from the file: the
 * communities come back in WGS84 with the coverage answer's map; its network and facilities are
 * assessed but not drawn (the data slot says so).
 */
import gcoord from '/vendor/gcoord/gcoord.esm-browser.prod.js';

const GCOORD = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09, 'EPSG:3857': gcoord.EPSG3857, 'EPSG:4490': gcoord.WGS84 };

/** The collection in WGS84 for drawing, or null when the page cannot convert its system. */
export function drawableCollection(collection, system) {
  if (!system || system === 'wgs84') return collection;
  const from = GCOORD[system];
  if (!from) return null;
  const copy = structuredClone({ type: 'FeatureCollection', features: collection.features });
  if (from === gcoord.WGS84) return copy;
  for (const f of copy.features) {
    if (f?.geometry) gcoord.transform(f.geometry, from, gcoord.WGS84);
    // Where residents set out from: in the file's system too.
    if (Array.isArray(f?.properties?.entrances)) f.properties.entrances = f.properties.entrances.map((p) => gcoord.transform(p, from, gcoord.WGS84));
  }
  return copy;
}
