/**
 * The map page: which everyday facilities each community reaches within its life-service circle.
 *
 * It opens on the server's default data (GET /v1/defaults…), assesses every community against the
 * chosen standard with POST /v1/coverage, and colours them by a share the legend names (by default
 * of the place items the data has facilities for; not assessed: grey, hatched). Clicking a
 * community — or finding it by name, or in the list — asks for its isochrones, the facilities it
 * reaches (travel times) and the route to the facility coverage counted for an item. Dropped
 * GeoJSON files, or stored datasets and runs, replace the defaults. Every error and warning of the
 * last analysis stays in the message list. Everything the page shows comes from the public API: it
 * is an ordinary client.
 *
 * `document.body.dataset.state` is `busy` while a request runs and `ready` otherwise, and
 * `window.lifecircle` exposes the map and the state: for the end-to-end test and the console.
 */
import { ApiProblem, getAs, getJson, postJson } from './api.js';
import { DEFAULT_BASIS, basisItem, basisLegend, basisOptions, communityShare } from './colour-basis.js';
import { OTHER_COLOUR, groupColours } from './colours.js';
import { CommunityFinder } from './community-finder.js';
import { CommunityPanel } from './community-panel.js';
import { communityOrigins } from './community-origins.js';
import { initCommunityView, routeTargets, selectCommunity, showRoute } from './community-view.js';
import { KINDS } from './data-files.js';
import { h } from './dom.js';
import { asEntry, readFiles } from './file-drop.js';
import { currentLanguage, nameOf, serverText, setLanguage, t, tf } from './i18n.js';
import { mapPng } from './map-export.js';
import { MapView } from './map-view.js';
import { MessageLog } from './messages.js';
import { communityName as nameOfCommunity, facilityLabel as labelOfFacility, facilityName as nameOfFacility, labelPoint } from './names.js';
import { downloadReport, reportName, saveBlob } from './report-downloads.js';
import { SitingPanel } from './siting-panel.js';
import { StoredData } from './stored-data.js';
import { renderLegend, renderSummary } from './summary-panel.js';

const $ = (id) => document.getElementById(id);
const communityName = (id) => nameOfCommunity(state, id);
const facilityName = (properties, at) => nameOfFacility(state, properties, at);
const facilityLabel = (id) => labelOfFacility(state, id);
const CRS_CHOICES = ['wgs84', 'gcj02', 'bd09', 'EPSG:4490', 'EPSG:3857', 'other'];

const state = {
  defaults: null,
  /** What is analysed: per kind, what to draw and what to send (undefined: the server's default). */
  data: null,
  standards: [],
  standardDocs: new Map(),
  /** Category id → { zh, en }: readable names for unnamed facilities. */
  categoryNames: new Map(),
  standardId: 'guangzhou-2020-urban-basic',
  mode: '',
  minutes: '',
  shareBasis: DEFAULT_BASIS,
  /** The coordinate system of dropped files that do not say theirs. */
  crs: 'wgs84',
  report: null,
  /** community id → { feature, report, index, reason }. */
  communities: new Map(),
  selectedId: null,
  routeItemId: null,
  /** A stored run shown as it was computed. */
  runId: null,
  busy: 0,
};

let view;
let panel;
let messages;
let finder;
let siting;
/** Where focus was before the panel opened: Escape gives it back. */
let focusBeforePanel = null;

main().catch((err) => showMessage(errorText(err)));

