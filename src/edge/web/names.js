/**
 * Names for people (issue 16): a community or facility without a name is called by what it is —
 * "未命名社区 3", "未命名便利店 · 相距 70 米" (its category, and how far from the open community) —
 * never by a raw OSM id such as `way/333419945`. `state` is the page's (app.js).
 */
import { communityOrigins, representativePoint } from './community-origins.js';
import { nameOf, t, tf } from './i18n.js';

/** A community's name for people: its own, else "unnamed community n" — never a raw OSM id. */
export function communityName(state, id) {
  const entry = state.communities.get(id);
  const name = entry?.feature.properties?.name ?? entry?.report?.name;
  if (typeof name === 'string' && name.trim()) return name;
  return `${t('unnamedCommunity')} ${entry ? entry.index + 1 : id}`;
}

/** Where a community's name is written: inside its polygon, or at its point. */
export function labelPoint(feature) {
  const g = feature.geometry;
  if (!g) return undefined;
  return g.type === 'Polygon' || g.type === 'MultiPolygon' ? representativePoint(g) : communityOrigins(feature)[0];
}

/** A facility's name for people: its own, else its category (and how far from the selected community). */
export function facilityName(state, properties, at) {
  if (typeof properties.name === 'string' && properties.name.trim()) return properties.name;
  const categories = typeof properties.categories === 'string' ? JSON.parse(properties.categories) : properties.categories ?? [];
  const category = nameOf(state.categoryNames.get(categories[0])) || t('other');
  const origin = state.origins?.features[0]?.geometry.coordinates;
  const away = origin && at ? ` · ${tf('metresAway', { m: Math.round(metres(origin, at) / 10) * 10 })}` : '';
  return `${tf('unnamedFacility', { category })}${away}`;
}

export function facilityLabel(state, id) {
  const f = state.data?.facilities.points?.features.find((p) => String(p.properties.id) === id);
  return f ? facilityName(state, f.properties, f.geometry.coordinates) : `${t('facilities')} ${id}`;
}

/** Metres between two [lon, lat] points (equirectangular: for "70 m away", not for measuring). */
function metres([lon1, lat1], [lon2, lat2]) {
  const rad = Math.PI / 180;
  const x = (lon2 - lon1) * rad * Math.cos(((lat1 + lat2) / 2) * rad);
  const y = (lat2 - lat1) * rad;
  return Math.hypot(x, y) * 6_371_000;
}
