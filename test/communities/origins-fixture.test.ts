/**
 * Where communities' walks start, as a picture: `fixtures/in/communities.geojson` (a U-shaped
 * compound, a compound with a hole and gates, a village in two parts, a point, a MultiPoint) →
 * `fixtures/out/origins.geojson` (the shapes, plus each origin as a marker coloured by its rule).
 * Open the output in a GeoJSON viewer to see the rules; REGEN=1 rewrites it, to be reviewed as a diff.
 */
import { booleanPointInPolygon } from '@turf/turf';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { type Community, readCommunities } from '../../src/core/communities/read-communities.ts';

const IN = fileURLToPath(new URL('./fixtures/in/communities.geojson', import.meta.url));
const OUT = fileURLToPath(new URL('./fixtures/out/origins.geojson', import.meta.url));
const COLOURS = { point: '#1f78b4', entrances: '#e31a1c', 'representative-point': '#33a02c' } as const;

const round = (x: number) => Math.round(x * 1e7) / 1e7;

function picture(communities: Community[]): FeatureCollection {
  const features: Feature[] = [];
  for (const c of communities) {
    if (c.geometry.type === 'Polygon' || c.geometry.type === 'MultiPolygon') {
      features.push({ type: 'Feature', properties: { id: c.id, name: c.name, fill: '#999999', 'fill-opacity': 0.25, stroke: '#555555' }, geometry: c.geometry });
    }
    c.origins.forEach((o, i) => {
      features.push({
        type: 'Feature',
        properties: { community: c.id, origin: i, rule: c.originRule, 'marker-color': COLOURS[c.originRule], 'marker-size': 'small' },
        geometry: { type: 'Point', coordinates: [round(o[0]), round(o[1])] },
      });
    });
  }
  return { type: 'FeatureCollection', features };
}

describe('community origins fixture', () => {
  const read = readCommunities(JSON.parse(readFileSync(IN, 'utf8')));

  it('reads every community', () => {
    expect(read.errors).toEqual([]);
    expect(read.warnings).toEqual([]);
    expect(read.communities.map((c) => [c.id, c.originRule, c.origins.length])).toEqual([
      ['u-compound', 'representative-point', 1],
      ['gated', 'entrances', 2],
      ['village', 'representative-point', 2],
      ['point', 'point', 1],
      ['gates', 'entrances', 2],
    ]);
  });

  it('puts representative points strictly inside (out of the courtyard and the hole)', () => {
    for (const c of read.communities.filter((c) => c.originRule === 'representative-point')) {
      for (const o of c.origins) expect(booleanPointInPolygon(o, c.geometry as never, { ignoreBoundary: true }), c.id).toBe(true);
    }
  });

  it('matches the golden picture (REGEN=1 to rewrite it)', () => {
    const out = picture(read.communities);
    if (process.env.REGEN === '1') {
      mkdirSync(dirname(OUT), { recursive: true });
      // One position per line, so that a regenerated fixture reviews as a readable diff.
      writeFileSync(OUT, `${JSON.stringify(out, null, 1).replace(/\[\s+(-?[\d.]+),\s+(-?[\d.]+)\s+\]/g, '[$1, $2]')}\n`);
    }
    expect(existsSync(OUT), `${OUT} is missing: run REGEN=1 npx vitest run test/communities`).toBe(true);
    expect(out).toEqual(JSON.parse(readFileSync(OUT, 'utf8')));
  });
});
