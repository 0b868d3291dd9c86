/**
 * GeoJSON files dropped on the page: read, checked and told apart (network, communities,
 * facilities) before anything is sent. A file the page cannot use is refused with a message saying
 * why — never a half-loaded map. What the server checks further (a community's `type`, a bad
 * coordinate) comes back in the coverage answer's `errors` and is shown too.
 */
export const KINDS = ['network', 'communities', 'facilities'];

const FACILITY_KEYS = ['category', 'amenity', 'shop', 'healthcare', 'leisure', 'office', 'social_facility', 'typecode', 'public_transport'];
const NAME_HINTS = {
  network: /network|road|street|路网|道路/i,
  communities: /communit|neighbo|resident|village|小区|社区|村/i,
  facilities: /facilit|poi|amenit|设施|网点/i,
};

/** Reads one file; `kind` forces what it is (a file dropped on a slot). Throws Error with a message for people. */
export async function readDroppedFile(file, kind) {
  const text = await file.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file.name}: not valid JSON (${err.message})`);
  }
  if (!json || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    const got = json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json === 'object' ? `an object of type ${JSON.stringify(json.type)}` : typeof json;
    throw new Error(`${file.name}: expected a GeoJSON FeatureCollection, got ${got}`);
  }
  const counts = geometryCounts(json.features);
  if (counts.total === 0) throw new Error(`${file.name}: has no features with a geometry`);
  const detected = kind ?? detectKind(file.name, json.features, counts);
  if (!detected) {
    throw new Error(`${file.name}: cannot tell whether these ${counts.total} points are communities or facilities: give communities a "type" (urban/rural) and facilities a "category", or name the file …communities… / …facilities…`);
  }
  const problem = kindProblem(detected, counts);
  if (problem) throw new Error(`${file.name}: ${problem}`);
  return { kind: detected, name: file.name, collection: json, count: json.features.length };
}

function geometryCounts(features) {
  const counts = { lines: 0, polygons: 0, points: 0, total: 0 };
  for (const f of features) {
    const type = f?.geometry?.type;
    if (type === 'LineString' || type === 'MultiLineString') counts.lines++;
    else if (type === 'Polygon' || type === 'MultiPolygon') counts.polygons++;
    else if (type === 'Point' || type === 'MultiPoint') counts.points++;
    else continue;
    counts.total++;
  }
  return counts;
}

function detectKind(name, features, counts) {
  if (counts.lines > counts.total / 2) return 'network';
  const props = features.map((f) => f?.properties ?? {});
  const share = (test) => props.filter(test).length / props.length;
  if (share((p) => FACILITY_KEYS.some((k) => p[k] !== undefined)) >= 0.5) return 'facilities';
  if (share((p) => p.type !== undefined || p.population !== undefined || p.households !== undefined) >= 0.5) return 'communities';
  for (const kind of KINDS) if (NAME_HINTS[kind].test(name)) return kind;
  if (counts.polygons > counts.total / 2) return 'communities';
  return undefined;
}

function kindProblem(kind, counts) {
  if (kind === 'network' && counts.lines === 0) return 'a network needs LineString features (the roads)';
  if (kind === 'communities' && counts.points + counts.polygons === 0) return 'communities need Point, MultiPoint, Polygon or MultiPolygon features';
  if (kind === 'facilities' && counts.points + counts.polygons + counts.lines === 0) return 'facilities need geometries';
  return undefined;
}

/** Facility categories as the server reads `category`: one id, an array, or `a;b`. */
export function categoriesOf(properties) {
  const value = properties?.category ?? properties?.categories;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(/[;,]/).map((s) => s.trim()).filter(Boolean);
  return [];
}
