/**
 * The page's words in Chinese and English. Standards, items and groups carry their own `zh`/`en`
 * names (from data/standards); these are the page's own labels. `t(key)` reads the current language.
 */
const WORDS = {
  title: { zh: '生活服务圈', en: 'Life-service circle' },
  subtitle: { zh: '社区步行可达的日常设施', en: 'Everyday facilities each community reaches' },
  data: { zh: '数据', en: 'Data' },
  dropHint: { zh: '把 GeoJSON 文件拖到地图上：路网、社区、设施', en: 'Drop GeoJSON files on the map: network, communities, facilities' },
  chooseFiles: { zh: '选择文件…', en: 'Choose files…' },
  useSample: { zh: '使用默认数据', en: 'Use the default data' },
  network: { zh: '路网', en: 'Network' },
  communities: { zh: '社区', en: 'Communities' },
  facilities: { zh: '设施', en: 'Facilities' },
  serverDefault: { zh: '服务器默认', en: 'server default' },
  standard: { zh: '标准', en: 'Standard' },
  mode: { zh: '出行方式', en: 'Mode' },
  minutes: { zh: '分钟', en: 'Minutes' },
  standardsOwn: { zh: '标准自带', en: "the standard's" },
  colourBy: { zh: '着色依据', en: 'Colour by' },
  allItems: { zh: '全部指标', en: 'all items' },
  placeItems: { zh: '设施类指标', en: 'place items' },
  analyse: { zh: '分析', en: 'Analyse' },
  summary: { zh: '全市概况', en: 'City summary' },
  meeting: { zh: '达标社区', en: 'communities meeting it' },
  target: { zh: '目标', en: 'target' },
  short: { zh: '距目标还差', en: 'short of the target' },
  worstItems: { zh: '覆盖最低的指标', en: 'Items reached least' },
  legend: { zh: '图例', en: 'Legend' },
  shareMet: { zh: '指标达成比例', en: 'share of items met' },
  other: { zh: '其他', en: 'other' },
  download: { zh: '下载报告', en: 'Download the report' },
  stored: { zh: '已存数据', en: 'Stored data' },
  apiKey: { zh: 'API 密钥', en: 'API key' },
  load: { zh: '载入', en: 'Load' },
  open: { zh: '打开', en: 'Open' },
  runs: { zh: '运行结果', en: 'Runs' },
  datasets: { zh: '数据集', en: 'Datasets' },
  analyseStored: { zh: '分析所选数据集', en: 'Analyse the chosen datasets' },
  none: { zh: '（无）', en: '(none)' },
  close: { zh: '关闭', en: 'Close' },
  itemsMet: { zh: '已满足', en: 'Met' },
  itemsMissing: { zh: '缺失', en: 'Missing' },
  reachable: { zh: '可达设施', en: 'Reachable facilities' },
  isochrones: { zh: '等时圈', en: 'Isochrones' },
  routeTo: { zh: '最近设施的步行路线', en: 'Route to the nearest facility for' },
  noRoute: { zh: '无可达设施', en: 'No facility reached' },
  min: { zh: '分钟', en: 'min' },
  loading: { zh: '加载中…', en: 'Loading…' },
  computing: { zh: '计算中…', en: 'Computing…' },
  urban: { zh: '城市社区', en: 'urban community' },
  rural: { zh: '农村社区', en: 'village' },
  notAssessed: { zh: '未评估', en: 'not assessed' },
  communitiesCount: { zh: '个社区', en: 'communities' },
  facilitiesCount: { zh: '个设施', en: 'facilities' },
  clickHint: { zh: '点击地图上的社区查看详情', en: 'Click a community on the map for its circle' },
  declared: { zh: '已申报', en: 'declared' },
  storedNetwork: { zh: '已存路网（不绘制）', en: 'stored network (not drawn)' },
  more: { zh: '等', en: 'more' },
  measuredFrom: { zh: '自住宅测量：', en: 'Measured from' },
  homesCount: { zh: '处住宅', en: 'homes' },
  homeRule_given: { zh: '提供的住宅', en: 'homes given' },
  homeRule_buildings: { zh: 'OSM 住宅建筑', en: 'OSM residential buildings' },
  homeRule_grid: { zh: '区内网格点', en: 'a grid inside the polygon' },
  homeRule_point: { zh: '社区点位', en: 'the community point' },
  homeRule_gates: { zh: '出入口中心', en: 'behind its gates' },
  homeRule_representative: { zh: '代表点（对比用）', en: 'one representative point (comparison)' },
  metWhen: { zh: '满足条件：', en: 'an item is met when' },
  ofResidents: { zh: '居民可达', en: 'of residents reach it' },
  dataGaps: { zh: '数据中无此类设施', en: 'No such facility in the data' },
  dataGapsNote: { zh: '以下指标在数据中没有任何设施，属于数据缺口，不计入“最差指标”排名', en: 'these items have no facility in the data at all: gaps in the data, not ranked among the worst items' },
};

let language = localStorage.getItem('lifecircle.lang') === 'en' ? 'en' : 'zh';

export function t(key) {
  const entry = WORDS[key];
  return entry ? entry[language] : key;
}

/** A `{ zh, en }` name in the current language. */
export function nameOf(named) {
  return named ? (named[language] ?? named.zh ?? named.en ?? '') : '';
}

export function currentLanguage() {
  return language;
}

export function setLanguage(lang) {
  language = lang === 'en' ? 'en' : 'zh';
  localStorage.setItem('lifecircle.lang', language);
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
}
