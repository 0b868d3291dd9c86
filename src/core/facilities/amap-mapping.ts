/**
 * Amap (高德) POI classification → facility categories.
 *
 * Amap classes every POI in three levels, 大类;中类;小类, with a 6-digit code: two digits per level,
 * `00` for "the level above itself" (050000 餐饮服务 → 050100 中餐厅 → 050102 四川菜). A POI from
 * the Amap web API carries `type` ("医疗保健服务;诊所;诊所") and `typecode` ("090300"), several
 * joined with `|`.
 *
 * The table lists 中类 rows (code ending in 00) and, where a 小类 differs from its 中类, 小类 rows;
 * the most specific row wins, so 060411 屈臣氏 (a drugstore chain Amap files under 超级市场) is not a
 * supermarket while 060401 家乐福 is, through its 中类. A row with no categories says "seen and
 * deliberately not mapped". Codes and names were checked against Amap's published classification
 * table (编号 / 大类 / 中类 / 小类, the version with 130105 乡镇级 and 130106 乡镇以下级政府); codes
 * change little between versions, but a few 小类 differ, which is why both the code and the text
 * are read (see `amapCategories`).
 */
import type { CategoryId } from './categories.ts';
import { CIVIC_HINTS, CHILD_HINTS, type NameHintId, type NameHintMatch, SCHOOL_HINTS, SERVICE_HINTS, nameHintMatches } from './name-hints.ts';

export interface AmapRule {
  /** Six digits; a 中类 row ends in `00`. */
  code: string;
  /** 中类 as Amap writes it. */
  mid: string;
  /** 小类, for rows of one small class. */
  small?: string;
  categories: readonly CategoryId[];
  names?: readonly NameHintId[];
  /** On a row that maps to nothing on purpose, why (shown when a feature is explained). */
  note?: string;
  /** `categories` only when none of `names` is met: a name that says what the place is decides. */
  unlessNamed?: true;
}