async function main() {
  setLanguage(currentLanguage());
  renderStaticText();
  messages = new MessageLog($('messages'));
  busy(+1);
  try {
    const [defaults, standards, categories] = await Promise.all([getJson('/v1/defaults'), getJson('/v1/standards'), getJson('/v1/categories').catch(() => ({ categories: [] }))]);
    state.defaults = defaults;
    state.standards = standards.standards;
    state.categoryNames = new Map(categories.categories.map((c) => [c.id, c]));
    if (!state.standards.some((s) => s.id === state.standardId)) state.standardId = state.standards[0]?.id;
    view = await MapView.create('map', { tiles: defaults.tiles, attribution: defaults.attribution });
    // While siting tries a site by hand, a click is where to try it, not a community to open.
    view.onCommunityClick((id) => siting?.trying || track(selectCommunity(id)));
    view.onHover(describeHover);
    panel = new CommunityPanel($('community'), { onClose: closePanel, onRouteItem: (itemId) => track(showRoute(itemId)) });
    initCommunityView({ view, panel, state, standardDoc, busy });
    finder = new CommunityFinder({ input: $('search'), results: $('search-results'), list: $('community-list') }, { onOpen: (id) => track(openCommunity(id)) });
    siting = new SitingPanel($('siting'), {
      view,
      body: sitingBody,
      standardDoc: () => standardDoc(state.standardId),
      communityOf: (id) => state.communities.get(id)?.feature,
      communityName,
      track,
      onError: recordFailure,
    });
    new StoredData($('stored'), { onAnalyse: analyseStored, onOpenRun: openRun, onError: showMessage });
    renderControls();
    bindFiles();
    bindKeys();
    window.lifecircle = { view, state, communityOrigins, messages, siting };
    await useDefaults();
  } finally {
    busy(-1);
  }
}

// ---- data sources --------------------------------------------------------------------------

async function useDefaults() {
  const d = state.defaults;
  const [network, facilities, communities] = await Promise.all([
    d.network ? fetchDefault('/v1/defaults/network') : null,
    d.facilities ? fetchDefault('/v1/defaults/facilities') : null,
    d.communities ? fetchDefault('/v1/defaults/communities') : null,
  ]);
  messages.clearPrefix('file:');
  await switchData({
    // No label: "server default", in the language of the moment.
    network: { draw: network, send: undefined },
    facilities: { points: facilities, send: undefined },
    communities: communities ? { draw: communities, send: communities } : null,
  });
  view.fitTo([communities ?? network]);
  if (!communities) showMessage(t('dropHint'), 'info');
}

