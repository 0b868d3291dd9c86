/**
 * Which categories a facility belongs to, from its GeoJSON properties. In order of trust:
 *  1. `category`: ids given by whoever prepared the data (a string, an array, or ids separated by
 *     `;` `,` `|`); an unknown id is an error that names it and suggests the nearest id;
 *  2. OSM tags (`amenity`, `shop`, … as top-level properties, the shape `readOsmPois` writes);
 *  3. Amap fields (`typecode`, `type`).
 * OSM and Amap go through their tables (osm-mapping.ts, amap-mapping.ts, with the name hints of
 * name-hints.ts) and then through the same exclusions (exclusions.ts): a pet clinic is out whichever
 * source calls it a clinic. A source that is present but maps to nothing hands over to the next;
 * when none maps, the explanation says why, so that unmapped data can be counted by reason instead
 * of vanishing. `explainCategories` is the one explanation: POST /v1/categorize answers it per
 * feature, and readFacilities counts unmapped features by its `reason`.
 */
import { InputError } from '../errors.ts';
import type { Tags } from '../network/raw-line.ts';
import { amapCategories, describeAmapFields, hasAmapFields } from './amap-mapping.ts';
import { CATEGORY_IDS, FACILITY_CATEGORIES, type CategoryId, isCategory } from './categories.ts';
import { type ExclusionMatch, applyExclusions } from './exclusions.ts';
import { describeOsmTags, hasOsmTags, osmMatches } from './osm-mapping.ts';

export type Categorized =
  | { categories: CategoryId[]; via: 'category' | 'osm' | 'amap' }
  | { categories: []; unmapped: string };

/** A table row that applied: what it gave, and the name hints it took (word → category). */
export interface RuleMatch {
  source: 'category' | 'osm' | 'amap';
  rule: string;
  categories: CategoryId[];
  names?: { word: string; category: CategoryId }[];
  note?: string;
}

export interface CategoryExplanation {
  /** What the facility counts for; [] when nothing maps (then `reason`) or on `error`. */
  categories: CategoryId[];
  via?: 'category' | 'osm' | 'amap';
  /** Every row that applied, of every source present, in the order they were read. */
  matched: RuleMatch[];
  /** What the exclusions took away, by which rule and why. */
  excluded: ExclusionMatch[];
  /** Why the facility counts for nothing, when it does not. Stable text: unmapped facilities are counted by it. */
  reason?: string;
  /** Problems in the data that did not stop it (an Amap code of the wrong length, an empty name). */
  warnings: string[];
  /** A `category` that cannot be read: the feature is not used. */
  error?: string;
}

/** Throws `InputError` (`INVALID_PARAMETER`, where `category`) on an unknown or malformed category. */
export function categorize(properties: Record<string, unknown>): Categorized {
  const explained = explainCategories(properties);
  if (explained.error !== undefined) throw new InputError('INVALID_PARAMETER', explained.error, { where: 'category' });
  if (explained.via !== undefined) return { categories: explained.categories, via: explained.via };
  return { categories: [], unmapped: explained.reason! };
}

/** The categories of one facility, with the rules that gave them and the rules that took some away. */
export function explainCategories(properties: Record<string, unknown>): CategoryExplanation {
  const warnings: string[] = [];
  const name = featureName(properties, warnings);
  let explicit: CategoryId[];
  try {
    explicit = parseCategories(properties.category);
  } catch (err) {
    if (err instanceof InputError) return { categories: [], matched: [], excluded: [], warnings, error: err.message };
    throw err;
  }
  if (explicit.length > 0) {
    return { categories: explicit, via: 'category', matched: [{ source: 'category', rule: 'category', categories: explicit }], excluded: [], warnings };
  }

  const tags = stringTags(properties);
  const amap = hasAmapFields(properties) ? amapCategories(properties.typecode, properties.type, name) : undefined;
  if (amap) warnings.push(...amap.warnings);
  const fields = {
    ...(name !== undefined ? { name } : {}),
    tags,
    amapCodes: amap?.codes ?? [],
    ...(typeof properties.type === 'string' ? { amapType: properties.type } : {}),
  };
  const matched: RuleMatch[] = [];
  const excluded: ExclusionMatch[] = [];
  const reasons: string[] = [];

  const sources: { source: 'osm' | 'amap'; present: boolean; rows: () => RuleMatch[]; describe: () => string }[] = [
    {
      source: 'osm',
      present: hasOsmTags(properties),
      rows: () => osmMatches(tags).map((m) => ruleMatch('osm', m)),
      describe: () => `OSM tags ${describeOsmTags(properties)}`,
    },
    {
      source: 'amap',
      present: amap !== undefined,
      rows: () => amap!.rows.map((m) => ruleMatch('amap', m)),
      describe: () => `Amap ${describeAmapFields(properties)}`,
    },
  ];
  for (const { source, present, rows, describe } of sources) {
    if (!present) continue;
    const found = rows();
    matched.push(...found);
    const candidates = unionOf(found);
    const { kept, excluded: out } = applyExclusions(candidates, fields);
    excluded.push(...out);
    if (kept.length > 0) return { categories: kept, via: source, matched, excluded, warnings };
    reasons.push(`${describe()} ${whyNothing(found, out)}`);
  }
  const reason = reasons.length === 0 ? 'no category, OSM tags or Amap type' : `no category; ${reasons.join('; ')}`;
  return { categories: [], matched, excluded, reason, warnings };
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

function ruleMatch(source: 'osm' | 'amap', m: { rule: string; categories: CategoryId[]; hints: { word: string; category: CategoryId }[]; note?: string }): RuleMatch {
  return {
    source,
    rule: m.rule,
    categories: m.categories,
    ...(m.hints.length > 0 ? { names: m.hints.map((h) => ({ word: h.word, category: h.category })) } : {}),
    ...(m.note ? { note: m.note } : {}),
  };
}

function unionOf(rows: readonly RuleMatch[]): CategoryId[] {
  const found: CategoryId[] = [];
  for (const row of rows) for (const c of [...row.categories, ...(row.names ?? []).map((n) => n.category)]) if (!found.includes(c)) found.push(c);
  return found;
}

/**
 * Why a present source gave nothing, in words that do not name the feature (unmapped features are
 * counted by this text): no row, a row that maps nothing on purpose (its note), or the exclusions.
 */
function whyNothing(rows: readonly RuleMatch[], excluded: readonly ExclusionMatch[]): string {
  if (excluded.length > 0) return `excluded: ${excluded.map((e) => `${e.categories.join(', ')} by ${e.rule} (${e.why})`).join('; ')}`;
  const notes = rows.filter((r) => r.note).map((r) => r.note);
  if (notes.length > 0) return `not mapped: ${notes.join('; ')}`;
  return 'not mapped';
}

/** `name` (or `name:zh`) as text; an empty or blank one is worth a warning, as it feeds the hints. */
function featureName(properties: Record<string, unknown>, warnings: string[]): string | undefined {
  for (const key of ['name', 'name:zh']) {
    const value = properties[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (value === undefined || value === null) continue;
    warnings.push(typeof value === 'string' ? `${key} is empty: name hints (社区, 菜市场 …) and exclusions by name cannot apply` : `${key}: got a ${typeof value}, expected text`);
  }
  return undefined;
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
