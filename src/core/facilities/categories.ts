/**
 * The facility categories: the vocabulary between data (a facility's `category`, or what its OSM
 * tags or Amap type map to) and the standards (each place item lists the categories that satisfy it).
 * Ids are stable snake_case English; names are given in Chinese and English for reports.
 */
interface FacilityCategory {
  id: string;
  zh: string;
  en: string;
}

export const FACILITY_CATEGORIES = [
  // Party, government and community services
  { id: 'party_community_centre', zh: '党群服务中心', en: 'Party & community service centre' },
  { id: 'community_service_station', zh: '社区公共服务站 / 居委会', en: 'Community public service station / residents\u2019 committee' },
  { id: 'community_centre', zh: '社区活动中心', en: 'Community centre' },
  { id: 'civilization_practice_station', zh: '新时代文明实践站', en: 'Civilization practice station' },
  { id: 'volunteer_station', zh: '志愿服务站', en: 'Volunteer service station' },
  { id: 'social_work_station', zh: '社工站', en: 'Social work station' },
  { id: 'government_service_centre', zh: '政务服务中心', en: 'Government service centre' },
  { id: 'police', zh: '警务室 / 派出所', en: 'Police post / station' },
  { id: 'legal_service', zh: '法律服务点', en: 'Legal service point' },
  // Health and care
  { id: 'clinic', zh: '社区卫生服务站 / 诊所', en: 'Community health station / clinic' },
  { id: 'hospital', zh: '医院', en: 'Hospital' },
  { id: 'pharmacy', zh: '药店', en: 'Pharmacy' },
  { id: 'elderly_care', zh: '居家养老服务中心 / 长者饭堂', en: 'Home-based elderly care centre' },
  { id: 'elderly_day_care', zh: '老年人日间照料中心', en: 'Elderly day care centre' },
  { id: 'senior_college', zh: '老年大学教学点', en: 'Senior college' },
  // Children and education
  { id: 'nursery', zh: '托儿所', en: 'Nursery (childcare)' },
  { id: 'kindergarten', zh: '幼儿园', en: 'Kindergarten' },
  { id: 'primary_school', zh: '小学', en: 'Primary school' },
  { id: 'secondary_school', zh: '中学', en: 'Secondary school' },
  // Everyday shopping and services
  { id: 'convenience_store', zh: '便利店', en: 'Convenience store' },
  { id: 'supermarket', zh: '超市', en: 'Supermarket' },
  { id: 'fresh_market', zh: '菜市场', en: 'Fresh-food market' },
  { id: 'restaurant', zh: '餐馆', en: 'Restaurant' },
  { id: 'parcel_point', zh: '快递 / 物流配送点', en: 'Parcel and delivery point' },
  { id: 'post_office', zh: '邮局', en: 'Post office' },
  { id: 'repair_service', zh: '家电维修 / 小修小补', en: 'Repair service' },
  { id: 'domestic_service', zh: '家政服务', en: 'Domestic services' },
  { id: 'employment_service', zh: '就业 / 招聘服务', en: 'Employment service' },
  { id: 'estate_agent', zh: '房屋中介', en: 'Estate agent' },
  { id: 'bank', zh: '银行', en: 'Bank' },
  { id: 'atm', zh: '自动取款机', en: 'ATM' },
  { id: 'telecom_service', zh: '通信营业厅', en: 'Telecom service point' },
  { id: 'recycling_point', zh: '再生资源回收点', en: 'Recycling point' },
  { id: 'public_toilet', zh: '公共厕所', en: 'Public toilet' },
  // Transport
  { id: 'bus_stop', zh: '公交站', en: 'Bus stop' },
  { id: 'metro_station', zh: '地铁站', en: 'Metro station' },
  // Culture and sports
  { id: 'library', zh: '图书馆 / 图书室', en: 'Library / reading room' },
  { id: 'cultural_centre', zh: '综合文化服务中心', en: 'Cultural service centre' },
  { id: 'museum', zh: '博物馆', en: 'Museum' },
  { id: 'red_education_base', zh: '红色教育基地', en: 'Revolutionary heritage education site' },
  { id: 'fitness_trail', zh: '健身路径', en: 'Fitness trail / outdoor gym' },
  { id: 'sports_ground', zh: '运动场 / 球场', en: 'Sports ground / court' },
  { id: 'sports_centre', zh: '体育馆', en: 'Sports centre' },
  { id: 'park', zh: '公园 / 口袋公园', en: 'Park / pocket park' },
  { id: 'square', zh: '广场', en: 'Public square' },
  { id: 'playground', zh: '儿童游乐场', en: 'Playground' },
] as const satisfies readonly FacilityCategory[];

export type CategoryId = (typeof FACILITY_CATEGORIES)[number]['id'];

export const CATEGORY_IDS: readonly string[] = FACILITY_CATEGORIES.map((c) => c.id);
const INDEX = new Map<string, number>(CATEGORY_IDS.map((id, i) => [id, i]));

export function isCategory(value: string): value is CategoryId {
  return INDEX.has(value);
}

/** Stable small integer per category (its position in the vocabulary), for typed arrays. */
export function categoryIndex(id: string): number {
  const i = INDEX.get(id);
  if (i === undefined) throw new Error(`unknown facility category ${JSON.stringify(id)}`);
  return i;
}