export const AMAP_RULES: readonly AmapRule[] = [
  // 05 餐饮服务. Meals only: 咖啡厅, 茶艺馆, 冷饮店, 糕饼店, 甜品店 are not the 餐馆 of the standards.
  // 050000 餐饮相关场所 is where Amap files most small eateries and canteens.
  { code: '050000', mid: '餐饮相关场所', categories: ['restaurant'], names: ['elderlyCare'] },
  { code: '050100', mid: '中餐厅', categories: ['restaurant'] },
  { code: '050200', mid: '外国餐厅', categories: ['restaurant'] },
  { code: '050300', mid: '快餐厅', categories: ['restaurant'] },

  // 06 购物服务. Phone shops (060305 手机销售) are not carriers' offices (070600) unless the name
  // says so, as OSM's shop=mobile_phone.
  { code: '060000', mid: '购物相关场所', categories: [], names: ['freshMarket'] },
  { code: '060200', mid: '便民商店/便利店', categories: ['convenience_store'] },
  { code: '060305', mid: '家电电子卖场', small: '手机销售', categories: [], names: ['telecom'], note: 'a phone shop sells phones; only a carrier\u2019s counter (营业厅) is a 通信服务网点' },
  { code: '060400', mid: '超级市场', categories: ['supermarket'], names: ['freshMarket'] },
  { code: '060411', mid: '超级市场', small: '屈臣氏', categories: [] },
  { code: '060415', mid: '超级市场', small: '万宁超市', categories: [] },
  // 综合市场 also holds 小商品市场 and 旧货市场: its name decides. Its food 小类 are fresh markets;
  // 果品市场 is mostly wholesale fruit, so it too is left to the name.
  { code: '060700', mid: '综合市场', categories: [], names: ['freshMarket'] },
  { code: '060703', mid: '综合市场', small: '农副产品市场', categories: ['fresh_market'] },
  { code: '060705', mid: '综合市场', small: '蔬菜市场', categories: ['fresh_market'] },
  { code: '060706', mid: '综合市场', small: '水产海鲜市场', categories: ['fresh_market'] },

  // 07 生活服务. 家政 has no class of its own: it is in 生活服务场所 with everything else.
  { code: '070000', mid: '生活服务场所', categories: [], names: [...SERVICE_HINTS, ...CIVIC_HINTS, 'nursery'] },
  { code: '070400', mid: '邮局', categories: ['post_office'] },
  { code: '070500', mid: '物流速递', categories: ['parcel_point'] },
  { code: '070501', mid: '物流速递', small: '物流仓储场地', categories: [] },
  { code: '070600', mid: '电讯营业厅', categories: ['telecom_service'] },
  { code: '070701', mid: '事务所', small: '律师事务所', categories: ['legal_service'] },
  { code: '070800', mid: '人才市场', categories: ['employment_service'] },
  { code: '071200', mid: '维修站点', categories: ['repair_service'] },
  // Nearly all of 中介机构 are 房产中介, and it is Amap's only class for them.
  { code: '071600', mid: '中介机构', categories: ['estate_agent'] },
  { code: '072000', mid: '婴儿服务场所', categories: [], names: CHILD_HINTS },

  // 08 体育休闲服务. Courts and fields are sports grounds; halls are sports centres; commercial
  // gyms, pools, billiards and the like are not public sports provision.
  { code: '080000', mid: '体育休闲服务场所', categories: [], names: CIVIC_HINTS },
  { code: '080100', mid: '运动场馆', categories: ['sports_ground'] },
  { code: '080101', mid: '运动场馆', small: '综合体育馆', categories: ['sports_centre'] },
  { code: '080102', mid: '运动场馆', small: '保龄球馆', categories: [] },
  { code: '080106', mid: '运动场馆', small: '滑雪场', categories: [] },
  { code: '080107', mid: '运动场馆', small: '溜冰场', categories: [] },
  { code: '080108', mid: '运动场馆', small: '户外健身场所', categories: ['fitness_trail'] },
  { code: '080109', mid: '运动场馆', small: '海滨浴场', categories: [] },
  { code: '080110', mid: '运动场馆', small: '游泳馆', categories: [] },
  { code: '080111', mid: '运动场馆', small: '健身中心', categories: [] },
  { code: '080112', mid: '运动场馆', small: '乒乓球馆', categories: ['sports_centre'] },
  { code: '080113', mid: '运动场馆', small: '台球厅', categories: [] },
  { code: '080115', mid: '运动场馆', small: '马术俱乐部', categories: [] },
  { code: '080116', mid: '运动场馆', small: '赛马场', categories: [] },
  { code: '080119', mid: '运动场馆', small: '跆拳道场馆', categories: [] },

  // 09 医疗保健服务. A 卫生院 (township health centre) is both the rural hospital and the rural
  // counterpart of the community health centre.
  { code: '090000', mid: '医疗保健服务场所', categories: [], names: ['clinic', 'elderlyDayCare', 'elderlyCare'] },
  { code: '090100', mid: '综合医院', categories: ['hospital'] },
  { code: '090102', mid: '综合医院', small: '卫生院', categories: ['hospital', 'clinic'] },
  { code: '090200', mid: '专科医院', categories: ['hospital'] },
  { code: '090201', mid: '专科医院', small: '整形美容', categories: [] },
  { code: '090300', mid: '诊所', categories: ['clinic'] },
  { code: '090600', mid: '医药保健销售店', categories: ['pharmacy'] },
  { code: '090602', mid: '医药保健销售店', small: '医疗保健用品', categories: [] },
  { code: '090700', mid: '动物医疗场所', categories: [], note: 'pet clinics and veterinary stations are not care for people' },

  // 11 风景名胜. 公园广场 without a 小类 is told apart by its name.
  { code: '110000', mid: '风景名胜相关', categories: [], names: ['redEducation'] },
  { code: '110100', mid: '公园广场', categories: [], names: ['park', 'square'] },
  { code: '110101', mid: '公园广场', small: '公园', categories: ['park'] },
  { code: '110102', mid: '公园广场', small: '动物园', categories: [] },
  { code: '110103', mid: '公园广场', small: '植物园', categories: [] },
  { code: '110104', mid: '公园广场', small: '水族馆', categories: [] },
  { code: '110105', mid: '公园广场', small: '城市广场', categories: ['square'] },
  { code: '110106', mid: '公园广场', small: '公园内部设施', categories: [] },
  { code: '110200', mid: '风景名胜', categories: [], names: ['redEducation'] },
  { code: '110204', mid: '风景名胜', small: '纪念馆', categories: ['museum'], names: ['redEducation'] },

  // 12 商务住宅
  // As OSM's community_centre: a hall whose name says what it is (党群服务中心, 居委会) is that only.
  { code: '120304', mid: '住宅区', small: '社区中心', categories: ['community_centre'], names: CIVIC_HINTS, unlessNamed: true },

  // 13 政府机构及社会团体. Below the township (130106) are the 居委会 and 村委会 themselves, filed
  // under the bare community or village name; also the village clinic and the economic cooperative
  // (经济合作社: the `cooperative` exclusion), which is why a name that says what it is decides.
  { code: '130000', mid: '政府及社会团体相关', categories: [], names: CIVIC_HINTS },
  { code: '130100', mid: '政府机关', categories: [], names: CIVIC_HINTS },
  { code: '130106', mid: '政府机关', small: '乡镇以下级政府及事业单位', categories: ['community_service_station'], names: CIVIC_HINTS, unlessNamed: true },
  { code: '130400', mid: '社会团体', categories: [], names: CIVIC_HINTS },
  { code: '130501', mid: '公检法机构', small: '公安警察', categories: ['police'] },
  { code: '130505', mid: '公检法机构', small: '公证鉴定机构', categories: ['legal_service'] },
  { code: '130506', mid: '公检法机构', small: '社会治安机构', categories: [], names: CIVIC_HINTS },

  // 14 科教文化服务. 美术馆 is a gallery (OSM tourism=gallery, not mapped either).
  { code: '140000', mid: '科教文化场所', categories: [], names: CIVIC_HINTS },
  { code: '140100', mid: '博物馆', categories: ['museum'], names: ['redEducation'] },
  { code: '140200', mid: '展览馆', categories: [], names: ['redEducation'] },
  { code: '140400', mid: '美术馆', categories: [], note: 'a gallery is not a 综合文化服务中心' },
  { code: '140500', mid: '图书馆', categories: ['library'] },
  { code: '140800', mid: '文化宫', categories: ['cultural_centre'] },
  { code: '141200', mid: '学校', categories: [], names: SCHOOL_HINTS },
  { code: '141201', mid: '学校', small: '高等院校', categories: [] },
  { code: '141202', mid: '学校', small: '中学', categories: ['secondary_school'] },
  { code: '141203', mid: '学校', small: '小学', categories: ['primary_school'] },
  { code: '141204', mid: '学校', small: '幼儿园', categories: ['kindergarten'], names: ['nursery'] },
  { code: '141205', mid: '学校', small: '成人教育', categories: [] },
  { code: '141206', mid: '学校', small: '职业技术学校', categories: [] },
  { code: '141207', mid: '学校', small: '学校内部设施', categories: [] },
  { code: '141400', mid: '培训机构', categories: [], names: ['nursery', 'seniorCollege'] },

  // 15 交通设施服务. Coach stations (150400) and commuter shuttles (150800) are not everyday
  // transit; the city buses that serve a coach station are 150700 POIs of their own.
  { code: '150500', mid: '地铁站', categories: ['metro_station'] },
  { code: '150600', mid: '轻轨站', categories: ['metro_station'] },
  { code: '150700', mid: '公交车站', categories: ['bus_stop'] },

  // 16 金融保险服务
  { code: '160100', mid: '银行', categories: ['bank'] },
  { code: '160300', mid: '自动提款机', categories: ['atm'] },

  // 20 公共设施
  { code: '200300', mid: '公共厕所', categories: ['public_toilet'] },
  { code: '200304', mid: '公共厕所', small: '婴儿换洗间/哺乳室/母婴室', categories: [] },
];

