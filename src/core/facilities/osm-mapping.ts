/**
 * OpenStreetMap tags → facility categories, as one table of rules. A feature gets the union of what
 * every matching rule gives, so a bank with `atm=yes` is both `bank` and `atm`.
 *
 * Rule syntax (chosen so that a row reads like the OSM wiki):
 *  - `tag`: `key=value`, `key=a|b` (any of), or `key=*` (any value but `no`);
 *  - `if`: every condition must hold; `unless`: none may hold. Conditions use the same syntax,
 *    plus `!key` for "the key is absent";
 *  - `names`: name hints (./name-hints.ts) that add categories when the name contains their words;
 *  - `refine`: for the one case where a table cell is not enough (schools), a function of the tags;
 *  - `note`: on a row that maps to nothing on purpose, why (shown when a feature is explained).
 *
 * Judgement calls are stated next to their rows. What a place must not count for whatever its tags
 * (pets, private access, a city's library for the community's …) is not here but in
 * ./exclusions.ts, which applies to the Amap table alike.
 */
import type { Tags } from '../network/raw-line.ts';
import type { CategoryId } from './categories.ts';
import { CIVIC_HINTS, type NameHintId, type NameHintMatch, SERVICE_HINTS, nameHintMatches } from './name-hints.ts';

export interface OsmRule {
  tag: string;
  if?: readonly string[];
  unless?: readonly string[];
  categories: readonly CategoryId[];
  names?: readonly NameHintId[];
  refine?: (tags: Tags, name: string | undefined) => CategoryId[];
  note?: string;
}

