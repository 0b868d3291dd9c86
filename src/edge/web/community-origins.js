/**
 * Where a community's residents set out from, computed in the page exactly as the server does
 * (src/core/communities/read-communities.ts): isochrones, travel times and routes take points, and a
 * community may be a polygon. test/web/community-origins.test.ts checks both agree on every sample
 * community.
 *
 * Order: `properties.entrances`; a MultiPoint's points; a Point; one point inside each polygon part.
 */

/** The origins of a GeoJSON community feature as [lon, lat] pairs; empty when it has none. */
export function communityOrigins(feature) {
  const entrances = feature.properties?.entrances;
  if (Array.isArray(entrances) && entrances.length > 0 && entrances.every(isPosition)) return entrances.map(([lon, lat]) => [lon, lat]);
  const geometry = feature.geometry;
  if (!geometry) return [];
  switch (geometry.type) {
    case 'Point':
      return isPosition(geometry.coordinates) ? [[geometry.coordinates[0], geometry.coordinates[1]]] : [];
    case 'MultiPoint':
      return geometry.coordinates.filter(isPosition).map(([lon, lat]) => [lon, lat]);
    case 'Polygon':
      return [interiorPoint(geometry.coordinates)].filter(Boolean);
    case 'MultiPolygon':
      return geometry.coordinates.map(interiorPoint).filter(Boolean);
    default:
      return [];
  }
}

/**
 * A point strictly inside a polygon (rings: outer first, then holes): the middle of the widest span
 * of a horizontal line through the polygon's middle latitude, moved between vertices so that it
 * touches none. The server's `interiorPoint` (src/core/facilities/feature-geometry.ts), line for line.
 */
function interiorPoint(rings) {
  const outer = rings[0];
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of outer) {
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  }
  const middle = (minY + maxY) / 2;
  let below = -Infinity;
  let above = Infinity;
  for (const ring of rings) {
    for (const p of ring) {
      if (p[1] <= middle) below = Math.max(below, p[1]);
      else above = Math.min(above, p[1]);
    }
  }
  if (below === -Infinity || above === Infinity) return undefined;
  const y = (below + above) / 2;
  const xs = [];
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[i + 1];
      if (ay > y !== by > y) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
    }
  }
  xs.sort((a, b) => a - b);
  let best;
  let bestWidth = 0;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const width = xs[i + 1] - xs[i];
    if (width > bestWidth) {
      bestWidth = width;
      best = [(xs[i] + xs[i + 1]) / 2, y];
    }
  }
  return best;
}

/** One point standing for any facility geometry: for drawing it and measuring to it. */
export function representativePoint(geometry) {
  if (!geometry) return undefined;
  switch (geometry.type) {
    case 'Point':
      return isPosition(geometry.coordinates) ? [geometry.coordinates[0], geometry.coordinates[1]] : undefined;
    case 'MultiPoint':
      return isPosition(geometry.coordinates[0]) ? [geometry.coordinates[0][0], geometry.coordinates[0][1]] : undefined;
    case 'LineString':
      return geometry.coordinates[Math.floor(geometry.coordinates.length / 2)];
    case 'MultiLineString':
      return geometry.coordinates[0]?.[Math.floor(geometry.coordinates[0].length / 2)];
    case 'Polygon':
      return interiorPoint(geometry.coordinates);
    case 'MultiPolygon':
      return geometry.coordinates.length ? interiorPoint(geometry.coordinates[0]) : undefined;
    default:
      return undefined;
  }
}

function isPosition(p) {
  return Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}
