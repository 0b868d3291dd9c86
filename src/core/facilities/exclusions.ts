/**
 * What a facility must not count for, whatever source mapped it: OSM tags, an Amap type or a name
 * hint. A mapping rule says what a kind of place usually is (`amenity=clinic` is a clinic); an
 * exclusion says when this one is not what the standards mean (a 宠物医院 is a clinic for pets).
 * Keeping them apart is what makes both sources agree: a pet hospital is out whether OSM tags it
 * `amenity=clinic` or Amap files it under 诊所.
 *
 * An exclusion matches on the feature's properties — its name, its OSM tags, its Amap `typecode`
 * and `type` — and removes only the categories it lists: a 宠物医院 is not a clinic, but a bus stop
 * called 动物园 is still a bus stop. Categories given explicitly (`category`) are the data's
 * author's word and are not second-guessed. docs/categories.md tells the same in one table.
 */
import type { CategoryId } from './categories.ts';
import { parseCondition } from './osm-mapping.ts';

export interface Exclusion {
  id: string;
  /** Why, for a person reading the explanation. */
  why: string;
  /** The categories it takes away. */
  from: readonly CategoryId[] | 'all';
  /** Any of these in the name. */
  names?: readonly string[];
  /** …unless one of these is in it too. */
  unlessNames?: readonly string[];
  /** Any of these OSM conditions (the syntax of osm-mapping.ts). */
  osm?: readonly string[];
  /** Amap `typecode` prefixes (大类 `03`, 中类 `0907`, 小类 `090201`). */
  amapCodes?: readonly string[];
  /** Words of Amap's `type` text (大类;中类;小类). */
  amapTypes?: readonly string[];
  /** For what a word list cannot say (the level of an institution). */
  test?: (name: string) => string | undefined;
}

/** Places the public uses without buying anything: a fee-paying customer or a member is not "the public". */
const PUBLIC_USE: readonly CategoryId[] = [
  'library', 'cultural_centre', 'museum', 'red_education_base', 'park', 'square', 'playground',
  'sports_ground', 'sports_centre', 'fitness_trail', 'public_toilet', 'community_centre',
];
/** Items that mean general care: 基本医疗服务, 公共卫生服务. */
const GENERAL_CARE: readonly CategoryId[] = ['clinic', 'hospital'];
/** Items the standards set at the community's own level (社区图书馆, 社区博物馆, 社区多功能运动场 …). */
const COMMUNITY_LEVEL: readonly CategoryId[] = [
  'library', 'cultural_centre', 'museum', 'community_centre', 'sports_ground', 'sports_centre', 'fitness_trail',
];
const SPORTS: readonly CategoryId[] = ['sports_ground', 'sports_centre', 'fitness_trail'];
/** A pupil's school or kindergarten is private ground to everyone else, and still the child's school. */
const SCHOOLING: readonly CategoryId[] = ['nursery', 'kindergarten', 'primary_school', 'secondary_school'];

