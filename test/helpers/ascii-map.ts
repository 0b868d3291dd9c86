import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { EARTH_RADIUS_M } from '../../src/core/geo/distance.ts';
import type { Tags } from '../../src/core/network/raw-line.ts';

/**
 * Small road maps drawn in ASCII, as in Valhalla's tests: letters are junctions, one character is
 * `spacingM` metres in both directions, and the strokes between letters are roads:
 *
 *   -  |   residential street            .  :   footway (no cars)
 *   >  <  v  ^   one-way in the arrow's direction (vehicles; walkers ignore it)
 *   =  H   motorway (no walking)
 *
 * A road runs from one letter to the next letter along a row or a column.
 */
export interface AsciiMap {
  network: FeatureCollection<LineString>;
  /** lon/lat of a letter. */
  at(letter: string): [number, number];
  /** lon/lat `fraction` of the way from letter a to letter b (straight), moved `offsetM` metres to the left of a→b. */
  between(a: string, b: string, fraction: number, offsetM?: number): [number, number];
  /** Straight-line metres between two letters in the drawing. */
  metres(a: string, b: string): number;
  point(id: string, lonLat: [number, number], properties?: Record<string, unknown>): Feature<Point>;
}

export const ORIGIN: [number, number] = [113.26, 23.13];

export function asciiMap(drawing: string, spacingM = 50, extraTags: Tags = {}): AsciiMap {
  const rows = drawing.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  // Spherical metres per degree, as the haversine lengths of the graph use: drawn distances are exact.
  const ky = (EARTH_RADIUS_M * Math.PI) / 180;
  const proj = { kx: ky * Math.cos((ORIGIN[1] * Math.PI) / 180), ky };
  const cells = new Map<string, [number, number]>();
  const toLonLat = (col: number, row: number): [number, number] => [
    ORIGIN[0] + (col * spacingM) / proj.kx,
    ORIGIN[1] - (row * spacingM) / proj.ky,
  ];
  rows.forEach((line, r) => {
    for (let c = 0; c < line.length; c++) if (/[a-zA-Z]/.test(line[c]) && !isStroke(line[c])) cells.set(line[c], [c, r]);
  });
  const charAt = (c: number, r: number) => rows[r]?.[c] ?? ' ';
  const features: Feature<LineString>[] = [];
  for (const [letter, [c, r]] of cells) {
    for (const [dc, dr] of [[1, 0], [0, 1]] as const) {
      let k = 1;
      const strokes: string[] = [];
      while (isStroke(charAt(c + dc * k, r + dr * k))) strokes.push(charAt(c + dc * k, r + dr * k)), k++;
      const end = charAt(c + dc * k, r + dr * k);
      if (strokes.length === 0 || !cells.has(end) || end === letter) continue;
      const tags = tagsOf(strokes, dc === 1);
      const reversed = tags.__reverse === 'yes';
      delete tags.__reverse;
      const coords = [toLonLat(c, r), toLonLat(c + dc * k, r + dr * k)];
      if (reversed) coords.reverse();
      features.push({ type: 'Feature', properties: { ...tags, ...extraTags, name: reversed ? `${end}${letter}` : `${letter}${end}` }, geometry: { type: 'LineString', coordinates: coords } });
    }
  }
  const at = (letter: string): [number, number] => {
    const cell = cells.get(letter);
    if (!cell) throw new Error(`no letter ${letter} in the map`);
    return toLonLat(cell[0], cell[1]);
  };
  return {
    network: { type: 'FeatureCollection', features },
    at,
    between(a, b, fraction, offsetM = 0) {
      const [ca, ra] = cells.get(a)!;
      const [cb, rb] = cells.get(b)!;
      const x = (ca + (cb - ca) * fraction) * spacingM;
      const y = -(ra + (rb - ra) * fraction) * spacingM;
      const dx = (cb - ca) * spacingM;
      const dy = -(rb - ra) * spacingM;
      const len = Math.hypot(dx, dy);
      // Left of the direction a→b: rotate by +90°.
      const ox = (-dy / len) * offsetM;
      const oy = (dx / len) * offsetM;
      return [ORIGIN[0] + (x + ox) / proj.kx, ORIGIN[1] + (y + oy) / proj.ky];
    },
    metres(a, b) {
      const [ca, ra] = cells.get(a)!;
      const [cb, rb] = cells.get(b)!;
      return Math.hypot(cb - ca, rb - ra) * spacingM;
    },
    point(id, lonLat, properties = {}) {
      return { type: 'Feature', properties: { id, ...properties }, geometry: { type: 'Point', coordinates: lonLat } };
    },
  };
}

function isStroke(ch: string): boolean {
  return '-|><v^.:=H'.includes(ch) && ch !== '';
}

function tagsOf(strokes: string[], horizontal: boolean): Tags {
  const tags: Tags = { highway: 'residential' };
  if (strokes.some((s) => s === '.' || s === ':')) tags.highway = 'footway';
  if (strokes.some((s) => s === '=' || s === 'H')) tags.highway = 'motorway';
  const forward = horizontal ? '>' : 'v';
  const backward = horizontal ? '<' : '^';
  if (strokes.includes(forward)) tags.oneway = 'yes';
  if (strokes.includes(backward)) {
    tags.oneway = 'yes';
    tags.__reverse = 'yes';
  }
  if (tags.highway === 'motorway' && tags.oneway === undefined) tags.oneway = 'no';
  return tags;
}
