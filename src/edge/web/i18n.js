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
  routeTo: { zh: '最近设施的路线', en: 'Route to the nearest facility for' },
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
  // Colour basis and legend.
  placeItemsWithData: { zh: '有数据的设施类指标', en: 'place items with data' },
  oneItem: { zh: '单项指标：', en: 'one item: ' },
  legendShareOf: { zh: '着色：达成比例，基于', en: 'Colour: share met, of' },
  legendItem: { zh: '着色：可达该设施的居民比例', en: 'Colour: share of residents reaching' },
  notAssessedLegend: { zh: '未评估（灰色斜线，原因见社区详情与消息）', en: 'not assessed (grey, hatched: reason in the panel and the messages)' },
  ringsLegend: { zh: '等时圈（蓝色，由近及远）', en: 'Isochrone rings (blues, near to far)' },
  routeLegend: { zh: '路线', en: 'Route' },
  toDeclare: { zh: '需申报的非设施类指标（地图数据无法体现）', en: 'Programme items to declare (map data cannot show them)' },
  outOfReach: { zh: '有设施但不可达', en: 'Out of reach' },
  noDataItems: { zh: '该社区没有有数据的设施类指标', en: 'no place item with data' },
  itemNoFacility: { zh: '数据中无此类设施', en: 'no such facility in the data' },
  itemIsProgramme: { zh: '非设施类指标：需申报', en: 'a programme: declared, not mapped' },
  // Kinds, statuses, modes.
  kind_place: { zh: '设施', en: 'place' },
  kind_programme: { zh: '需申报', en: 'programme' },
  kind_online: { zh: '线上服务', en: 'online' },
  status_met: { zh: '满足', en: 'met' },
  status_unmet: { zh: '不可达', en: 'out of reach' },
  status_no_facility: { zh: '数据缺口', en: 'data gap' },
  status_declared: { zh: '已申报', en: 'declared' },
  status_not_declared: { zh: '未申报', en: 'not declared' },
  mode_walk: { zh: '步行', en: 'walk' },
  mode_bike: { zh: '自行车', en: 'bike' },
  mode_ebike: { zh: '电动自行车', en: 'e-bike' },
  mode_car: { zh: '驾车', en: 'car' },
  routeToMode: { zh: '最近设施的{mode}路线', en: 'Route ({mode}) to the nearest facility for' },
  routeCounted: { zh: '（覆盖计算所用设施）', en: ' (the facility coverage counted)' },
  // Messages.
  messages: { zh: '消息', en: 'Messages' },
  noMessages: { zh: '上次分析没有错误或警告', en: 'No errors or warnings in the last analysis' },
  errorsCount: { zh: '个错误', en: 'errors' },
  warningsCount: { zh: '个警告', en: 'warnings' },
  showMessages: { zh: '查看全部', en: 'Show all' },
  analysisSource: { zh: '分析结果', en: 'Analysis' },
  feature: { zh: '要素', en: 'feature' },
  notAssessedCount: { zh: '个社区未评估', en: 'communities not assessed' },
  swapLatLon: { zh: '交换经纬度后使用', en: 'Swap lat/lon and use it' },
  // Files.
  crs: { zh: '拖入文件的坐标系', en: 'Coordinate system of dropped files' },
  crs_wgs84: { zh: 'WGS84（GPS、OSM）', en: 'WGS84 (GPS, OSM)' },
  crs_gcj02: { zh: 'GCJ-02（高德、腾讯）', en: 'GCJ-02 (Amap, Tencent)' },
  crs_bd09: { zh: 'BD-09（百度）', en: 'BD-09 (Baidu)' },
  crs_4490: { zh: 'CGCS2000 经纬度（EPSG:4490）', en: 'CGCS2000 lon/lat (EPSG:4490)' },
  crs_3857: { zh: 'Web 墨卡托（EPSG:3857）', en: 'Web Mercator (EPSG:3857)' },
  crs_other: { zh: '其他 EPSG 代码…', en: 'Other EPSG code…' },
  crsPrompt: { zh: 'EPSG 代码，例如 EPSG:4547', en: 'EPSG code, e.g. EPSG:4547' },
  notDrawnCrs: { zh: '（{crs}，未绘制）', en: ' ({crs}, not drawn)' },
  file_badJson: { zh: '{name}：不是有效的 JSON（{detail}）', en: '{name}: not valid JSON ({detail})' },
  file_notCollection: { zh: '{name}：应为 GeoJSON FeatureCollection，实际是 {got}', en: '{name}: expected a GeoJSON FeatureCollection, got {got}' },
  file_noFeatures: { zh: '{name}：没有带几何的要素', en: '{name}: has no features with a geometry' },
  file_unknownRole: { zh: '{name}：无法判断这 {count} 个点是社区还是设施：社区请给 "type"（urban/rural），设施请给 "category" 或 OSM 标签；或把文件拖到对应的数据栏', en: '{name}: cannot tell whether these {count} points are communities or facilities: give communities a "type" (urban/rural) and facilities a "category" or OSM tags, or drop the file on its slot' },
  file_pointsAsNetwork: { zh: '{name}：路网需要线要素（道路），这里是 {points} 个点、{polygons} 个面', en: '{name}: a network needs LineString features (the roads); this has {points} points and {polygons} polygons' },
  file_linesAsFacilities: { zh: '{name}：{lines} 个线要素不能作为设施（像是路网：请拖到“路网”栏）', en: '{name}: {lines} lines cannot be facilities (it looks like a network: drop it on the Network slot)' },
  file_linesAsCommunities: { zh: '{name}：{lines} 个线要素不能作为社区（社区是点或面）', en: '{name}: {lines} lines cannot be communities (they are points or polygons)' },
  file_swapped: { zh: '{name}：坐标像是纬度、经度顺序颠倒（GeoJSON 应为 [经度, 纬度]），例如 {example}', en: '{name}: the coordinates look swapped (GeoJSON is [longitude, latitude]), e.g. {example}' },
  file_outOfRange: { zh: '{name}：{count} 个坐标超出经纬度范围（±180/±90），例如 {example}', en: '{name}: {count} coordinates are out of range for longitude/latitude (±180/±90), e.g. {example}' },
  file_projected: { zh: '{name}：坐标是投影坐标（米），文件没有说明坐标系：请在“拖入文件的坐标系”中选择（如 EPSG:4547）后重新拖入', en: '{name}: projected coordinates (metres) and no coordinate system in the file: choose one under "Coordinate system of dropped files" (e.g. EPSG:4547) and drop it again' },
  file_degreesWithProjected: { zh: '{name}：坐标是经纬度，但选择的坐标系 {crs} 是投影坐标（米）', en: '{name}: the coordinates are longitude/latitude but the chosen {crs} is in metres' },
  categorizeFailed: { zh: '{name}：无法识别设施类别（{detail}）', en: '{name}: the facilities\' categories could not be read ({detail})' },
  unmappedFacilities: { zh: '{count} 个设施不属于任何类别', en: '{count} facilities map to no category' },
  // Keys.
  keyRejected: { zh: 'API 密钥被拒绝：公开分析照常进行（不带密钥）', en: 'API key rejected: public analyses go on without it' },
  keyAccepted: { zh: '密钥有效', en: 'key accepted' },
  clearKey: { zh: '清除密钥', en: 'Clear the key' },
  // Bearings, lists, keyboard.
  search: { zh: '按名称或编号查找社区', en: 'Find a community by name or id' },
  noMatch: { zh: '没有匹配的社区', en: 'no community matches' },
  communityList: { zh: '社区列表', en: 'Community list' },
  unnamedCommunity: { zh: '未命名社区', en: 'Unnamed community' },
  unnamedFacility: { zh: '未命名{category}', en: 'Unnamed {category}' },
  metresAway: { zh: '相距 {m} 米', en: '{m} m away' },
  print: { zh: '打印 / PDF', en: 'Print / PDF' },
  png: { zh: '地图 PNG', en: 'Map PNG' },
  scale: { zh: '比例尺', en: 'scale' },
  openPanel: { zh: '打开', en: 'Open' },
  keyboardHint: { zh: 'Tab 键可到达所有控件；Esc 关闭社区详情', en: 'Tab reaches every control; Escape closes the community panel' },
  // Server problems, by code (src/edge/api/errors.ts).
  sitingTitle: { zh: '选址：下一处建在哪里', en: 'Where to build next' },
  sitingItem: { zh: '要新建的设施（指标）', en: 'Facility to build (item)' },
  sitingGoal: { zh: '目标', en: 'Ask for' },
  sitingGoalK: { zh: '新建 k 处', en: 'k new sites' },
  sitingGoalTarget: { zh: '达到覆盖比例', en: 'a target share' },
  sitingSites: { zh: '处数', en: 'sites' },
  sitingTargetPercent: { zh: '目标比例（%）', en: 'target (%)' },
  sitingGrid: { zh: '候选点间距（米，沿路网）', en: 'Candidate spacing (m, along the network)' },
  sitingRun: { zh: '寻找选址', en: 'Find sites' },
  sitingTry: { zh: '在地图上试一处', en: 'Try a site on the map' },
  sitingTryHint: { zh: '点击地图上任意位置，看在那里新建后的变化', en: 'Click anywhere on the map to see what a facility there would change' },
  sitingMethod_exact: { zh: '精确求解（混合整数规划）', en: 'exact (mixed-integer program)' },
  sitingMethod_greedy: { zh: '贪心算法', en: 'greedy' },
  sitingOptimal: { zh: '已证明最优', en: 'proven optimal' },
  sitingBound: { zh: '任何同样多的选址至多达到 {share}', en: 'no choice of as many sites can pass {share}' },
  sitingOfResidents: { zh: '可达居民比例', en: 'Residents reaching it' },
  sitingOfCommunities: { zh: '达标社区比例', en: 'Communities meeting it' },
  sitingAtMost: { zh: '全部候选点都建也只有', en: 'every candidate built:' },
  sitingNone: { zh: '没有能新服务居民的候选点', en: 'No candidate serves anyone not yet served' },
  sitingGain: { zh: '新增 {residents} 位居民、{communities} 个社区 → {share}', en: '+{residents} residents, +{communities} communities → {share}' },
  sitingTried: { zh: '试建于 {at}', en: 'Tried at {at}' },
  sitingNoChange: { zh: '没有社区的指标发生变化', en: 'No community gains or loses an item' },
  problem_INVALID_JSON: { zh: 'JSON 无效', en: 'Invalid JSON' },
  problem_INVALID_PARAMETER: { zh: '参数无效', en: 'Invalid parameter' },
  problem_INVALID_GEOJSON: { zh: 'GeoJSON 无效', en: 'Invalid GeoJSON' },
  problem_INVALID_SHAPEFILE: { zh: 'Shapefile 无效', en: 'Invalid shapefile' },
  problem_INVALID_GEOMETRY: { zh: '几何无效', en: 'Invalid geometry' },
  problem_EMPTY_NETWORK: { zh: '路网中没有该出行方式可用的道路', en: 'Empty network' },
  problem_BAD_REQUEST: { zh: '请求无效', en: 'Bad request' },
  problem_UNAUTHORIZED: { zh: '需要有效的 API 密钥', en: 'Unauthorized' },
  problem_NOT_FOUND: { zh: '未找到', en: 'Not found' },
  problem_REQUEST_TIMEOUT: { zh: '请求超时', en: 'Request timeout' },
  problem_BODY_TOO_LARGE: { zh: '数据过大', en: 'Body too large' },
  problem_UNSUPPORTED_MEDIA_TYPE: { zh: '不支持的数据类型', en: 'Unsupported media type' },
  problem_LIMIT_EXCEEDED: { zh: '超出限制', en: 'Limit exceeded' },
  problem_NO_USABLE_INPUT: { zh: '没有可用的输入：没有社区能被评估', en: 'No usable input' },
  problem_RATE_LIMITED: { zh: '请求过于频繁，请稍后再试', en: 'Too many requests' },
  problem_INTERNAL: { zh: '服务器内部错误', en: 'Internal error' },
  problem_SERVER_BUSY: { zh: '服务器繁忙，请稍后再试', en: 'Server busy' },
  problem_NOT_READY: { zh: '服务器尚未就绪（默认路网加载中）', en: 'Not ready' },
  problem_TIMEOUT: { zh: '计算超时', en: 'Computation timed out' },
  problem_STORE_UNAVAILABLE: { zh: '数据库不可用', en: 'Store unavailable' },
  problem_DATASET_KIND: { zh: '数据集类型不符', en: 'Dataset kind' },
  problem_NETWORK: { zh: '服务器没有响应', en: 'The server did not answer' },
};