/** The default network may still be loading right after start: wait for it rather than fail. */
async function fetchDefault(path) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await (await getAs(path, 'application/geo+json')).json();
    } catch (err) {
      if (!(err instanceof ApiProblem && err.code === 'NOT_READY') || attempt > 30) throw err;
      showMessage(`${t('loading')} ${err.text}`, 'info');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/** Replaces what is analysed, and analyses it; on failure the previous data stays, with the reason shown and listed. */
async function switchData(data, runId = null) {
  const previous = { data: state.data, runId: state.runId };
  state.data = data;
  state.runId = runId;
  try {
    if (!runId) await analyse();
    drawData();
    renderDataSlots();
    return true;
  } catch (err) {
    Object.assign(state, previous);
    recordFailure(err);
    return false;
  }
}

async function analyseStored(ids) {
  const defaults = state.data;
  const ok = await switchData({
    network: ids.network ? { label: ids.network, draw: null, send: ids.network } : defaults.network,
    facilities: ids.facilities ? { label: ids.facilities, points: null, send: ids.facilities } : defaults.facilities,
    communities: { label: ids.communities, draw: null, send: ids.communities },
  });
  if (ok) view.fitTo([state.data.communities.draw]);
}

async function openRun(run) {
  busy(+1);
  try {
    const [report, map] = await Promise.all([
      getJson(`/v1/runs/${encodeURIComponent(run.id)}`),
      getAs(`/v1/runs/${encodeURIComponent(run.id)}`, 'application/geo+json').then((r) => r.json()),
    ]);
    const params = run.params ?? {};
    const standardId = report.summary.standards[0]?.standardId;
    if (standardId && state.standards.some((s) => s.id === standardId)) state.standardId = standardId;
    state.mode = params.mode ?? '';
    state.minutes = params.minutes ?? '';
    state.report = report;
    const defaults = state.data;
    await switchData({
      network: params.network ? { label: params.network, draw: null, send: params.network } : defaults.network,
      facilities: params.facilities ? { label: params.facilities, points: null, send: params.facilities } : defaults.facilities,
      communities: { label: `${run.id}`, draw: map, send: params.communities },
    }, run.id);
    indexReport(report, map);
    recordReport(report);
    siting.reset();
    renderControls();
    await refreshView();
    view.fitTo([map]);
  } catch (err) {
    showMessage(errorText(err));
  } finally {
    busy(-1);
  }
}

// ---- analysis ------------------------------------------------------------------------------

/** The standards asked for: the chosen one and its counterpart for the other community type, so every community is coloured. */
function requestedStandards() {
  const chosen = state.standards.find((s) => s.id === state.standardId);
  const other = state.standards.find((s) => s.level === chosen.level && s.communityType !== chosen.communityType);
  return [chosen.id, ...(other ? [other.id] : [])];
}

function coverageBody() {
  const { data } = state;
  return {
    communities: data.communities.send,
    standards: requestedStandards(),
    ...(data.network.send !== undefined ? { network: data.network.send } : {}),
    ...(data.facilities.send !== undefined ? { facilities: data.facilities.send } : data.network.send !== undefined && data.facilities.points ? { facilities: defaultFacilitiesInline() } : {}),
    ...(state.mode ? { mode: state.mode } : {}),
    ...(state.minutes ? { minutes: Number(state.minutes) } : {}),
  };
}

/** What siting is asked on: the analysed data, the chosen standard (its item is the panel's), mode and minutes. */
function sitingBody() {
  const { standards: _standards, ...body } = coverageBody();
  return { ...body, standard: state.standardId };
}

/**
 * The server's default facilities sent with a dropped network: the server pairs its defaults with
 * its own network only, and a planner who drops roads alone still means the city's facilities.
 */
function defaultFacilitiesInline() {
  return { type: 'FeatureCollection', features: state.data.facilities.points.features.map((f) => ({ ...f, properties: { id: f.properties.id, name: f.properties.name, category: f.properties.categories } })) };
}

async function analyse() {
  if (!state.data?.communities) return;
  busy(+1);
  try {
    const body = coverageBody();
    const report = await (await postJson('/v1/coverage', body)).json();
    // Stored communities, or a file the page cannot draw in its system: their WGS84 geometries come with the map answer of the same request.
    const map = state.data.communities.draw ?? (await (await postJson('/v1/coverage', body, 'application/geo+json')).json());
    state.data.communities.draw = map;
    state.report = report;
    indexReport(report, map);
    recordReport(report);
    siting.reset();
    await refreshView();
  } finally {
    busy(-1);
  }
}

/** Pairs each map feature with its report, by the id the server gives it (`properties.id`, the feature id, or its index); the unreadable get their reason. */
function indexReport(report, collection) {
  const byId = new Map(report.communities.map((c) => [c.id, c]));
  const errorAt = new Map((report.errors?.communities ?? []).map((e) => [e.index, e.message]));
  state.communities = new Map();
  collection.features.forEach((feature, index) => {
    const raw = feature.properties?.id ?? feature.id;
    const id = raw === undefined || raw === null ? String(index) : String(raw);
    const entry = byId.get(id);
    const reason = errorAt.get(index) ?? entry?.error ?? feature.properties?.error;
    state.communities.set(id, { feature, report: entry, index, reason });
  });
}

/**
 * Every error and warning of the analysis into the message list, under the file (or input) each is
 * about, feature by feature; they stay until the next analysis. The toast says how many.
 */
function recordReport(report) {
  const label = (kind) => () => state.data?.[kind]?.label ?? `${t(kind)} · ${t('serverDefault')}`;
  const perFeature = (list, level) => (list ?? []).map((e) => ({ level, text: () => serverText(e.message) }));
  messages.set('analysis:communities', label('communities'), [...perFeature(report.errors?.communities, 'error'), ...perFeature(report.warnings?.communities, 'warn'), ...perFeature(report.errors?.homes, 'warn')]);
  messages.set('analysis:facilities', label('facilities'), [
    ...perFeature(report.errors?.facilities, 'error'),
    ...(report.facilities?.unplaced ?? []).map((u) => ({ level: 'warn', text: () => `${facilityLabel(u.id)}: ${serverText(u.error)}` })),
    ...(report.unmappedFacilities?.count ? [{ level: 'warn', text: () => tf('unmappedFacilities', { count: report.unmappedFacilities.count }) }] : []),
  ]);
  const notAssessed = report.summary?.standards.flatMap((s) => s.notAssessed) ?? [];
  messages.set('analysis', () => t('analysisSource'), [
    ...notAssessed.map((c) => ({ level: 'warn', text: () => `${c.name ?? communityName(c.id)}: ${t('notAssessed')} — ${serverText(c.reason)}` })),
    ...(report.errors?.declarations ?? []).map((e) => ({ level: 'warn', text: () => serverText(e.message) })),
    ...(report.summary?.warnings ?? []).map((w) => ({ level: 'info', text: () => serverText(w) })),
  ]);
  const { errors } = messages.counts();
  if (errors) {
    messages.reveal();
    const first = report.errors?.communities?.[0] ?? report.errors?.facilities?.[0];
    showMessage(`${errors} ${t('errorsCount')}${first ? ` — ${serverText(first.message)}` : ''}`, 'warn', true);
  }
  // Warnings are counted on the list's summary, not toasted: the defaults alone have dozens.
}

/** A failed analysis: the problem, and for NO_USABLE_INPUT the reason of every feature, listed. */
function recordFailure(err) {
  messages.set('analysis', () => t('analysisSource'), [{ level: 'error', text: () => errorText(err) }]);
  if (err instanceof ApiProblem && err.errors.length) {
    const byWhat = new Map();
    for (const e of err.errors) byWhat.set(e.what, [...(byWhat.get(e.what) ?? []), e]);
    for (const [what, list] of byWhat) {
      messages.set(`analysis:${what}`, () => `${t(what)}`, list.map((e) => ({ level: 'error', text: () => serverText(e.message) })));
    }
    messages.reveal();
  }
  showMessage(errorText(err), 'error', true);
}

async function standardDoc(id) {
  if (!state.standardDocs.has(id)) state.standardDocs.set(id, await getJson(`/v1/standards/${encodeURIComponent(id)}`));
  return state.standardDocs.get(id);
}

/** Redraws what depends on the report, the standard, the colour basis or the language. */
async function refreshView() {
  const standard = await standardDoc(state.standardId);
  if (!basisOptions(standard).some((o) => o.value === state.shareBasis)) state.shareBasis = DEFAULT_BASIS;
  const colours = groupColours(standard.groups);
  const groupOfCategory = new Map();
  for (const item of standard.items) for (const c of item.categories ?? []) if (!groupOfCategory.has(c)) groupOfCategory.set(c, item.group);
  state.groupOf = (categories) => categories.map((c) => groupOfCategory.get(c)).find(Boolean);
  state.groupColours = colours;
  state.groupNames = new Map(standard.groups.map((g) => [g.id, g]));

  const features = [];
  const labels = [];
  const entries = [];
  for (const [id, { feature, report, reason }] of state.communities) {
    const result = report?.standards[0];
    const { share, reason: why } = communityShare(result, state.shareBasis);
    const name = communityName(id);
    features.push({ type: 'Feature', geometry: feature.geometry, properties: { id, share, name } });
    const at = labelPoint(feature);
    if (at) labels.push({ type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { id, name } });
    entries.push({ id, name, share, reason: reason ?? why });
  }
  view.setData('communities', { type: 'FeatureCollection', features });
  view.setData('labels', { type: 'FeatureCollection', features: labels });
  finder.setEntries(entries);
  const points = state.data.facilities.points;
  const colour = (f) => colours.get(state.groupOf(f.properties.categories ?? [])) ?? OTHER_COLOUR;
  view.setData('facilities', points ? { type: 'FeatureCollection', features: points.features.map((f) => ({ ...f, properties: { ...f.properties, colour: colour(f) } })) } : null);
  // One item across the city: its facilities on top.
  const itemId = basisItem(state.shareBasis);
  view.setData('focus', points && itemId ? { type: 'FeatureCollection', features: routeTargets(state, standard, itemId).map((f) => ({ ...f, properties: { ...f.properties, colour: colour(f) } })) } : null);
  renderSummary($('summary'), { summary: state.report?.summary, standard, names: communityName });
  renderLegend($('legend'), { groups: standard.groups, colours, basisText: basisLegend(state.shareBasis, standard) });
  renderControls();
  await siting.render();
  if (state.selectedId) await selectCommunity(state.selectedId);
}

function describeHover(layer, properties) {
  if (layer.startsWith('community')) {
    const entry = state.communities.get(String(properties.id));
    const share = typeof properties.share === 'number' ? ` · ${Math.round(properties.share * 100)}%` : ` · ${t('notAssessed')}`;
    return `${communityName(String(properties.id))}${entry ? share : ''}`;
  }
  if (layer === 'roads') return properties.name;
  return facilityName(properties);
}

// ---- one community -------------------------------------------------------------------------

/** From the search box or the list: the community, centred and open, with focus on its panel. */
async function openCommunity(id) {
  const entry = state.communities.get(id);
  if (!entry) return;
  focusBeforePanel = document.activeElement;
  const at = labelPoint(entry.feature);
  if (at) view.flyTo(at, 15);
  await selectCommunity(id);
  $('community').querySelector('[data-testid="community-name"]')?.focus();
}

function closePanel() {
  track(selectCommunity(null));
  if (focusBeforePanel?.isConnected) focusBeforePanel.focus();
  focusBeforePanel = null;
}

// ---- files ---------------------------------------------------------------------------------

function bindFiles() {
  const overlay = $('drop-overlay');
  let depth = 0;
  document.addEventListener('dragenter', (e) => {
    e.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  document.addEventListener('dragleave', () => {
    if (--depth <= 0) overlay.hidden = true;
  });
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const slot = e.target.closest?.('[data-slot]')?.dataset.slot;
    track(useFiles([...e.dataTransfer.files], slot));
  });
  $('file-input').addEventListener('change', (e) => {
    track(useFiles([...e.target.files]));
    e.target.value = '';
  });
  $('use-defaults').addEventListener('click', () => track(useDefaults()));
}

/** Reads dropped files; those that are usable replace their kind, the others are refused and listed. */
async function useFiles(files, forcedKind) {
  if (files.length === 0) return;
  messages.clearPrefix('file:');
  const log = (name, entries) => messages.set(`file:${name}`, () => name, entries);
  const { usable, problems } = await readFiles(files, { kind: forcedKind, crs: state.crs, log, onFixed: (fixed) => track(useChecked([fixed])) });
  if (problems.length) {
    messages.reveal();
    showMessage(problems.map((p) => p.text ?? p.message).join('\n'), 'error', true);
  }
  if (usable.length) await useEntries(usable, problems.length > 0);
}

/** A corrected file (coordinates swapped), checked again. */
async function useChecked(checked) {
  const log = (name, entries) => messages.set(`file:${name}`, () => name, entries);
  const usable = [];
  for (const c of checked) usable.push(await asEntry(c, log));
  await useEntries(usable, false);
}

async function useEntries(usable, keepMessage) {
  const data = { ...state.data };
  for (const { kind, entry } of usable) data[kind] = entry;
  if (!data.communities) {
    state.data = data;
    drawData();
    renderDataSlots();
    zoomToNew(usable);
    return showMessage(t('dropHint'), 'info');
  }
  state.selectedId = null;
  panel.hide();
  view.clearSelection();
  if (!keepMessage) hideMessage();
  if (await switchData(data)) zoomToNew(usable);
}

/** The view moves to what was just dropped: its communities, else its network or facilities. */
function zoomToNew(usable) {
  const drawn = (kind) => {
    const e = usable.find((u) => u.kind === kind)?.entry;
    return kind === 'communities' ? state.data.communities?.draw : kind === 'facilities' ? e?.points : e?.draw;
  };
  const first = usable.some((u) => u.kind === 'communities') ? drawn('communities') : drawn('network') ?? drawn('facilities');
  if (first) view.fitTo([first]);
}

function drawData() {
  view.setData('network', state.data.network.draw);
  if (!state.data.communities) view.setData('communities', null);
}

// ---- controls ------------------------------------------------------------------------------

function renderStaticText() {
  document.title = `lifecircle — ${t('title')}`;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const button of document.querySelectorAll('[data-lang]')) button.setAttribute('aria-pressed', String(button.dataset.lang === currentLanguage()));
  $('search').placeholder = t('search');
  $('search').setAttribute('aria-label', t('search'));
  renderCrs();
}

