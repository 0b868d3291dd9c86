/**
 * The map: MapLibre GL JS with no tile server by default — the road network is the base map — and
 * an optional raster layer (TILE_URL) under it. Every layer is a GeoJSON source the page fills:
 * roads with their names, communities coloured by a share (grey and hatched when not assessed) with
 * their names, facilities coloured by service group (those of a chosen item on top), and for the
 * selected community its isochrone rings, reachable facilities and route.
 *
 * Labels need no glyph server: with no `glyphs` URL in the style, MapLibre draws every character
 * with the browser's own fonts (CJK included), which is what a page with no CDN wants.
 */
import { AttributionControl, LngLatBounds, Map as MapLibre, NavigationControl, ScaleControl } from '/vendor/maplibre-gl/maplibre-gl.mjs';
import { NOT_ASSESSED_COLOUR, OTHER_COLOUR, ROUTE_COLOUR, shareColourExpression } from './colours.js';

const EMPTY = { type: 'FeatureCollection', features: [] };
const COMMUNITY_LAYERS = ['community-fill', 'community-hatch', 'community-point'];
const HOVER_LAYERS = [...COMMUNITY_LAYERS, 'focus-point', 'reachable-point', 'facility-point', 'roads'];
// Multi* geometries report their own type to `geometry-type`.
const POLYGONS = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
const POINTS = ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]];
const ASSESSED = ['==', ['typeof', ['get', 'share']], 'number'];
const FONT = ['sans-serif'];
const SITING_COLOUR = '#6a3d9a';
const HALO = { 'text-color': '#222222', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.5 };

export class MapView {
  /** Resolves once the map's style is loaded and the layers exist. */
  static async create(container, { tiles, attribution }) {
    const view = new MapView(container, tiles, attribution);
    await new Promise((resolve, reject) => {
      view.map.once('load', resolve);
      view.map.once('error', (e) => reject(e.error ?? new Error('the map could not start')));
    });
    view.addLayers();
    return view;
  }

