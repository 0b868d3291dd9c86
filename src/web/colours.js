/**
 * The page's colours. Shares run red (nothing met) → yellow (half) → green (everything met), the
 * same ramp as the coverage GeoJSON answer (src/coverage/outputs.ts), so a downloaded map looks the
 * same in QGIS. Service groups get distinct hues (ColorBrewer Set1/Dark2, readable on the grey
 * roads); facilities no item of the standard uses are grey.
 */
export const SHARE_STOPS = [
  [0, '#d73027'],
  [0.5, '#fee08b'],
  [1, '#1a9850'],
];

/** A MapLibre expression colouring by a numeric property holding a share (0..1). */
export function shareColourExpression(property) {
  return ['interpolate', ['linear'], ['coalesce', ['get', property], 0], ...SHARE_STOPS.flat()];
}

/** The same ramp in JavaScript, for the legend and the panels. */
export function shareColour(share) {
  for (let i = 1; i < SHARE_STOPS.length; i++) {
    const [s1, c1] = SHARE_STOPS[i];
    const [s0, c0] = SHARE_STOPS[i - 1];
    if (share <= s1) return mix(c0, c1, (share - s0) / (s1 - s0));
  }
  return SHARE_STOPS[SHARE_STOPS.length - 1][1];
}

const GROUP_PALETTE = ['#e41a1c', '#377eb8', '#984ea3', '#ff7f00', '#a65628', '#f781bf', '#1b9e77', '#666600', '#66a61e', '#e7298a'];
export const OTHER_COLOUR = '#9e9e9e';

/** Group id → colour, in the standard's group order. */
export function groupColours(groups) {
  return new Map(groups.map((g, i) => [g.id, GROUP_PALETTE[i % GROUP_PALETTE.length]]));
}

/** Isochrone rings from near (green) to far (red), as the isochrones answer colours them. */
export const RING_COLOURS = ['#1a9850', '#66bd63', '#a6d96a', '#fee08b', '#fdae61', '#f46d43', '#d73027', '#a50026'];

function mix(a, b, t) {
  const pa = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
  const pb = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
  return `#${pa.map((v, i) => Math.round(v + (pb[i] - v) * Math.max(0, Math.min(1, t))).toString(16).padStart(2, '0')).join('')}`;
}