function renderCrs() {
  const select = $('crs');
  const custom = !CRS_CHOICES.includes(state.crs);
  select.replaceChildren(...CRS_CHOICES.map((c) => h('option', { value: c, selected: c === state.crs || (c === 'other' && custom) }, c === 'other' && custom ? state.crs : t(`crs_${c === 'other' ? 'other' : c.replace('EPSG:', '')}`))));
  select.onchange = () => {
    if (select.value !== 'other') return void (state.crs = select.value);
    const code = window.prompt(t('crsPrompt'), 'EPSG:4547');
    const epsg = code && /^(EPSG:)?\d{4,5}$/i.test(code.trim()) ? `EPSG:${code.trim().replace(/^EPSG:/i, '')}` : undefined;
    if (epsg) state.crs = epsg;
    renderCrs();
  };
}

function renderControls() {
  const standard = state.standardDocs.get(state.standardId);
  const standardSelect = h('select', { id: 'standard', 'data-testid': 'standard', onchange: (e) => changeSettings({ standardId: e.target.value }) },
    state.standards.map((s) => h('option', { value: s.id, selected: s.id === state.standardId }, nameOf(s.name))));
  const modeSelect = h('select', { id: 'mode', 'data-testid': 'mode', onchange: (e) => changeSettings({ mode: e.target.value }) },
    h('option', { value: '' }, t('standardsOwn')),
    ['walk', 'bike', 'ebike', 'car'].map((m) => h('option', { value: m, selected: m === state.mode }, t(`mode_${m}`))));
  const minutesInput = h('input', { id: 'minutes', 'data-testid': 'minutes', type: 'number', min: 1, max: 180, step: 1, placeholder: t('standardsOwn'), value: state.minutes, onchange: (e) => changeSettings({ minutes: e.target.value }) });
  const options = standard ? basisOptions(standard) : [{ value: DEFAULT_BASIS, label: t('placeItemsWithData') }];
  const basis = h('select', { id: 'share-basis', 'data-testid': 'share-basis', onchange: (e) => changeSettings({ shareBasis: e.target.value }, false) },
    options.map((o) => h('option', { value: o.value, selected: o.value === state.shareBasis }, o.label)));
  $('controls').replaceChildren(
    h('label', {}, t('standard'), standardSelect),
    h('div', { class: 'row' }, h('label', {}, t('mode'), modeSelect), h('label', {}, t('minutes'), minutesInput)),
    h('label', {}, t('colourBy'), basis),
  );
  $('downloads').replaceChildren(
    h('span', {}, `${t('download')}: `),
    h('button', { type: 'button', 'data-testid': 'download-csv', onclick: () => download('csv') }, 'CSV'),
    h('button', { type: 'button', 'data-testid': 'download-geojson', onclick: () => download('geojson') }, 'GeoJSON'),
    h('button', { type: 'button', 'data-testid': 'download-png', onclick: () => track(downloadPng()) }, t('png')),
    h('button', { type: 'button', 'data-testid': 'print', onclick: printReport }, t('print')),
  );
  renderDataSlots();
}