  constructor(container, tiles, attribution) {
    const sources = {};
    const layers = [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f3ef' } }];
    if (tiles) {
      sources.tiles = { type: 'raster', tiles: [tiles.url], tileSize: 256, ...(tiles.attribution ? { attribution: tiles.attribution } : {}) };
      layers.push({ id: 'tiles', type: 'raster', source: 'tiles' });
    }
    // The data's credit rides on the roads source: MapLibre's attribution control shows it whatever the view.
    const credit = attribution.filter((a) => !tiles?.attribution || a !== tiles.attribution).map(linkCredit).join(' · ');
    sources.network = { type: 'geojson', data: EMPTY, ...(credit ? { attribution: credit } : {}) };
    this.map = new MapLibre({
      container,
      style: { version: 8, sources, layers },
      center: [104.07, 30.67],
      zoom: 12,
      attributionControl: false,
      // Screenshots, the PNG export and the end-to-end test read the canvas.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map.addControl(new AttributionControl({ compact: false }), 'bottom-right');
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.scale = new ScaleControl({ unit: 'metric' });
    this.map.addControl(this.scale, 'bottom-left');
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'map-tooltip';
    this.tooltip.dataset.testid = 'hover-name';
    this.tooltip.hidden = true;
    this.map.getContainer().append(this.tooltip);
  }

  addLayers() {
    const m = this.map;
    m.addImage('hatch', hatchImage());
    for (const id of ['communities', 'labels', 'facilities', 'focus', 'isochrones', 'reachable', 'route', 'selected', 'origins', 'siting-served', 'siting-sites']) m.addSource(id, { type: 'geojson', data: EMPTY });
    m.addLayer({
      id: 'roads',
      type: 'line',
      source: 'network',
      paint: {
        'line-color': ['match', ['get', 'class'], ['motorway', 'trunk', 'primary', 'motorway_link', 'trunk_link', 'primary_link'], '#8f8f8f', ['secondary', 'tertiary', 'secondary_link', 'tertiary_link'], '#a8a8a8', '#c4c4c4'],
        'line-width': ['interpolate', ['linear'], ['zoom'], 11, ['match', ['get', 'class'], ['motorway', 'trunk', 'primary'], 1.6, ['secondary', 'tertiary'], 1.1, 0.5], 16, ['match', ['get', 'class'], ['motorway', 'trunk', 'primary'], 6, ['secondary', 'tertiary'], 4, 2]],
      },
    });
    m.addLayer({ id: 'isochrone-fill', type: 'fill', source: 'isochrones', filter: POLYGONS, paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.18 } });
    m.addLayer({ id: 'isochrone-line', type: 'line', source: 'isochrones', filter: POLYGONS, paint: { 'line-color': ['get', 'colour'], 'line-width': 1.5 } });
    m.addLayer({ id: 'community-fill', type: 'fill', source: 'communities', filter: ['all', POLYGONS, ASSESSED], paint: { 'fill-color': shareColourExpression('share'), 'fill-opacity': 0.6 } });
    m.addLayer({ id: 'community-hatch', type: 'fill', source: 'communities', filter: ['all', POLYGONS, ['!', ASSESSED]], paint: { 'fill-pattern': 'hatch', 'fill-opacity': 0.9 } });
    m.addLayer({ id: 'community-outline', type: 'line', source: 'communities', filter: ['all', POLYGONS, ASSESSED], paint: { 'line-color': '#333333', 'line-width': 0.7 } });
    m.addLayer({ id: 'community-outline-na', type: 'line', source: 'communities', filter: ['all', POLYGONS, ['!', ASSESSED]], paint: { 'line-color': '#555555', 'line-width': 1, 'line-dasharray': [2, 1] } });
    m.addLayer({ id: 'community-point', type: 'circle', source: 'communities', filter: POINTS, paint: { 'circle-color': shareColourExpression('share'), 'circle-radius': 7, 'circle-stroke-color': ['case', ASSESSED, '#333333', '#ffffff'], 'circle-stroke-width': ['case', ASSESSED, 1, 2.5] } });
    m.addLayer({ id: 'selected-outline', type: 'line', source: 'selected', paint: { 'line-color': '#111111', 'line-width': 3 } });
    // Siting (siting-panel.js): the communities the proposed sites serve, outlined; the sites with their rank.
    m.addLayer({ id: 'siting-served-line', type: 'line', source: 'siting-served', filter: POLYGONS, paint: { 'line-color': SITING_COLOUR, 'line-width': 3 } });
    m.addLayer({ id: 'siting-served-point', type: 'circle', source: 'siting-served', filter: POINTS, paint: { 'circle-radius': 10, 'circle-opacity': 0, 'circle-stroke-color': SITING_COLOUR, 'circle-stroke-width': 3 } });
    m.addLayer({ id: 'route-access', type: 'line', source: 'route', filter: ['==', ['get', 'kind'], 'access'], paint: { 'line-color': ROUTE_COLOUR, 'line-width': 2, 'line-dasharray': [1, 1] } });
    m.addLayer({ id: 'route-casing', type: 'line', source: 'route', filter: ['==', ['get', 'kind'], 'route'], layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 8 } });
    m.addLayer({ id: 'route-line', type: 'line', source: 'route', filter: ['==', ['get', 'kind'], 'route'], layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': ROUTE_COLOUR, 'line-width': 4 } });
    m.addLayer({ id: 'facility-point', type: 'circle', source: 'facilities', paint: { 'circle-color': ['coalesce', ['get', 'colour'], OTHER_COLOUR], 'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 2, 16, 5], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 0.5, 'circle-opacity': 0.85 } });
    m.addLayer({ id: 'focus-point', type: 'circle', source: 'focus', paint: { 'circle-color': ['coalesce', ['get', 'colour'], OTHER_COLOUR], 'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 4, 16, 8], 'circle-stroke-color': '#111111', 'circle-stroke-width': 1.5 } });
    m.addLayer({ id: 'reachable-point', type: 'circle', source: 'reachable', paint: { 'circle-color': ['coalesce', ['get', 'colour'], OTHER_COLOUR], 'circle-radius': 6, 'circle-stroke-color': '#111111', 'circle-stroke-width': 1.5 } });
    m.addLayer({ id: 'siting-site-point', type: 'circle', source: 'siting-sites', paint: { 'circle-color': SITING_COLOUR, 'circle-radius': ['case', ['get', 'chosen'], 12, 9], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
    m.addLayer({ id: 'siting-site-rank', type: 'symbol', source: 'siting-sites', layout: { 'text-field': ['get', 'rank'], 'text-font': FONT, 'text-size': 12, 'text-allow-overlap': true }, paint: { 'text-color': '#ffffff' } });
    m.addLayer({ id: 'origin-point', type: 'circle', source: 'origins', paint: { 'circle-color': '#111111', 'circle-radius': 4, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
    m.addLayer({
      id: 'road-labels', type: 'symbol', source: 'network', minzoom: 14, filter: ['has', 'name'],
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': FONT, 'text-size': 11, 'text-max-angle': 30, 'symbol-spacing': 300 },
      paint: { ...HALO, 'text-color': '#555555' },
    });
    m.addLayer({
      id: 'community-labels', type: 'symbol', source: 'labels', minzoom: 13,
      layout: { 'text-field': ['get', 'name'], 'text-font': FONT, 'text-size': ['interpolate', ['linear'], ['zoom'], 13, 11, 17, 14], 'text-max-width': 8, 'text-padding': 4 },
      paint: HALO,
    });
    for (const layer of COMMUNITY_LAYERS) {
      m.on('mouseenter', layer, () => (m.getCanvas().style.cursor = 'pointer'));
      m.on('mouseleave', layer, () => (m.getCanvas().style.cursor = ''));
    }
  }

  /** Calls back with the community feature clicked (its properties as the page set them). */
  onCommunityClick(callback) {
    this.map.on('click', (e) => {
      const hit = this.map.queryRenderedFeatures(e.point, { layers: COMMUNITY_LAYERS })[0];
      if (hit) callback(String(hit.properties.id));
    });
  }

  /** Calls back with every click on the map, where it was (`{ lng, lat }`), community or not. */
  onMapClick(callback) {
    this.map.on('click', (e) => callback(e.lngLat));
  }

  /** Shows `describe(layerId, properties)` by the pointer over a community, facility or named road. */
  onHover(describe) {
    const hide = () => (this.tooltip.hidden = true);
    this.map.on('mousemove', (e) => {
      const hit = this.map.queryRenderedFeatures(e.point, { layers: HOVER_LAYERS }).find((f) => f.layer.id !== 'roads' || f.properties.name);
      const text = hit ? describe(hit.layer.id, hit.properties) : undefined;
      if (!text) return hide();
      this.tooltip.textContent = text;
      this.tooltip.style.left = `${e.point.x + 12}px`;
      this.tooltip.style.top = `${e.point.y + 12}px`;
      this.tooltip.hidden = false;
    });
    this.map.getCanvas().addEventListener('mouseleave', hide);
  }

  setData(source, collection) {
    this.map.getSource(source).setData(collection ?? EMPTY);
  }

  clearSelection() {
    for (const source of ['isochrones', 'reachable', 'route', 'selected', 'origins']) this.setData(source, EMPTY);
  }

  fitTo(collections) {
    const bounds = new LngLatBounds();
    for (const fc of collections) for (const f of fc?.features ?? []) extend(bounds, f.geometry?.coordinates);
    // More room at the top: the message toast sits there.
    if (!bounds.isEmpty()) this.map.fitBounds(bounds, { padding: { top: 90, bottom: 40, left: 40, right: 40 }, duration: 0, maxZoom: 16 });
  }

  flyTo(lonLat, zoom = 15) {
    this.map.jumpTo({ center: lonLat, zoom: Math.max(zoom, this.map.getZoom()) });
  }

  /** The scale bar as drawn: its width in CSS pixels and its text (`500 m`), for the PNG export. */
  scaleBar() {
    const el = this.map.getContainer().querySelector('.maplibregl-ctrl-scale');
    return el ? { width: el.getBoundingClientRect().width, text: el.textContent } : undefined;
  }
}

/** Grey diagonal hatching: "not assessed", unlike any share. */
function hatchImage() {
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(NOT_ASSESSED_COLOUR.slice(i, i + 2), 16));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = (x + y) % size < 2;
      data.set(on ? [r, g, b, 255] : [235, 235, 235, 150], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

function extend(bounds, coords) {
  if (!Array.isArray(coords)) return;
  if (typeof coords[0] === 'number') {
    if (Number.isFinite(coords[0]) && Number.isFinite(coords[1]) && Math.abs(coords[0]) <= 180 && Math.abs(coords[1]) <= 90) bounds.extend([coords[0], coords[1]]);
    return;
  }
  for (const c of coords) extend(bounds, c);
}

function linkCredit(text) {
  return /OpenStreetMap/.test(text) ? `<a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">${text}</a>` : text;
}
