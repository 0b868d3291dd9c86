/**
 * Chinese-name heuristics: "a name containing X is a Y". They are never applied on their own —
 * a bus stop called 菜市场站 is not a market — only on top of a mapping rule that says which hints
 * fit its kind of place (a `townhall` may be a 居委会, a `marketplace` may be a 菜市场). The OSM and
 * Amap tables name the hint groups they use; this file is the one list of the words.
 */
import type { CategoryId } from './categories.ts';

interface NameHint {
  category: CategoryId;
  /** The name contains any of these. */
  contains: readonly string[];
  /** …and none of these (words that would otherwise match by accident). */
  unless?: readonly string[];
}

export const NAME_HINTS = {
  party: { category: 'party_community_centre', contains: ['党群服务', '党群活动中心', '党建服务中心'] },
  residentsCommittee: {
    category: 'community_service_station',
    contains: ['居委会', '居民委员会', '村委会', '村民委员会', '社区服务站', '社区公共服务站', '社区工作站', '社区服务中心', '社区综合服务'],
  },
  governmentService: {
    category: 'government_service_centre',
    contains: ['政务服务', '行政服务中心', '便民服务中心', '为民服务中心', '市民中心'],
  },
  civilization: { category: 'civilization_practice_station', contains: ['新时代文明实践'] },
  volunteer: { category: 'volunteer_station', contains: ['志愿服务', '志愿者服务', '志愿者之家', '志愿驿站'] },
  socialWork: { category: 'social_work_station', contains: ['社工站', '社工服务', '社会工作服务'] },
  elderlyDayCare: { category: 'elderly_day_care', contains: ['日间照料', '星光老年之家', '老年人日托', '长者日托'] },
  elderlyCare: {
    category: 'elderly_care',
    contains: ['养老', '敬老院', '长者饭堂', '长者食堂', '老年食堂', '颐康', '长者服务', '老年公寓', '老人院'],
    // 养老保险 (pension insurance) offices are not care.
    unless: ['保险'],
  },
  seniorCollege: { category: 'senior_college', contains: ['老年大学', '老年学校', '长者学堂'] },
  // 文化馆 is the district's cultural hall (the city's is left out by the city-level exclusion).
  culturalCentre: { category: 'cultural_centre', contains: ['综合文化站', '文化站', '文化活动中心', '文化服务中心', '文化活动室', '文化馆'] },
  library: { category: 'library', contains: ['图书馆', '图书室', '书屋', '阅览室'] },
  legal: { category: 'legal_service', contains: ['法律服务', '司法所', '人民调解', '调解委员会', '法律援助'] },
  police: { category: 'police', contains: ['警务室', '派出所', '警务站', '警务服务站'] },
  // Pet, cosmetic and dental clinics match too: the exclusions (./exclusions.ts) take them out, for
  // every source alike.
  clinic: { category: 'clinic', contains: ['卫生服务站', '卫生服务中心', '卫生室', '卫生院', '诊所', '门诊部'] },
  nursery: { category: 'nursery', contains: ['托儿所', '托育'] },
  kindergarten: { category: 'kindergarten', contains: ['幼儿园'] },
  primarySchool: { category: 'primary_school', contains: ['小学', '附小', '实小'] },
  secondarySchool: { category: 'secondary_school', contains: ['中学', '初中', '高中', '附中'] },
  freshMarket: {
    category: 'fresh_market',
    contains: ['菜市', '菜场', '农贸', '肉菜', '集贸', '农副产品市场', '生鲜市场', '便民市场'],
    // A 批发 (wholesale) market sells to traders, not to households.
    unless: ['批发'],
  },
  communityCanteen: { category: 'restaurant', contains: ['社区食堂', '社区饭堂', '长者饭堂', '长者食堂', '老年食堂', '爱心食堂'] },
  domestic: { category: 'domestic_service', contains: ['家政', '保洁', '月嫂', '保姆'] },
  // Car and motorbike workshops match too: the `vehicles` exclusion takes them out.
  repair: { category: 'repair_service', contains: ['家电维修', '维修', '修理', '修鞋', '配钥匙', '开锁', '改衣', '缝补', '小修小补'] },
  // A carrier's own or licensed counter (营业厅) among phone shops; an 营业厅 of the power or water
  // company never meets this hint, which only phone shops use.
  telecom: { category: 'telecom_service', contains: ['营业厅', '中国移动', '中国联通', '中国电信', '中国广电', '移动通信', '联通营业', '电信营业'] },
  employment: { category: 'employment_service', contains: ['人才市场', '职业介绍', '就业服务', '人力资源市场', '零工市场'] },
  parcel: { category: 'parcel_point', contains: ['快递', '菜鸟驿站', '丰巢', '速递', '驿站'], unless: ['城市驿站', '爱心驿站', '志愿驿站'] },
  park: { category: 'park', contains: ['公园', '游园', '绿地', '花园'] },
  square: { category: 'square', contains: ['广场'] },
  // A place of the revolution or of remembrance, named as such (issue 13: 纪念馆, 旧址, 会址, 烈士陵园).
  // A museum is not one by itself.
  redEducation: {
    category: 'red_education_base',
    contains: ['红色', '革命', '烈士', '英烈', '红军', '党史', '抗战', '抗日', '长征', '起义', '爱国主义教育', '纪念馆', '旧址', '会址'],
  },
} as const satisfies Record<string, NameHint>;

export type NameHintId = keyof typeof NAME_HINTS;

/**
 * Hint groups by kind of place, so that the mapping tables stay short. Civic: offices and halls
 * whose name says what they host (a townhall is a 居委会, a 政务服务中心 or a 党群服务中心).
 */
export const CIVIC_HINTS: readonly NameHintId[] = [
  'party', 'residentsCommittee', 'governmentService', 'civilization', 'volunteer', 'socialWork',
  'elderlyDayCare', 'elderlyCare', 'seniorCollege', 'culturalCentre', 'library', 'legal', 'police', 'clinic',
];
/** Shops and offices of unspecified trade. */
export const SERVICE_HINTS: readonly NameHintId[] = ['domestic', 'repair', 'employment', 'parcel', 'freshMarket'];
export const CHILD_HINTS: readonly NameHintId[] = ['nursery', 'kindergarten'];
export const SCHOOL_HINTS: readonly NameHintId[] = ['kindergarten', 'nursery', 'primarySchool', 'secondarySchool'];

/** One hint that a name meets, with the word that met it (for explanations). */
export interface NameHintMatch {
  hint: NameHintId;
  word: string;
  category: CategoryId;
}

/** The hints among `hints` that `name` meets, in hint order; [] for no name. */
export function nameHintMatches(name: string | undefined, hints: readonly NameHintId[]): NameHintMatch[] {
  if (!name) return [];
  const found: NameHintMatch[] = [];
  for (const id of hints) {
    const hint: NameHint = NAME_HINTS[id];
    const word = hint.contains.find((w) => name.includes(w));
    if (word === undefined || hint.unless?.some((w) => name.includes(w))) continue;
    found.push({ hint: id, word, category: hint.category });
  }
  return found;
}

/** The categories that `hints` give `name`, in hint order, without repeats; [] for no name. */
export function nameHintCategories(name: string | undefined, hints: readonly NameHintId[]): CategoryId[] {
  const found: CategoryId[] = [];
  for (const m of nameHintMatches(name, hints)) if (!found.includes(m.category)) found.push(m.category);
  return found;
}
