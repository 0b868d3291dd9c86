import type { Feature, FeatureCollection, LineString } from 'geojson';

/**
 * A synthetic city grid as GeoJSON: `size` × `size` junctions `spacingM` apart, one LineString per
 * block side. size 140 gives ~39,000 lines, about 5 MB of JSON: a large inline network.
 */
export function gridNetwork(size: number, spacingM = 50, origin: [number, number] = [104.06, 30.66]): FeatureCollection<LineString> {
  const dLat = spacingM / 111_195;
  const dLon = dLat / Math.cos((origin[1] * Math.PI) / 180);
  const at = (i: number, j: number): [number, number] => [round(origin[0] + i * dLon), round(origin[1] + j * dLat)];
  const features: Feature<LineString>[] = [];
  const line = (a: [number, number], b: [number, number]): Feature<LineString> => ({
    type: 'Feature',
    properties: { highway: 'residential' },
    geometry: { type: 'LineString', coordinates: [a, b] },
  });
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      if (i + 1 < size) features.push(line(at(i, j), at(i + 1, j)));
      if (j + 1 < size) features.push(line(at(i, j), at(i, j + 1)));
    }
  }
  return { type: 'FeatureCollection', features };
}

/** The lon/lat of junction (i, j) of `gridNetwork` with the same spacing and origin. */
export function gridPoint(i: number, j: number, spacingM = 50, origin: [number, number] = [104.06, 30.66]): [number, number] {
  const dLat = spacingM / 111_195;
  const dLon = dLat / Math.cos((origin[1] * Math.PI) / 180);
  return [origin[0] + i * dLon, origin[1] + j * dLat];
}

function round(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}