export interface AmapResult {
  /** Before exclusions: `categorize` applies those, to OSM and Amap alike. */
  categories: CategoryId[];
  /** The rows that matched, as `code 中类;小类`; empty when nothing did. */
  matched: string[];
  /** Each matched row with what it gave by itself and the name hints it took. */
  rows: AmapMatch[];
  /** The six-digit codes read (for exclusions that look at the class). */
  codes: string[];
  /** Codes that are not six digits, named so that the data can be fixed. */
  warnings: string[];
}

export interface AmapMatch {
  rule: string;
  categories: CategoryId[];
  hints: NameHintMatch[];
  note?: string;
}

/** True when the properties carry an Amap `typecode` or `type`. */
export function hasAmapFields(properties: Record<string, unknown>): boolean {
  return codeText(properties.typecode) !== undefined || nonEmptyString(properties.type);
}

/**
 * Categories of an Amap POI. Codes decide when one of them is in the table; the text is read when
 * there is no code or none is known (exports that kept only `type`, or a code newer than the table).
 * Each code or type entry takes its most specific row (小类, then its 中类), and the categories of
 * all entries are merged. `name` feeds the rows' name hints.
 */
export function amapCategories(typecode: unknown, type: unknown, name: string | undefined): AmapResult {
  const text = codeText(typecode);
  const listed = text !== undefined ? splitList(text) : [];
  const codes = listed.filter((c) => SIX_DIGITS.test(c));
  const warnings = listed
    .filter((c) => !SIX_DIGITS.test(c))
    .map((c) => `typecode ${JSON.stringify(c)}: expected six digits (大类, 中类, 小类: two each, e.g. 090300)`);
  let rules = codes.map(ruleForCode);
  if (!rules.some(Boolean) && nonEmptyString(type)) rules = splitList(type).map(ruleForType);
  const categories: CategoryId[] = [];
  const matched: string[] = [];
  const rows: AmapMatch[] = [];
  for (const row of rules) {
    if (!row) continue;
    const label = `${row.code} ${row.mid}${row.small ? `;${row.small}` : ''}`;
    matched.push(label);
    const hints = nameHintMatches(name, row.names ?? []);
    const own = row.unlessNamed && hints.length > 0 ? [] : [...row.categories];
    rows.push({ rule: label, categories: own, hints, ...(row.note ? { note: row.note } : {}) });
    for (const c of [...own, ...hints.map((h) => h.category)]) {
      if (!categories.includes(c)) categories.push(c);
    }
  }
  return { categories, matched, rows, codes, warnings };
}