function renderDataSlots() {
  const data = state.data;
  $('slots').replaceChildren(
    ...KINDS.map((kind) => {
      const entry = data?.[kind];
      const label = entry ? (entry.label ?? t('serverDefault')) : t('none');
      return h('li', { 'data-slot': kind, title: t('dropHint') }, h('strong', {}, t(kind)), ` ${label}`);
    }),
  );
}

async function changeSettings(changes, reanalyse = true) {
  const before = { standardId: state.standardId, mode: state.mode, minutes: state.minutes, shareBasis: state.shareBasis };
  Object.assign(state, changes);
  busy(+1);
  try {
    if (reanalyse) {
      state.runId = null;
      await analyse();
    } else await refreshView();
  } catch (err) {
    Object.assign(state, before);
    renderControls();
    recordFailure(err);
  } finally {
    busy(-1);
  }
}

/** `<data>_<standard>_<mode>_<minutes>min_<date>`: what every downloaded file is named. */
function fileBaseName() {
  const standard = state.standardDocs.get(state.standardId);
  const data = state.data?.communities?.label ?? (state.runId ? `run-${state.runId}` : 'default');
  return reportName({ data, standardId: state.standardId, mode: state.mode || standard?.mode || 'walk', minutes: state.minutes || standard?.minutes || 15 });
}