let language = localStorage.getItem('lifecircle.lang') === 'en' ? 'en' : 'zh';

export function t(key) {
  const entry = WORDS[key];
  return entry ? entry[language] : key;
}

/** `t(key)` with `{name}` placeholders filled from `params`. */
export function tf(key, params = {}) {
  return t(key).replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : String(params[name])));
}

/**
 * A server message in the page's language. Problems carry a `code` (src/edge/api/errors.ts), whose title
 * is translated; the server's own sentence (`detail`, and the per-feature messages of the coverage
 * answer, which have no code) is English: the sentences planners meet most are translated by their
 * shape below, and any other is shown as the server wrote it after the translated title.
 */
export function serverText(message, code) {
  const translated = translateSentence(message);
  if (language === 'en') return message;
  const title = code ? t(`problem_${code}`) : undefined;
  if (translated !== undefined) return title && code !== 'NO_USABLE_INPUT' ? `${title}：${translated}` : translated;
  return title ? `${title}（${message}）` : message;
}

/** The shapes of the server's sentences planners meet most, in Chinese; undefined: unknown. */
const SENTENCES = [
  [/^feature (\d+)(?: \(id (.+?)\))?: (.*)$/s, (m) => `要素 ${m[1]}${m[2] ? `（id ${m[2]}）` : ''}：${translateSentence(m[3]) ?? m[3]}`],
  [/^properties\.type: got (.+), expected "urban" or "rural"$/, (m) => `properties.type 为 ${m[1]}，应为 "urban"（城市）或 "rural"（农村）`],
  [/^properties\.type is missing: assessed as "urban" \(15-minute walk\); set "urban" or "rural"$/, () => '缺少 properties.type：按城市社区（15 分钟步行）评估；请填写 "urban" 或 "rural"'],
  [/^category: got (.+), expected a facility category id \(did you mean (.+)\?\)$/, (m) => `category 为 ${m[1]}，不是设施类别编号（是否应为 ${m[2]}？）`],
  [/^category: got (.+), expected a facility category id(.*)$/, (m) => `category 为 ${m[1]}，不是设施类别编号${m[2]}`],
  [/^no home of community (.+) is within (\d+) m of a road usable by (\w+)$/, (m) => `社区 ${m[1]} 没有住宅在 ${m[2]} 米内接入可供${t(`mode_${m[3]}`)}的道路`],
  [/^no road usable by (\w+) within (\d+) m$/, (m) => `${m[2]} 米内没有可供${t(`mode_${m[1]}`)}的道路`],
  [/^not assessed$/, () => '未评估'],
  [/^(\d+) of (\d+) communities have no population: population-weighted shares rest on the (\d+) people of the other (\d+)$/, (m) => `${m[2]} 个社区中有 ${m[1]} 个没有人口：按人口加权的比例只基于其余 ${m[4]} 个社区的 ${m[3]} 人`],
  [/^no community has a population: shares are of communities only, none is weighted by people$/, () => '没有社区提供人口：比例按社区个数计算，未按人口加权'],
  [/^no geometry$|has no geometry/, () => '没有几何'],
  [/^the server did not answer \((.*)\)$/, (m) => `服务器没有响应（${m[1]}）`],
];

function translateSentence(message) {
  if (language === 'en' || typeof message !== 'string') return message;
  for (const [pattern, render] of SENTENCES) {
    const m = pattern.exec(message);
    if (m) return render(m);
  }
  return undefined;
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