const SIX_DIGITS = /^\d{6}$/;

/** `typecode 070000` / `type 生活服务;生活服务场所;生活服务场所`, for "not mapped" reasons. */
export function describeAmapFields(properties: Record<string, unknown>): string {
  const parts: string[] = [];
  const codes = codeText(properties.typecode);
  if (codes !== undefined) parts.push(`typecode ${codes}`);
  if (nonEmptyString(properties.type)) parts.push(`type ${properties.type}`);
  return parts.join(', ');
}

/** The row for a code: the code itself, else its 中类; undefined when neither is in the table. */
export function ruleForCode(code: string): AmapRule | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  return BY_CODE.get(code) ?? BY_CODE.get(`${code.slice(0, 4)}00`);
}

/** The row for `大类;中类;小类` (or `大类;中类`, or a single class name). */
export function ruleForType(type: string): AmapRule | undefined {
  const parts = type.split(';').map((p) => p.trim());
  if (parts.length === 1) return BY_MID.get(parts[0]) ?? BY_SMALL_NAME.get(parts[0]);
  const [, mid, small] = parts;
  return (small === undefined ? undefined : BY_MID_SMALL.get(`${mid};${small}`)) ?? BY_MID.get(mid);
}

function splitList(value: string): string[] {
  return value.split('|').map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * `typecode` as text. A spreadsheet round trip turns "060200" into the number 60200: a number is
 * padded back to six digits.
 */
function codeText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1e6) return String(value).padStart(6, '0');
  return nonEmptyString(value) ? value : undefined;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

const BY_CODE = new Map<string, AmapRule>();
const BY_MID = new Map<string, AmapRule>();
const BY_MID_SMALL = new Map<string, AmapRule>();
const BY_SMALL_NAME = new Map<string, AmapRule>();
for (const rule of AMAP_RULES) {
  if (!/^\d{6}$/.test(rule.code) || BY_CODE.has(rule.code)) throw new Error(`amap mapping: code ${rule.code} is malformed or repeated`);
  BY_CODE.set(rule.code, rule);
  if (rule.small === undefined) BY_MID.set(rule.mid, rule);
  else {
    BY_MID_SMALL.set(`${rule.mid};${rule.small}`, rule);
    BY_SMALL_NAME.set(rule.small, rule);
  }
}