async function download(format) {
  try {
    await downloadReport(state.runId && !state.mode && !state.minutes ? { runId: state.runId } : { body: coverageBody() }, format, fileBaseName());
  } catch (err) {
    showMessage(errorText(err));
  }
}

async function downloadPng() {
  const standard = await standardDoc(state.standardId);
  const s = state.report?.summary.standards.find((x) => x.standardId === standard.id);
  const blob = await mapPng(view, {
    title: `${nameOf(standard.name)} · ${t(`mode_${state.mode || standard.mode}`)} ${state.minutes || standard.minutes} ${t('min')}`,
    subtitle: `${state.data.communities?.label ?? t('serverDefault')} · ${s ? `${Math.round(s.share * 1000) / 10}% ${t('meeting')} (${s.passing} / ${s.communities})` : ''} · ${new Date().toISOString().slice(0, 10)}`,
    basisText: basisLegend(state.shareBasis, standard),
    groups: standard.groups,
    colours: state.groupColours,
    credit: state.defaults.attribution.join(' · '),
  });
  saveBlob(blob, `${fileBaseName()}.png`);
}

/** The browser's print dialog on the print layout (style.css @media print): map, legend, summary, the open community. */
function printReport() {
  const standard = state.standardDocs.get(state.standardId);
  $('print-head').textContent = `lifecircle · ${nameOf(standard?.name)} · ${t(`mode_${state.mode || standard?.mode}`)} ${state.minutes || standard?.minutes} ${t('min')} · ${state.data.communities?.label ?? t('serverDefault')} · ${new Date().toISOString().slice(0, 10)}`;
  window.print();
}

