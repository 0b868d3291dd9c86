/**
 * The page's colours, one family per meaning so that no colour says two things (issue 16):
 *  - shares run red (nothing met) → yellow (half) → green (everything met), the same ramp as the
 *    coverage GeoJSON answer (src/coverage/outputs.ts), so a downloaded map looks the same in QGIS;
 *    a community not assessed is grey and hatched, never a red "0 %";
 *  - isochrone rings are blues, dark near the community, light at the edge of the circle (the
 *    isochrones answer's own simplestyle colours are red-green: the page does not use them);
 *  - service groups get hues that are neither on the share ramp nor blue (purple, magenta, brown,
 *    cyan…), and facilities no item of the standard uses are grey.
 */
export const SHARE_STOPS = [
  [0, '#d73027'],
  [0.5, '#fee08b'],
  [1, '#1a9850'],
];

export const NOT_ASSESSED_COLOUR = '#9a9a9a';

/** A MapLibre expression colouring by a numeric property holding a share (0..1); null: not assessed, grey. */
export function shareColourExpression(property) {
  return ['case', ['==', ['typeof', ['get', property]], 'number'], ['interpolate', ['linear'], ['get', property], ...SHARE_STOPS.flat()], NOT_ASSESSED_COLOUR];
}

/** The same ramp in JavaScript, for the legend, the panels and the PNG export. */
export function shareColour(share) {
  if (typeof share !== 'number') return NOT_ASSESSED_COLOUR;
  for (let i = 1; i < SHARE_STOPS.length; i++) {
    const [s1, c1] = SHARE_STOPS[i];
    const [s0, c0] = SHARE_STOPS[i - 1];
    if (share <= s1) return mix(c0, c1, (share - s0) / (s1 - s0));
  }
  return SHARE_STOPS[SHARE_STOPS.length - 1][1];
}

const GROUP_PALETTE = ['#7b3294', '#e7298a', '#8c510a', '#17becf', '#e08214', '#525252', '#c2a5cf', '#bf812d', '#5e3c99', '#f1b6da'];
export const OTHER_COLOUR = '#bdbdbd';

/** Group id → colour, in the standard's group order. */
export function groupColours(groups) {
  return new Map(groups.map((g, i) => [g.id, GROUP_PALETTE[i % GROUP_PALETTE.length]]));
}

/** Isochrone rings from near (dark blue) to far (light blue). */
export const RING_COLOURS = ['#08306b', '#08519c', '#2171b5', '#4292c6', '#6baed6', '#9ecae1', '#c6dbef'];

/** The ring colour of the i-th of n rings (nearest first). */
export function ringColour(i, n) {
  return RING_COLOURS[Math.round((i / Math.max(1, n - 1)) * (RING_COLOURS.length - 1))];
}

/** The route: dark, with a white casing, unlike any fill under it. */
export const ROUTE_COLOUR = '#111111';

function mix(a, b, t) {
  const pa = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
  const pb = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
  return `#${pa.map((v, i) => Math.round(v + (pb[i] - v) * Math.max(0, Math.min(1, t))).toString(16).padStart(2, '0')).join('')}`;
}