export const OSM_RULES: readonly OsmRule[] = [
  // Health and care
  { tag: 'amenity=clinic|doctors', categories: ['clinic'] },
  // A 社区卫生服务中心 is often drawn as a hospital: its name makes it the clinic it is too.
  { tag: 'amenity=hospital', categories: ['hospital'], names: ['clinic'] },
  { tag: 'amenity=pharmacy', categories: ['pharmacy'] },
  { tag: 'healthcare=clinic|doctor|centre', categories: ['clinic'] },
  { tag: 'healthcare=hospital', categories: ['hospital'], names: ['clinic'] },
  { tag: 'healthcare=pharmacy', categories: ['pharmacy'] },
  // Day care for the elderly: `social_facility=day_care` without `:for` is taken as elderly day
  // care, which is what it nearly always is in China (日间照料中心); children's day care is
  // `amenity=childcare`.
  { tag: 'amenity=social_facility', if: ['social_facility=day_care', 'social_facility:for=senior'], categories: ['elderly_day_care'] },
  { tag: 'amenity=social_facility', if: ['social_facility=day_care', '!social_facility:for'], categories: ['elderly_day_care'] },
  { tag: 'amenity=social_facility', if: ['social_facility:for=senior'], unless: ['social_facility=day_care'], categories: ['elderly_care'] },
  { tag: 'amenity=social_facility', categories: [], names: CIVIC_HINTS },
  { tag: 'amenity=nursing_home', categories: ['elderly_care'] },

  // Children and education
  { tag: 'amenity=kindergarten', categories: ['kindergarten'], names: ['nursery'] },
  { tag: 'amenity=childcare', categories: ['nursery'], names: ['kindergarten'] },
  // Primary unless isced:level, school=* or the name say otherwise: see `schoolCategories`.
  { tag: 'amenity=school', categories: [], refine: schoolCategories },

  // Party, government and community services: what a hall hosts is in its name.
  // A hall whose name says what it is (党群服务中心, 居委会, 文化站) is that, not also a 社区活动中心:
  // otherwise one party & community service centre would fill the community-centre items too.
  { tag: 'amenity=community_centre|social_centre', categories: [], names: CIVIC_HINTS, refine: unlessNamedCivic(['community_centre']) },
  { tag: 'amenity=townhall|public_building', categories: [], names: CIVIC_HINTS },
  { tag: 'office=government', if: ['government=public_service'], categories: ['government_service_centre'] },
  { tag: 'office=government|association|ngo|charity|quango', categories: [], names: CIVIC_HINTS },
  { tag: 'building=civic|public|government', categories: [], names: CIVIC_HINTS },
  { tag: 'amenity=police', categories: ['police'] },
  { tag: 'office=lawyer|notary', categories: ['legal_service'] },

  // Everyday shopping and services
  { tag: 'shop=convenience', categories: ['convenience_store'] },
  { tag: 'shop=supermarket', categories: ['supermarket'], names: ['freshMarket'] },
  // A fresh-food market is a market hall of stalls. An unnamed marketplace is taken as one (in
  // China most are, village 集市 included); a named one only when the name says so, because
  // `marketplace` also tags 电子城 and clothing markets. A single greengrocer, butcher or fishmonger
  // is not a market: it counts only if its name calls it one.
  { tag: 'amenity=marketplace', if: ['!name'], categories: ['fresh_market'] },
  { tag: 'amenity=marketplace', categories: [], names: ['freshMarket'] },
  { tag: 'shop=greengrocer|butcher|seafood|farm', categories: [], names: ['freshMarket'] },
  { tag: 'amenity=restaurant|fast_food|food_court', categories: ['restaurant'] },
  { tag: 'amenity=canteen', categories: [], names: ['communityCanteen', 'elderlyCare'] },
  { tag: 'amenity=post_office', categories: ['post_office'] },
  { tag: 'amenity=parcel_locker', categories: ['parcel_point'] },
  { tag: 'office=courier', categories: ['parcel_point'] },
  { tag: 'amenity=bank', categories: ['bank'] },
  { tag: 'amenity=bank', if: ['atm=yes'], categories: ['atm'] },
  { tag: 'amenity=atm', categories: ['atm'] },
  // OSM has no tag for a carrier's counter (营业厅): they are mapped as phone shops, among the shops
  // that only sell phones. A phone shop counts when its name says it is a carrier's, as Amap's 手机销售.
  { tag: 'shop=telecommunication', categories: ['telecom_service'] },
  { tag: 'shop=mobile_phone', categories: [], names: ['telecom'], note: 'a phone shop sells phones; only a carrier\u2019s counter (营业厅) is a 通信服务网点' },
  { tag: 'office=telecommunication', categories: ['telecom_service'] },
  // 家电维修及小修小补: appliance repair and the small trades (shoes, keys, clothes, watches).
  { tag: 'shop=repair|shoe_repair|locksmith|tailor', categories: ['repair_service'] },
  { tag: 'craft=electronics_repair|shoemaker|key_cutter|locksmith|tailor|watchmaker', categories: ['repair_service'] },
  { tag: 'shop=electronics|computer|mobile_phone|appliance', if: ['repair=yes|only'], categories: ['repair_service'] },
  { tag: 'shop=electronics|computer|mobile_phone|appliance', if: ['service:electronics:repair=yes'], categories: ['repair_service'] },
  // Bicycle repair is one of the small trades; car and motorbike workshops are not (exclusions.ts).
  { tag: 'shop=bicycle', if: ['service:bicycle:repair=yes'], categories: ['repair_service'] },
  { tag: 'shop=estate_agent', categories: ['estate_agent'] },
  { tag: 'office=estate_agent', categories: ['estate_agent'] },
  { tag: 'office=employment_agency', categories: ['employment_service'] },
  { tag: 'shop=yes', categories: [], names: SERVICE_HINTS },
  { tag: 'office=yes|company', categories: [], names: SERVICE_HINTS },
  { tag: 'craft=yes', categories: [], names: SERVICE_HINTS },
  // Bins (container) are not a collection point (回收点).
  { tag: 'amenity=recycling', unless: ['recycling_type=container'], categories: ['recycling_point'] },
  { tag: 'amenity=toilets', categories: ['public_toilet'] },

  // Transport. Platforms count as bus stops only when they say so: untagged platforms are mostly
  // railway platforms. Metro entrances and stop positions count as the station: reachability asks
  // for the nearest, so a station drawn several times does no harm, and entrances are where people
  // walk to.
  { tag: 'highway=bus_stop', categories: ['bus_stop'] },
  { tag: 'public_transport=platform', if: ['bus=yes'], categories: ['bus_stop'] },
  // A city bus terminal (公交站场) is; a coach station (客运站, 长途汽车站) is not everyday transit,
  // as Amap's 150400, though OSM tags both bus_station.
  { tag: 'amenity=bus_station', categories: [], refine: (_tags, name) => (name && /客运|长途|汽车站/.test(name) ? [] : ['bus_stop']) },
  // A tram stop serves a street as a bus stop does (成都 has trams): same category, as for platforms.
  { tag: 'railway=tram_stop', categories: ['bus_stop'] },
  { tag: 'public_transport=platform', if: ['tram=yes'], categories: ['bus_stop'] },
  { tag: 'railway=station|halt', if: ['station=subway|light_rail'], categories: ['metro_station'] },
  { tag: 'railway=station|halt', if: ['subway=yes'], categories: ['metro_station'] },
  { tag: 'railway=station|halt', if: ['light_rail=yes'], categories: ['metro_station'] },
  { tag: 'public_transport=station|stop_position', if: ['subway=yes'], categories: ['metro_station'] },
  { tag: 'public_transport=station|stop_position', if: ['light_rail=yes'], categories: ['metro_station'] },
  { tag: 'railway=subway_entrance', categories: ['metro_station'] },

  // Culture and sports. `red_education_base` needs a revolutionary hint in the name (纪念馆, 旧址,
  // 会址, 烈士陵园 …): a museum is not one by itself. An arts centre is a 综合文化服务中心 only when
  // its name says so (文化站, 文化馆 …): the tag also marks galleries, theatres and studios.
  { tag: 'amenity=library', categories: ['library'] },
  { tag: 'amenity=arts_centre', categories: [], names: ['culturalCentre'] },
  { tag: 'tourism=gallery', categories: [], note: 'a gallery (美术馆) is not a 综合文化服务中心' },
  { tag: 'tourism=museum', categories: ['museum'], names: ['redEducation'] },
  { tag: 'tourism=attraction', categories: [], names: ['redEducation'] },
  { tag: 'historic=*', categories: [], names: ['redEducation'] },
  { tag: 'leisure=park|garden|common', categories: ['park'] },
  { tag: 'landuse=village_green', categories: ['park'] },
  { tag: 'leisure=playground', categories: ['playground'] },
  { tag: 'leisure=pitch', categories: ['sports_ground'] },
  { tag: 'leisure=sports_centre', categories: ['sports_centre'] },
  { tag: 'leisure=stadium', categories: [], note: 'a stadium is a venue for events, not a 晨晚练体育活动点' },
  // Outdoor exercise equipment is the 健身路径 of the standards. A fitness_centre (健身房) is a
  // membership gym, and a swimming pool is paid by the visit (Amap's 游泳馆 is not mapped either).
  { tag: 'leisure=fitness_station', categories: ['fitness_trail'] },
  { tag: 'leisure=fitness_centre|swimming_pool', categories: [], note: 'gyms and pools are paid by the visit or the month, not public sports provision' },
  { tag: 'place=square', categories: ['square'] },
  { tag: 'highway=pedestrian', if: ['area=yes'], categories: ['square'] },
];