export const EXCLUSIONS: readonly Exclusion[] = [
  {
    id: 'animals',
    why: 'a place for pets or animals, not for people',
    // Transport keeps its name whatever it is named after (动物园 bus stop).
    from: 'all',
    names: ['宠物', '萌宠', '爱宠', '兽医', '兽药', '动物医院', '动物诊所', '动物门诊', '动物医疗', '动物保健', '犬猫', '猫狗', '狗狗'],
    osm: ['amenity=veterinary|animal_boarding|animal_shelter|animal_breeding|animal_training', 'shop=pet|pet_grooming', 'healthcare=veterinary'],
    amapCodes: ['0907'],
    amapTypes: ['宠物', '动物医疗', '兽医'],
  },
  {
    id: 'cosmetic',
    why: 'cosmetic medicine is not the general care of 基本医疗服务 and 公共卫生服务',
    from: GENERAL_CARE,
    names: ['整形', '医美', '医疗美容', '美容', '植发', '纹绣', '祛斑', '抗衰'],
    osm: ['healthcare:speciality=plastic_surgery|cosmetic_surgery|cosmetic|aesthetic_medicine|aesthetics'],
    amapCodes: ['090201'],
    amapTypes: ['整形', '美容'],
  },
  {
    id: 'dental',
    why: 'a dental practice is not the general care of 基本医疗服务 and 公共卫生服务',
    from: GENERAL_CARE,
    names: ['口腔', '牙科', '齿科', '牙医', '牙齿', '种植牙', '正畸'],
    osm: ['amenity=dentist', 'healthcare=dentist', 'healthcare:speciality=dentistry|orthodontics|dental_oral_maxillo_facial_surgery'],
    amapTypes: ['口腔', '牙科'],
  },
  {
    id: 'private',
    why: 'closed to the public (access=private or no)',
    // Everything but schooling: a staff clinic or a compound's own playground serves no one else.
    from: 'all',
    osm: ['access=private|no'],
  },
  {
    id: 'customers',
    why: 'for customers or members only, not a public place',
    from: PUBLIC_USE,
    osm: ['access=customers|members|permit'],
    names: ['会所', '会员', '私人'],
  },
  {
    id: 'campus',
    why: 'inside a school or university, for its students',
    from: ['library', 'sports_ground', 'sports_centre', 'fitness_trail', 'playground', 'public_toilet', 'park', 'cultural_centre'],
    names: ['大学', '学院', '中学', '小学', '学校', '党校', '校区', '附中', '附小', '校园', '交大', '川大', '师大', '华工', '中大'],
    // A 社区学校 or 老年学校 (senior college) is the community's own.
    unlessNames: ['社区学校', '社区学院', '老年', '长者', '市民学校'],
    test: numberedSchool,
  },
  {
    id: 'paid_sport',
    why: 'a pool or gym is paid by the visit or the month, not a public exercise ground',
    from: SPORTS,
    names: ['游泳', '泳池', '水上乐园', '健身房', '健身俱乐部', '健身工作室', '私教', '瑜伽', '台球', '保龄球', '高尔夫'],
    osm: ['leisure=swimming_pool|water_park|fitness_centre|golf_course|bowling_alley', 'sport=swimming|billiards|bowling|10pin|yoga|golf'],
    amapTypes: ['游泳馆', '健身中心', '台球厅', '保龄球馆', '高尔夫'],
  },
  {
    id: 'stadium',
    why: 'a stadium is a venue for events, not the morning-and-evening exercise ground of 晨晚练体育活动点',
    from: SPORTS,
    names: ['体育场', '体育中心', '奥体', '竞技场'],
    osm: ['leisure=stadium'],
  },
  {
    id: 'city_level',
    why: 'a city- or province-level institution, not the community-level one the item asks for',
    from: COMMUNITY_LEVEL,
    test: cityLevelInstitution,
  },
  {
    id: 'vehicles',
    why: 'car and motorbike workshops are not the household repairs (家电维修及小修小补) the standards mean',
    from: ['repair_service', 'domestic_service'],
    names: ['汽车', '汽修', '车辆', '机动车', '摩托', '4S', '轮胎', '钣金', '喷漆', '洗车', '汽配', '电动车', '电瓶车'],
    osm: ['shop=car_repair|car|car_parts|tyres|motorcycle|motorcycle_repair', 'craft=car_repair', 'amenity=car_wash|vehicle_inspection'],
    // Amap's 01 汽车服务, 02 汽车销售, 03 汽车维修, 04 摩托车服务.
    amapCodes: ['01', '02', '03', '04'],
    amapTypes: ['汽车', '摩托'],
  },
  {
    id: 'cooperative',
    why: 'a village economic cooperative (经济合作社) is a company of the villagers, not a public service station',
    from: ['community_service_station', 'government_service_centre', 'party_community_centre'],
    names: ['经济合作社', '经济联合社', '经济合作联社', '股份经济合作', '股份合作', '经联社', '经济社', '合作社'],
  },
];

/** One exclusion that applied: what it took away, and what in the feature made it apply. */
export interface ExclusionMatch {
  rule: string;
  why: string;
  categories: CategoryId[];
  because: string;
}

export interface FeatureFields {
  name?: string;
  /** String-valued properties, read as OSM tags. */
  tags: Record<string, string>;
  /** Amap typecodes (each six digits, already checked) and the `type` text. */
  amapCodes: readonly string[];
  amapType?: string;
}

/**
 * Applies every exclusion to `categories`: returns those left and what was taken away, by which
 * rule. Categories an exclusion does not list are left alone.
 */
export function applyExclusions(categories: readonly CategoryId[], fields: FeatureFields): { kept: CategoryId[]; excluded: ExclusionMatch[] } {
  let kept = [...categories];
  const excluded: ExclusionMatch[] = [];
  for (const rule of COMPILED) {
    if (kept.length === 0) break;
    const hit = kept.filter((c) => rule.removes(c));
    if (hit.length === 0) continue;
    const because = rule.matches(fields);
    if (because === undefined) continue;
    kept = kept.filter((c) => !hit.includes(c));
    excluded.push({ rule: rule.id, why: rule.why, categories: hit, because });
  }
  return { kept, excluded };
}

