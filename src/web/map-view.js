/**
 * The map: MapLibre GL JS with no tile server by default — the road network is the base map — and
 * an optional raster layer (TILE_URL) under it. Every layer is a GeoJSON source the page fills:
 * roads, communities coloured by their share of items met, facilities coloured by service group,
 * and for the selected community its isochrone rings, reachable facilities and route. No symbol
 * layers: they would need a glyph server, and names are shown in the panels instead.
 */
import { AttributionControl, LngLatBounds, Map as MapLibre, NavigationControl, ScaleControl } from '/vendor/maplibre-gl/maplibre-gl.mjs';
import { OTHER_COLOUR, shareColourExpression } from './colours.js';

const EMPTY = { type: 'FeatureCollection', features: [] };
const COMMUNITY_LAYERS = ['community-fill', 'community-point'];
// Multi* geometries report their own type to `geometry-type`.
const POLYGONS = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
const POINTS = ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]];

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
      // Screenshots and the end-to-end test read the canvas.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map.addControl(new AttributionControl({ compact: false }), 'bottom-right');
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
  }

  addLayers() {
    const m = this.map;
    for (const id of ['communities', 'facilities', 'isochrones', 'reachable', 'route', 'selected', 'origins']) m.addSource(id, { type: 'geojson', data: EMPTY });
    m.addLayer({
      id: 'roads',
      type: 'line',
      source: 'network',
      paint: {
        'line-color': ['match', ['get', 'class'], ['motorway', 'trunk', 'primary', 'motorway_link', 'trunk_link', 'primary_link'], '#8f8f8f', ['secondary', 'tertiary', 'secondary_link', 'tertiary_link'], '#a8a8a8', '#c4c4c4'],
        'line-width': ['interpolate', ['linear'], ['zoom'], 11, ['match', ['get', 'class'], ['motorway', 'trunk', 'primary'], 1.6, ['secondary', 'tertiary'], 1.1, 0.5], 16, ['match', ['get', 'class'], ['motorway', 'trunk', 'primary'], 6, ['secondary', 'tertiary'], 4, 2]],
      },
    });
    m.addLayer({ id: 'isochrone-fill', type: 'fill', source: 'isochrones', filter: POLYGONS, paint: { 'fill-color': ['get', 'fill'], 'fill-opacity': 0.22 } });
    m.addLayer({ id: 'isochrone-line', type: 'line', source: 'isochrones', filter: POLYGONS, paint: { 'line-color': ['get', 'stroke'], 'line-width': 1.5 } });
    m.addLayer({ id: 'community-fill', type: 'fill', source: 'communities', filter: POLYGONS, paint: { 'fill-color': shareColourExpression('share'), 'fill-opacity': 0.6, 'fill-outline-color': '#333333' } });
    m.addLayer({ id: 'community-point', type: 'circle', source: 'communities', filter: POINTS, paint: { 'circle-color': shareColourExpression('share'), 'circle-radius': 7, 'circle-stroke-color': '#333333', 'circle-stroke-width': 1 } });
    m.addLayer({ id: 'selected-outline', type: 'line', source: 'selected', paint: { 'line-color': '#111111', 'line-width': 3 } });
    m.addLayer({ id: 'route-access', type: 'line', source: 'route', filter: ['==', ['get', 'kind'], 'access'], paint: { 'line-color': '#0b63c4', 'line-width': 2, 'line-dasharray': [1, 1] } });
    m.addLayer({ id: 'route-line', type: 'line', source: 'route', filter: ['==', ['get', 'kind'], 'route'], layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#0b63c4', 'line-width': 5, 'line-opacity': 0.85 } });
    m.addLayer({ id: 'facility-point', type: 'circle', source: 'facilities', paint: { 'circle-color': ['coalesce', ['get', 'colour'], OTHER_COLOUR], 'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 2, 16, 5], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 0.5, 'circle-opacity': 0.85 } });
    m.addLayer({ id: 'reachable-point', type: 'circle', source: 'reachable', paint: { 'circle-color': ['coalesce', ['get', 'colour'], OTHER_COLOUR], 'circle-radius': 6, 'circle-stroke-color': '#111111', 'circle-stroke-width': 1.5 } });
    m.addLayer({ id: 'origin-point', type: 'circle', source: 'origins', paint: { 'circle-color': '#111111', 'circle-radius': 4, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
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

  setData(source, collection) {
    this.map.getSource(source).setData(collection ?? EMPTY);
  }

  clearSelection() {
    for (const source of ['isochrones', 'reachable', 'route', 'selected', 'origins']) this.setData(source, EMPTY);
  }

  fitTo(collections) {
    const bounds = new LngLatBounds();
    for (const fc of collections) for (const f of fc?.features ?? []) extend(bounds, f.geometry?.coordinates);
    if (!bounds.isEmpty()) this.map.fitBounds(bounds, { padding: 40, duration: 0, maxZoom: 16 });
  }
}

function extend(bounds, coords) {
  if (!Array.isArray(coords)) return;
  if (typeof coords[0] === 'number') {
    if (Number.isFinite(coords[0]) && Number.isFinite(coords[1])) bounds.extend([coords[0], coords[1]]);
    return;
  }
  for (const c of coords) extend(bounds, c);
}

function linkCredit(text) {
  return /OpenStreetMap/.test(text) ? `<a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">${text}</a>` : text;
}
