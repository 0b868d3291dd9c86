/**
 * The page's colours, one family per meaning so that no colour says two things (issue 16):
 *  - shares run red (nothing met) → yellow (half) → green (everything met), the same ramp as the
 *    coverage GeoJSON answer (src/core/coverage/outputs.ts), so a downloaded map looks the same in QGIS;
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