/** Keys that make a feature "an OSM-tagged place", named in the reason when nothing maps. */
const OSM_PRIMARY_KEYS = [
  'amenity', 'shop', 'office', 'craft', 'healthcare', 'social_facility', 'leisure', 'tourism', 'historic',
  'public_transport', 'railway', 'highway', 'place', 'landuse', 'building',
] as const;

/** One row that applies to the tags: what it gives by itself, and the name hints it took. */
export interface OsmMatch {
  /** The row as written (`amenity=clinic|doctors`, with its `if`/`unless`). */
  rule: string;
  categories: CategoryId[];
  hints: NameHintMatch[];
  note?: string;
}

/** Every row that applies, in table order. */
export function osmMatches(tags: Tags): OsmMatch[] {
  const name = tags.name ?? tags['name:zh'];
  const found: OsmMatch[] = [];
  for (const rule of COMPILED) {
    if (!rule.applies(tags)) continue;
    found.push({
      rule: rule.text,
      categories: rule.refine ? rule.refine(tags, name) : [...rule.categories],
      hints: rule.names ? nameHintMatches(name, rule.names) : [],
      ...(rule.note ? { note: rule.note } : {}),
    });
  }
  return found;
}

/**
 * The categories the tags map to, in rule order without repeats; [] when none. Before exclusions:
 * `categorize` applies those, to OSM and Amap alike.
 */
export function osmCategories(tags: Tags): CategoryId[] {
  const found: CategoryId[] = [];
  for (const match of osmMatches(tags)) {
    for (const c of [...match.categories, ...match.hints.map((h) => h.category)]) if (!found.includes(c)) found.push(c);
  }
  return found;
}

/** True when the properties carry any of the keys the OSM table looks at. */
export function hasOsmTags(properties: Record<string, unknown>): boolean {
  return OSM_PRIMARY_KEYS.some((key) => typeof properties[key] === 'string');
}

/** `amenity=bench, access=private`: the primary tags (and `access`), for "not mapped" reasons. */
export function describeOsmTags(properties: Record<string, unknown>): string {
  const keys: string[] = OSM_PRIMARY_KEYS.filter((key) => typeof properties[key] === 'string');
  // `building` says little next to a real key.
  const shown = keys.length > 1 ? keys.filter((k) => k !== 'building') : keys;
  if (typeof properties.access === 'string') shown.push('access');
  return shown.map((key) => `${key}=${properties[key] as string}`).join(', ');
}

