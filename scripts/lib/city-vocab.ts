/**
 * Fixed vocabularies for the synthetic city: facility categories with their relative frequencies,
 * and place-name stems (Cantonese/Mandarin-style, in pinyin) for roads, communities and subdistricts.
 */

/**
 * Facility categories of the generated city: the service's whole vocabulary
 * (src/core/facilities/categories.ts), each with how common it is (relative weights, not percentages).
 */
export const FACILITY_CATEGORIES: ReadonlyArray<{ category: string; weight: number }> = [
  { category: 'convenience_store', weight: 14 },
  { category: 'restaurant', weight: 10 },
  { category: 'bus_stop', weight: 8 },
  { category: 'pharmacy', weight: 6 },
  { category: 'parcel_point', weight: 6 },
  { category: 'clinic', weight: 5 },
  { category: 'repair_service', weight: 4 },
  { category: 'kindergarten', weight: 3 },
  { category: 'supermarket', weight: 3 },
  { category: 'atm', weight: 3 },
  { category: 'public_toilet', weight: 3 },
  { category: 'bank', weight: 2.5 },
  { category: 'park', weight: 2.5 },
  { category: 'recycling_point', weight: 2.5 },
  { category: 'primary_school', weight: 2 },
  { category: 'fresh_market', weight: 2 },
  { category: 'playground', weight: 2 },
  { category: 'domestic_service', weight: 2 },
  { category: 'telecom_service', weight: 1.5 },
  { category: 'estate_agent', weight: 1.5 },
  { category: 'community_service_station', weight: 1.5 },
  { category: 'nursery', weight: 1.2 },
  { category: 'elderly_day_care', weight: 1.2 },
  { category: 'secondary_school', weight: 1 },
  { category: 'elderly_care', weight: 1 },
  { category: 'fitness_trail', weight: 1 },
  { category: 'cultural_centre', weight: 0.8 },
  { category: 'sports_ground', weight: 0.8 },
  { category: 'party_community_centre', weight: 0.8 },
  { category: 'post_office', weight: 0.6 },
  { category: 'square', weight: 0.5 },
  { category: 'police', weight: 0.5 },
  { category: 'hospital', weight: 0.4 },
  { category: 'sports_centre', weight: 0.4 },
  { category: 'metro_station', weight: 0.4 },
  { category: 'community_centre', weight: 0.4 },
  { category: 'social_work_station', weight: 0.4 },
  { category: 'library', weight: 0.3 },
  { category: 'volunteer_station', weight: 0.3 },
  { category: 'employment_service', weight: 0.3 },
  { category: 'civilization_practice_station', weight: 0.2 },
  { category: 'government_service_centre', weight: 0.2 },
  { category: 'legal_service', weight: 0.2 },
  { category: 'museum', weight: 0.1 },
  { category: 'red_education_base', weight: 0.1 },
  { category: 'senior_college', weight: 0.1 },
];

const LABEL_OVERRIDES: Record<string, string> = { atm: 'ATM', ev_charging_station: 'EV Charging Station' };

/** `fresh_market` → `Fresh Market`. */
export function categoryLabel(category: string): string {
  return (
    LABEL_OVERRIDES[category] ??
    category
      .split('_')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ')
  );
}

/** Place-name stems. Order matters only through the seeded shuffles that use it. */
export const NAME_STEMS: readonly string[] = [
  'Tianhe', 'Yuexiu', 'Haizhu', 'Liwan', 'Baiyun', 'Huangpu', 'Panyu', 'Huadu', 'Nansha', 'Conghua',
  'Zengcheng', 'Dongfeng', 'Zhongshan', 'Jiefang', 'Renmin', 'Huanshi', 'Huangsha', 'Baogang', 'Jiangnan', 'Changgang',
  'Gongye', 'Binjiang', 'Yanjiang', 'Xianlie', 'Linhe', 'Tiyu', 'Huacheng', 'Zhujiang', 'Wushan', 'Shipai',
  'Gangding', 'Longkou', 'Huajing', 'Kecun', 'Chigang', 'Pazhou', 'Xingang', 'Nanzhou', 'Dongxiao', 'Ruikang',
  'Fangcun', 'Huadi', 'Shiwei', 'Chajiao', 'Dongsha', 'Zhongnan', 'Shatou', 'Xiaogang', 'Sanyuanli', 'Tonghe',
  'Jingxi', 'Xinshi', 'Jiahe', 'Longgui', 'Renhe', 'Taihe', 'Yuancun', 'Chebei', 'Tangxia', 'Zhuji',
  'Xintang', 'Licheng', 'Shiqiao', 'Dashi', 'Luopu', 'Nancun', 'Shawan', 'Lianhua', 'Dagang', 'Huangge',
  'Wenchong', 'Dasha', 'Yuzhu', 'Changzhou', 'Luogang', 'Xiagang', 'Jiulong', 'Yonghe', 'Xinhua', 'Shiling',
  'Tanbu', 'Huashan', 'Liangtian', 'Jianggao', 'Shijing', 'Songzhou', 'Jinsha', 'Baihedong', 'Chongkou', 'Dongpu',
  'Qianjin', 'Yangcheng', 'Wuyang', 'Xihua', 'Beijing', 'Hongqiao', 'Meihua', 'Lujing', 'Guangta', 'Haiyin',
];

/** Suffixes of urban residential communities. */
export const URBAN_COMMUNITY_SUFFIXES: readonly string[] = [
  'Garden', 'Court', 'New Village', 'Estate', 'Residence', 'Mansion', 'Heights', 'Square', 'Lane', 'Terrace',
];

/** Suffixes of rural communities. */
export const RURAL_COMMUNITY_SUFFIXES: readonly string[] = ['Village', 'Hamlet', 'Farm Village', 'Old Village'];

/** `1` → `1st`, `2` → `2nd`, `11` → `11th`... */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}