window.addEventListener('beforeprint', () => view?.map.resize());
window.addEventListener('afterprint', () => view?.map.resize());

for (const button of document.querySelectorAll('[data-lang]')) {
  button.addEventListener('click', () => {
    setLanguage(button.dataset.lang);
    renderStaticText();
    messages.render();
    if (!view) return;
    renderControls();
    track(refreshView());
  });
}

function bindKeys() {
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    if (!$('search-results').hidden) {
      $('search-results').hidden = true;
      return;
    }
    if (state.selectedId !== null) closePanel();
  });
}

// ---- status --------------------------------------------------------------------------------

function errorText(err) {
  return err?.text ?? err?.message ?? String(err);
}

/** A toast for the latest event; `listed`: it is in the message list too, which a button opens. */
function showMessage(text, kind = 'error', listed = false) {
  const box = $('message');
  box.hidden = false;
  box.className = `message ${kind}`;
  box.querySelector('.text').textContent = text;
  box.querySelector('.show-all').hidden = !listed;
}

function hideMessage() {
  $('message').hidden = true;
}

$('message').querySelector('.dismiss').addEventListener('click', hideMessage);
$('message').querySelector('.show-all').addEventListener('click', () => {
  messages.reveal();
  $('messages').scrollIntoView({ block: 'nearest' });
  $('messages').querySelector('summary')?.focus();
});

/** Marks the page busy from now until `work` settles (a click's answers arrive later). */
function track(work) {
  busy(+1);
  work.catch((err) => showMessage(errorText(err))).finally(() => busy(-1));
}

function busy(delta) {
  state.busy += delta;
  document.body.dataset.state = state.busy > 0 ? 'busy' : 'ready';
}