/**
 * `amenity=school` is a primary school unless something says otherwise, because that is what the
 * tag mostly marks in China and what the standards ask for within a walk. In order: `isced:level`
 * (0 kindergarten, 1 primary, 2–3 secondary, 4+ none), then `school=*`, then the name (幼儿园,
 * 小学, 中学/初中/高中, or a college/training word); a school whose name says nothing (新方舟学校) is
 * taken as primary.
 */
export function schoolCategories(tags: Tags, name: string | undefined): CategoryId[] {
  const isced = tags['isced:level'];
  if (isced !== undefined) {
    const levels = parseLevels(isced);
    if (levels.length > 0) {
      const found: CategoryId[] = [];
      if (levels.includes(0)) found.push('kindergarten');
      if (levels.includes(1)) found.push('primary_school');
      if (levels.includes(2) || levels.includes(3)) found.push('secondary_school');
      return found;
    }
  }
  const school = tags.school;
  if (school !== undefined) {
    if (/^(primary|elementary)$/.test(school)) return ['primary_school'];
    if (/^(secondary|middle|high|junior_high|senior_high|lower_secondary|upper_secondary)$/.test(school)) return ['secondary_school'];
  }
  if (name) {
    if (name.includes('幼儿园')) return ['kindergarten'];
    if (name.includes('托儿所') || name.includes('托育')) return ['nursery'];
    const primary = /小学|附小|实小/.test(name);
    // Middle schools also go by a number or a short name: 成都七中, 成都49中, 成都铁中.
    const bare = name.replace(/[（(][^）)]*[）)]$/, '');
    const secondary = /中学|初中|高中|附中|[一二三四五六七八九十〇\d]中(?![心医药国华])/.test(name) || /中$/.test(bare);
    if (primary || secondary) {
      return [...(primary ? ['primary_school' as const] : []), ...(secondary ? ['secondary_school' as const] : [])];
    }
    if (/大学|学院|职业|技工|技校|中专|培训|进修|电大|党校|驾校/.test(name)) return [];
  }
  return ['primary_school'];
}

/** `categories` unless the name meets a civic hint (then the hints alone say what the place is). */
function unlessNamedCivic(categories: CategoryId[]): NonNullable<OsmRule['refine']> {
  return (_tags, name) => (nameHintMatches(name, CIVIC_HINTS).length > 0 ? [] : categories);
}

function parseLevels(value: string): number[] {
  const levels: number[] = [];
  for (const part of value.split(/[;,]/)) {
    const range = part.trim().match(/^(\d)(?:\s*-\s*(\d))?$/);
    if (!range) continue;
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    for (let l = from; l <= to; l++) levels.push(l);
  }
  return levels;
}

// ---------------------------------------------------------------------------------------------
// Compiling the table: each rule's strings are parsed once into predicates.

interface CompiledRule {
  text: string;
  note?: string;
  applies: (tags: Tags) => boolean;
  categories: readonly CategoryId[];
  names?: readonly NameHintId[];
  refine?: OsmRule['refine'];
}

type Condition = (tags: Tags) => boolean;

/** Parses `key=a|b`, `key=*` or `!key`; throws on anything else (a typo in the table). */
export function parseCondition(text: string): Condition {
  if (text.startsWith('!')) {
    const key = text.slice(1);
    return (tags) => tags[key] === undefined;
  }
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) throw new Error(`osm mapping: condition ${JSON.stringify(text)}: expected key=value, key=a|b, key=* or !key`);
  const key = text.slice(0, eq);
  const value = text.slice(eq + 1);
  if (value === '*') return (tags) => tags[key] !== undefined && tags[key] !== 'no';
  const values = new Set(value.split('|'));
  return (tags) => {
    const v = tags[key];
    return v !== undefined && values.has(v);
  };
}

function compile(rule: OsmRule): CompiledRule {
  const tag = parseCondition(rule.tag);
  const all = (rule.if ?? []).map(parseCondition);
  const none = (rule.unless ?? []).map(parseCondition);
  const text = [rule.tag, ...(rule.if ?? []), ...(rule.unless ?? []).map((u) => `not ${u}`)].join(', ');
  return {
    text,
    note: rule.note,
    applies: (tags) => tag(tags) && all.every((c) => c(tags)) && !none.some((c) => c(tags)),
    categories: rule.categories,
    names: rule.names,
    refine: rule.refine,
  };
}

const COMPILED: readonly CompiledRule[] = OSM_RULES.map(compile);
