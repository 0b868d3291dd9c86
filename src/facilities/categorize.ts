/**
 * Which categories a facility belongs to, from its GeoJSON properties. In order of trust:
 *  1. `category`: ids given by whoever prepared the data (a string, an array, or ids separated by
 *     `;` `,` `|`); an unknown id is an error that names it and suggests the nearest id;
 *  2. OSM tags (`amenity`, `shop`, … as top-level properties, the shape `readOsmPois` writes);
 *  3. Amap fields (`typecode`, `type`).
 * A source that is present but maps to nothing hands over to the next; when none maps, the answer
 * says why, so that unmapped data can be counted by reason instead of vanishing.
 */
import { InputError } from '../errors.ts';
import type { Tags } from '../network/raw-line.ts';
import { amapCategories, describeAmapFields, hasAmapFields } from './amap-mapping.ts';
import { CATEGORY_IDS, FACILITY_CATEGORIES, type CategoryId, isCategory } from './categories.ts';
import { describeOsmTags, hasOsmTags, osmCategories } from './osm-mapping.ts';

export type Categorized =
  | { categories: CategoryId[]; via: 'category' | 'osm' | 'amap' }
  | { categories: []; unmapped: string };

/** Throws `InputError` (`INVALID_PARAMETER`, where `category`) on an unknown or malformed category. */
export function categorize(properties: Record<string, unknown>): Categorized {
  const explicit = parseCategories(properties.category);
  if (explicit.length > 0) return { categories: explicit, via: 'category' };

  const reasons: string[] = [];
  if (hasOsmTags(properties)) {
    const categories = osmCategories(stringTags(properties));
    if (categories.length > 0) return { categories, via: 'osm' };
    reasons.push(`OSM tags ${describeOsmTags(properties)} not mapped`);
  }
  if (hasAmapFields(properties)) {
    const name = typeof properties.name === 'string' ? properties.name : undefined;
    const { categories } = amapCategories(properties.typecode, properties.type, name);
    if (categories.length > 0) return { categories, via: 'amap' };
    reasons.push(`Amap ${describeAmapFields(properties)} not mapped`);
  }
  if (reasons.length === 0) return { categories: [], unmapped: 'no category, OSM tags or Amap type' };
  return { categories: [], unmapped: `no category; ${reasons.join('; ')}` };
}

/**
 * The ids in a `category` value, without repeats; [] when it is absent or empty. Separators are
 * `;` `,` `|` and their full-width forms, because spreadsheets typed in Chinese produce both.
 */
export function parseCategories(value: unknown): CategoryId[] {
  if (value === undefined || value === null) return [];
  let items: unknown[];
  if (typeof value === 'string') items = value.split(/[;,|；，、]/);
  else if (Array.isArray(value)) items = value;
  else {
    throw new InputError(
      'INVALID_PARAMETER',
      `category: got ${JSON.stringify(value)}, expected a category id, an array of ids, or ids separated by ";" or ","`,
      { where: 'category' },
    );
  }
  const ids: CategoryId[] = [];
  for (const item of items) {
    if (typeof item !== 'string') {
      throw new InputError('INVALID_PARAMETER', `category: got ${JSON.stringify(item)} in the list, expected category id strings`, { where: 'category' });
    }
    const id = item.trim();
    if (id === '') continue;
    if (!isCategory(id)) {
      throw new InputError('INVALID_PARAMETER', `category: got ${JSON.stringify(id)}, expected a facility category id (did you mean ${JSON.stringify(nearestCategory(id))}?)`, {
        where: 'category',
      });
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * The category id closest to `value`: one whose Chinese or English name is `value` (or contains it),
 * else the id at the smallest edit distance, so `clinc` → `clinic` and `便利店` → `convenience_store`.
 */
export function nearestCategory(value: string): string {
  const lower = value.toLowerCase().replace(/[\s-]+/g, '_');
  for (const c of FACILITY_CATEGORIES) {
    const names = [...c.zh.split(' / '), ...c.en.toLowerCase().split(' / ')];
    if (names.some((n) => n === value || n === lower)) return c.id;
  }
  for (const c of FACILITY_CATEGORIES) {
    if (value.length >= 2 && (c.zh.includes(value) || c.en.toLowerCase().includes(value.toLowerCase()))) return c.id;
  }
  let best = CATEGORY_IDS[0];
  let bestDistance = Infinity;
  for (const id of CATEGORY_IDS) {
    const d = editDistance(lower, id);
    if (d < bestDistance) {
      bestDistance = d;
      best = id;
    }
  }
  return best;
}

/** The string-valued properties, as OSM tags (a numeric property is not a tag). */
function stringTags(properties: Record<string, unknown>): Tags {
  const tags: Tags = {};
  for (const key in properties) {
    const value = properties[key];
    if (typeof value === 'string') tags[key] = value;
  }
  return tags;
}

/** Levenshtein distance with one reused row. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
