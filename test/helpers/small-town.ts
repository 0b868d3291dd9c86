import { asciiMap } from './ascii-map.ts';

/**
 * The small town of the coverage tests, with known answers. 50 m per character; walking 4.5 km/h is
 * 75 m a minute, so the 5-minute circle reaches 375 m. Blocks are 300 m long; the b–f street is 250 m.
 */
export const town = asciiMap(`
a-----b-----c-----d
      |
      |
      |
      |
e-----f-----g-----h
`, 50);

/** A custom standard: two places, a programme and an online service, and a target. */
export const SMALL_TOWN_STANDARD = {
  id: 'small-town',
  name: { zh: '小镇5分钟生活圈', en: 'Small town 5-minute circle' },
  communityType: 'urban',
  level: 'basic',
  mode: 'walk',
  minutes: 5,
  target: {
    share: 0.5,
    milestones: [
      { date: '2024-12-31', share: 0.25, increment: 0.25 },
      { date: '2025-12-31', share: 0.5, increment: 0.25 },
    ],
  },
  groups: [
    { id: 'public', zh: '公共服务', en: 'Public services', count: 2 },
    { id: 'community', zh: '社区服务', en: 'Community services', count: 2 },
  ],
  items: [
    { id: 'clinic', group: 'public', number: 1, zh: '基本医疗服务', en: 'Basic medical care', lead: [], guiding: [], kind: 'place', categories: ['clinic', 'hospital'] },
    { id: 'park', group: 'public', number: 2, zh: '口袋公园', en: 'Pocket park', lead: [], guiding: [], kind: 'place', categories: ['park'] },
    { id: 'volunteers', group: 'community', number: 1, zh: '志愿服务团队', en: 'Volunteer teams, "Red Vests"', lead: [], guiding: [], kind: 'programme' },
    { id: 'app', group: 'community', number: 2, zh: '网上办事大厅', en: 'Online service hall', lead: [], guiding: [], kind: 'online' },
  ],
};

export const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });

/** A clinic 100 m east of b, a hospital halfway c–d, a park halfway f–g. */
export const TOWN_FACILITIES = fc([
  town.point('clinic-1', town.between('b', 'c', 1 / 3), { category: 'clinic', name: '社区卫生站' }),
  town.point('hospital-1', town.between('c', 'd', 0.5), { category: 'hospital' }),
  town.point('park-1', town.between('f', 'g', 0.5), { category: 'park' }),
]);