const PROVINCES = [
  '北京', '天津', '上海', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建', '江西', '山东',
  '河南', '湖北', '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海', '台湾', '内蒙古', '广西', '西藏',
  '宁夏', '新疆', '香港', '澳门',
];
// Provincial capitals, the other sub-provincial cities, and the prefecture-level cities of the
// provinces whose data we ship and whose standards we hold (Sichuan, Guangdong, Gansu's Jiayuguan).
const CITIES = [
  '石家庄', '太原', '沈阳', '长春', '哈尔滨', '南京', '杭州', '合肥', '福州', '南昌', '济南', '郑州', '武汉', '长沙', '广州',
  '海口', '成都', '贵阳', '昆明', '西安', '兰州', '西宁', '呼和浩特', '南宁', '拉萨', '银川', '乌鲁木齐', '大连', '青岛',
  '宁波', '厦门', '深圳', '苏州', '无锡', '温州', '佛山', '东莞', '珠海', '汕头', '韶关', '河源', '梅州', '惠州', '汕尾',
  '中山', '江门', '阳江', '湛江', '茂名', '肇庆', '清远', '潮州', '揭阳', '云浮', '自贡', '攀枝花', '泸州', '德阳', '绵阳',
  '广元', '遂宁', '内江', '乐山', '南充', '眉山', '宜宾', '广安', '达州', '雅安', '巴中', '资阳', '嘉峪关', '酒泉',
];
const INSTITUTIONS = [
  '图书馆', '博物馆', '博物院', '美术馆', '文化馆', '群众艺术馆', '群艺馆', '科技馆', '文化宫', '工人文化宫', '少年宫',
  '青少年宫', '青少年活动中心', '妇女儿童活动中心', '大剧院', '档案馆', '体育中心', '体育馆', '体育场', '游泳馆', '全民健身中心',
];
/** A lower level named in the name: a branch, a district, a community. */
const LOWER_LEVEL = /分馆|分院|分中心|[区县]|社区|街道|乡|镇|村/;
const INSTITUTION = new RegExp(`(?:${INSTITUTIONS.join('|')})`);
const LEVEL_PATTERN = new RegExp(
  `^(?:中国|国家|首都)|^(?:${PROVINCES.join('|')})(?:省|自治区|市)?立?(?=${INSTITUTION.source})|^(?:${PROVINCES.join('|')})省` +
    `|^(?:${CITIES.join('|')})市?|[省市]立?(?=${INSTITUTION.source})|省级|市级`,
);

/**
 * The words that make a name a city- or province-level institution's (四川省图书馆, 成都图书馆,
 * 成都市文化馆, 四川美术馆, 成都武侯祠博物馆, 中国国家图书馆), or undefined. A name that starts with
 * the city and names no lower level is the city's: a district's own starts with the district
 * (武侯区图书馆) or names it (成都市武侯区图书馆), and a branch says so (成都图书馆玉林分馆).
 * Universities are the `campus` exclusion's (四川大学图书馆 is not the province's).
 */
export function cityLevelInstitution(name: string): string | undefined {
  if (!INSTITUTION.test(name) || LOWER_LEVEL.test(name) || /大学|学院/.test(name) || numberedSchool(name)) return undefined;
  const m = LEVEL_PATTERN.exec(name);
  return m ? m[0] : undefined;
}

/**
 * A middle school that goes by its number (成都七中, 成都八中体育馆, 广州二中), as osm-mapping's
 * `schoolCategories` reads them; 中心, 中医, 中药, 中国, 中华 are not schools.
 */
function numberedSchool(name: string): string | undefined {
  const m = /[一二三四五六七八九十〇\d]中(?![心医药国华])/.exec(name);
  return m ? `a school (${m[0]})` : undefined;
}

interface CompiledExclusion {
  id: string;
  why: string;
  removes: (category: CategoryId) => boolean;
  /** What in the feature made it apply, or undefined. */
  matches: (fields: FeatureFields) => string | undefined;
}

function compile(rule: Exclusion): CompiledExclusion {
  const from = rule.from === 'all' ? null : new Set<CategoryId>(rule.from);
  const keep = rule.from === 'all' ? new Set<CategoryId>(rule.id === 'private' ? SCHOOLING : ['bus_stop', 'metro_station']) : new Set<CategoryId>();
  const osm = (rule.osm ?? []).map((text) => ({ text, test: parseCondition(text) }));
  return {
    id: rule.id,
    why: rule.why,
    removes: (c) => (from ? from.has(c) : !keep.has(c)),
    matches: (fields) => {
      const name = fields.name;
      if (name) {
        const word = rule.names?.find((w) => name.includes(w));
        if (word !== undefined && !rule.unlessNames?.some((w) => name.includes(w))) return `name contains ${word}`;
        const found = rule.test?.(name);
        if (found !== undefined) return rule.id === 'city_level' ? `name starts with ${found} and names no district or community` : `name is ${found}`;
      }
      for (const condition of osm) {
        if (condition.test(fields.tags)) return describeCondition(condition.text, fields.tags);
      }
      const code = fields.amapCodes.find((c) => rule.amapCodes?.some((prefix) => c.startsWith(prefix)));
      if (code !== undefined) return `Amap typecode ${code}`;
      const type = fields.amapType;
      const typeWord = type === undefined ? undefined : rule.amapTypes?.find((w) => type.includes(w));
      if (typeWord !== undefined) return `Amap type ${type}`;
      return undefined;
    },
  };
}

/** `access=private` as the feature has it, not as the rule lists it. */
function describeCondition(text: string, tags: Record<string, string>): string {
  const key = text.slice(0, text.indexOf('='));
  return `${key}=${tags[key]}`;
}

const COMPILED: readonly CompiledExclusion[] = EXCLUSIONS.map(compile);
