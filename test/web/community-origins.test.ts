import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { communityOrigins } from '../../src/edge/web/community-origins.js';

/*
 * The page computes where a community's residents set out from (isochrones, travel times and routes
 * take points) as the server does for coverage: both must give the same points, or the page would
 * draw a circle coverage did not assess.
 */
describe('the page\'s community origins', () => {
  it('are the server\'s for every sample community', () => {
    const sample = JSON.parse(readFileSync(new URL('../../data/sample/communities.geojson', import.meta.url), 'utf8'));
    const server = readCommunities(sample).communities;
    expect(server).toHaveLength(sample.features.length);
    for (const community of server) expect(communityOrigins(sample.features[community.index]), community.id).toEqual(community.origins);
  });

  it('are the server\'s for entrances, MultiPoints, MultiPolygons and polygons with holes', () => {
    const square = (x: number, y: number, size: number) => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];
    const features = [
      { type: 'Feature', properties: { id: 'gates', type: 'urban', entrances: [[104.07, 30.66], [104.071, 30.661]] }, geometry: { type: 'Polygon', coordinates: [square(104.07, 30.66, 0.002)] } },
      { type: 'Feature', properties: { id: 'multi', type: 'urban' }, geometry: { type: 'MultiPoint', coordinates: [[104.07, 30.66], [104.08, 30.67]] } },
      { type: 'Feature', properties: { id: 'parts', type: 'rural' }, geometry: { type: 'MultiPolygon', coordinates: [[square(104.0, 30.0, 0.01)], [square(104.1, 30.1, 0.02)]] } },
      // The hole covers the middle: the point must fall in the ring around it.
      { type: 'Feature', properties: { id: 'ring', type: 'urban' }, geometry: { type: 'Polygon', coordinates: [square(104.0, 30.0, 0.03), square(104.005, 30.005, 0.02)] } },
    ];
    const server = readCommunities({ type: 'FeatureCollection', features }).communities;
    expect(server.map((c) => c.originRule)).toEqual(['entrances', 'entrances', 'representative-point', 'representative-point']);
    for (const community of server) expect(communityOrigins(features[community.index]), community.id).toEqual(community.origins);
  });
});
