/**
 * The map page: which everyday facilities each community reaches within its life-service circle.
 *
 * It opens on the server's default data (GET /v1/defaults…), assesses every community against the
 * chosen standard with POST /v1/coverage, and colours them by their share of items met. Clicking a
 * community asks for its isochrones, the facilities it reaches (travel times) and the route to the
 * nearest facility of an item. Dropped GeoJSON files, or stored datasets and runs, replace the
 * defaults. Everything the page shows comes from the public API: it is an ordinary client.
 *
 * `document.body.dataset.state` is `busy` while a request runs and `ready` otherwise, and
 * `window.lifecircle` exposes the map and the state: for the end-to-end test and the console.
 */
import { ApiProblem, getAs, getJson, postJson } from './api.js';
import { OTHER_COLOUR, RING_COLOURS, groupColours } from './colours.js';
import { CommunityPanel } from './community-panel.js';
import { communityOrigins, representativePoint } from './community-origins.js';
import { KINDS, categoriesOf, readDroppedFile } from './data-files.js';
import { h } from './dom.js';
import { currentLanguage, nameOf, setLanguage, t } from './i18n.js';
import { MapView } from './map-view.js';
import { downloadReport } from './report-downloads.js';
import { StoredData } from './stored-data.js';
import { renderLegend, renderSummary } from './summary-panel.js';

const $ = (id) => document.getElementById(id);

const state = {
  defaults: null,
  /** What is analysed: per kind, what to draw and what to send (undefined: the server's default). */
  data: null,
  standards: [],
  standardDocs: new Map(),
  standardId: 'guangzhou-2020-urban-basic',
  mode: '',
  minutes: '',
  shareBasis: 'all',
  report: null,
  /** community id → { feature, report }. */
  communities: new Map(),
  selectedId: null,
  routeItemId: null,
  /** A stored run shown as it was computed. */
  runId: null,
  busy: 0,
};

let view;
let panel;

main().catch((err) => showMessage(err.message));

async function main() {
  setLanguage(currentLanguage());
  renderStaticText();
  busy(+1);
  try {
    const [defaults, standards] = await Promise.all([getJson('/v1/defaults'), getJson('/v1/standards')]);
    state.defaults = defaults;
    state.standards = standards.standards;
    if (!state.standards.some((s) => s.id === state.standardId)) state.standardId = state.standards[0]?.id;
    view = await MapView.create('map', { tiles: defaults.tiles, attribution: defaults.attribution });
    view.onCommunityClick((id) => track(selectCommunity(id)));
    panel = new CommunityPanel($('community'), { onClose: () => selectCommunity(null), onRouteItem: (itemId) => track(showRoute(itemId)) });
    new StoredData($('stored'), { onAnalyse: analyseStored, onOpenRun: openRun, onError: showMessage });
    renderControls();
    bindFiles();
    window.lifecircle = { view, state, communityOrigins };
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
      showMessage(`${t('loading')} ${err.message}`, 'info');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/** Replaces what is analysed, and analyses it; on failure the previous data stays, with the reason shown. */
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
    showMessage(err.message);
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
    renderControls();
    await refreshView();
    view.fitTo([map]);
  } catch (err) {
    showMessage(err.message);
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
    ...(data.facilities.send !== undefined ? { facilities: data.facilities.send } : {}),
    ...(state.mode ? { mode: state.mode } : {}),
    ...(state.minutes ? { minutes: Number(state.minutes) } : {}),
  };
}

async function analyse() {
  if (!state.data?.communities) return;
  busy(+1);
  try {
    const body = coverageBody();
    const report = await (await postJson('/v1/coverage', body)).json();
    // Stored communities: their geometries come with the map answer of the same request.
    const map = state.data.communities.draw ?? (await (await postJson('/v1/coverage', body, 'application/geo+json')).json());
    state.data.communities.draw = map;
    state.report = report;
    indexReport(report, map);
    reportInputErrors(report);
    await refreshView();
  } finally {
    busy(-1);
  }
}

/** Pairs each map feature with its report, by the id the server gives it (`properties.id`, the feature id, or its index). */
function indexReport(report, collection) {
  const byId = new Map(report.communities.map((c) => [c.id, c]));
  state.communities = new Map();
  collection.features.forEach((feature, index) => {
    const raw = feature.properties?.id ?? feature.id;
    const id = raw === undefined || raw === null ? String(index) : String(raw);
    state.communities.set(id, { feature, report: byId.get(id) });
  });
}

function reportInputErrors(report) {
  const errors = [...(report.errors?.communities ?? []), ...(report.errors?.facilities ?? [])];
  const warnings = report.warnings?.communities ?? [];
  if (errors.length) showMessage(`${errors.length} ✗ — ${errors[0].message}`, 'warn');
  else if (warnings.length) showMessage(`${warnings.length} ⚠ — ${warnings[0].message}`, 'info');
}

async function standardDoc(id) {
  if (!state.standardDocs.has(id)) state.standardDocs.set(id, await getJson(`/v1/standards/${encodeURIComponent(id)}`));
  return state.standardDocs.get(id);
}

/** Redraws what depends on the report, the standard or the language. */
async function refreshView() {
  const standard = await standardDoc(state.standardId);
  const colours = groupColours(standard.groups);
  const groupOfCategory = new Map();
  for (const item of standard.items) for (const c of item.categories ?? []) if (!groupOfCategory.has(c)) groupOfCategory.set(c, item.group);
  state.groupOf = (categories) => categories.map((c) => groupOfCategory.get(c)).find(Boolean);
  state.groupColours = colours;
  state.groupNames = new Map(standard.groups.map((g) => [g.id, g]));

  const features = [];
  for (const [id, { feature, report }] of state.communities) {
    const result = report?.standards[0];
    features.push({ type: 'Feature', geometry: feature.geometry, properties: { id, share: result ? shareOf(result) : null } });
  }
  view.setData('communities', { type: 'FeatureCollection', features });
  const points = state.data.facilities.points;
  if (points) {
    view.setData('facilities', {
      type: 'FeatureCollection',
      features: points.features.map((f) => ({ ...f, properties: { ...f.properties, colour: colours.get(state.groupOf(f.properties.categories ?? [])) ?? OTHER_COLOUR } })),
    });
  } else view.setData('facilities', null);
  renderSummary($('summary'), { summary: state.report?.summary, standard, shareBasis: state.shareBasis });
  renderLegend($('legend'), { groups: standard.groups, colours });
  if (state.selectedId) await selectCommunity(state.selectedId);
}

/** Share of items met, or of place items only (what the map can show: programmes are declared, not built). */
function shareOf(result) {
  if (state.shareBasis !== 'places') return result.share;
  const places = result.items.filter((i) => i.kind === 'place');
  return places.length ? places.filter((i) => i.status === 'met').length / places.length : 0;
}

// ---- one community -------------------------------------------------------------------------

async function selectCommunity(id) {
  state.selectedId = id;
  view.clearSelection();
  const entry = id === null ? undefined : state.communities.get(id);
  if (!entry) {
    panel.hide();
    return;
  }
  busy(+1);
  try {
    await showCommunity(id, entry);
  } finally {
    busy(-1);
  }
}

async function showCommunity(id, { feature, report }) {
  const result = report?.standards[0];
  const standard = await standardDoc(result?.standardId ?? state.standardId);
  const placeItems = (result?.items ?? []).filter((i) => i.kind === 'place');
  // The route shown first: to the first missing place item the data has facilities for (how far is
  // what is lacking?), else to the first item met.
  if (!placeItems.some((i) => i.itemId === state.routeItemId)) {
    const routable = placeItems.filter((i) => routeTargets(standard, i.itemId).length > 0);
    state.routeItemId = (routable.find((i) => i.status === 'unmet') ?? routable[0] ?? placeItems[0])?.itemId ?? null;
  }
  panel.show({
    community: { id, name: report?.name ?? feature.properties?.name, type: report?.type ?? feature.properties?.type },
    result: result && { ...result, error: report.error },
    homes: report?.homes,
    // The rural circle's mode and speed are ours, not the policy's: said where the village is shown.
    assumption: state.report?.standards?.find((s) => s.id === result?.standardId)?.travelAssumption,
    routeItemId: state.routeItemId,
    routeItems: placeItems,
  });
  view.setData('selected', { type: 'FeatureCollection', features: [outline(feature)] });
  const origins = communityOrigins(feature);
  state.origins = {
    type: 'FeatureCollection',
    features: origins.map((p, i) => ({ type: 'Feature', properties: { id: origins.length > 1 ? `${id}#${i + 1}` : id }, geometry: { type: 'Point', coordinates: p } })),
  };
  view.setData('origins', state.origins);
  state.travel = {
    mode: state.mode || result?.mode || standard.mode,
    minutes: Number(state.minutes) || result?.minutes || standard.minutes,
  };
  if (origins.length === 0) {
    panel.setError('isochrones', `${id}: no origin`);
    return;
  }
  await Promise.all([showIsochrones(), showReachable(result), showRoute(state.routeItemId)]);
}

function networkField() {
  const send = state.data.network.send;
  return send !== undefined ? { network: send } : {};
}

/** Rings every 5 minutes up to the circle (every 10 beyond an hour: at most 12 budgets). */
function ringMinutes(minutes) {
  const step = minutes > 60 ? 10 : 5;
  const rings = [];
  for (let m = step; m < minutes; m += step) rings.push(m);
  rings.push(minutes);
  return rings.slice(-12);
}

async function showIsochrones() {
  const { mode, minutes } = state.travel;
  try {
    const answer = await (await postJson('/v1/isochrones', { origins: state.origins, minutes: ringMinutes(minutes), mode, ...networkField() })).json();
    const rings = answer.features.filter((f) => f.properties.kind === 'isochrone');
    view.setData('isochrones', { type: 'FeatureCollection', features: rings });
    const byMinutes = new Map();
    rings.forEach((f) => byMinutes.set(f.properties.minutes, Math.max(byMinutes.get(f.properties.minutes) ?? 0, f.properties.areaM2)));
    const sorted = [...byMinutes].sort(([a], [b]) => a - b);
    panel.setIsochrones(sorted.map(([m, areaM2], i) => ({ minutes: m, areaM2, colour: RING_COLOURS[Math.round((i / Math.max(1, sorted.length - 1)) * (RING_COLOURS.length - 1))] })));
    if (answer.errors.length) panel.setError('isochrones', answer.errors[0].error);
  } catch (err) {
    panel.setError('isochrones', err.message);
  }
}

async function showReachable(result) {
  const { mode, minutes } = state.travel;
  const points = state.data.facilities.points;
  const describe = (f, minutesTo) => {
    const group = state.groupOf(f.properties.categories ?? []);
    return { id: f.properties.id, name: f.properties.name, minutes: minutesTo, groupName: group ? nameOf(state.groupNames.get(group)) : undefined, colour: state.groupColours.get(group) };
  };
  if (!points) {
    // A stored facility set: its points are not fetched, but the report names the nearest facility of each item.
    const nearest = (result?.items ?? []).filter((i) => i.nearest).map((i) => ({ id: i.nearest.facilityId, name: i.nearest.name, minutes: i.nearest.minutes, groupName: nameOf(state.groupNames.get(i.group)), colour: state.groupColours.get(i.group) }));
    panel.setReachable(nearest);
    return;
  }
  try {
    const answer = await (await postJson('/v1/travel-times', { origins: state.origins, targets: points, maxMinutes: minutes, mode, ...networkField() })).json();
    const best = new Map();
    for (const origin of answer.origins) for (const r of origin.reachable) if (!(best.get(r.targetId) <= r.minutes)) best.set(r.targetId, r.minutes);
    const byId = new Map(points.features.map((f) => [String(f.properties.id), f]));
    const reachable = [...best].map(([fid, m]) => ({ feature: byId.get(fid), minutes: m })).filter((r) => r.feature).sort((a, b) => a.minutes - b.minutes);
    view.setData('reachable', {
      type: 'FeatureCollection',
      features: reachable.map(({ feature, minutes: m }) => ({ ...feature, properties: { ...feature.properties, minutes: m, colour: state.groupColours.get(state.groupOf(feature.properties.categories ?? [])) ?? OTHER_COLOUR } })),
    });
    panel.setReachable(reachable.map(({ feature, minutes: m }) => describe(feature, m)));
  } catch (err) {
    panel.setError('reachable', err.message);
  }
}

async function showRoute(itemId) {
  state.routeItemId = itemId;
  view.setData('route', null);
  if (!itemId) return panel.setRoute(t('noRoute'), false);
  const { mode, minutes } = state.travel;
  const standard = await standardDoc(state.communities.get(state.selectedId)?.report?.standards[0]?.standardId ?? state.standardId);
  const item = standard.items.find((i) => i.id === itemId);
  const points = state.data.facilities.points;
  if (!points) return panel.setRoute(`${nameOf(item)}: ${t('noRoute')} (${t('facilities')}: ${state.data.facilities.label ?? t('serverDefault')})`, false);
  const targets = routeTargets(standard, itemId);
  if (targets.length === 0) return panel.setRoute(`${nameOf(item)}: ${t('noRoute')}`, false);
  try {
    // Beyond the circle too: for a missing item, how far the nearest one really is.
    const answer = await (await postJson('/v1/route', { origins: state.origins, targets: { type: 'FeatureCollection', features: targets }, maxMinutes: Math.min(180, Math.max(60, minutes * 3)), mode, ...networkField() })).json();
    if (itemId !== state.routeItemId) return;
    if (!answer.route) return panel.setRoute(`${nameOf(item)}: ${answer.reason}`, false);
    view.setData('route', answer);
    const target = targets.find((f) => String(f.properties.id) === answer.route.targetId);
    panel.setRoute(`${target?.properties.name ?? answer.route.targetId}: ${answer.route.minutes.toFixed(1)} ${t('min')}, ${Math.round(answer.route.meters)} m`, true);
  } catch (err) {
    panel.setError('route', err.message);
  }
}

/** The facilities that satisfy an item: those of one of its categories. */
function routeTargets(standard, itemId) {
  const categories = new Set(standard.items.find((i) => i.id === itemId)?.categories ?? []);
  const points = state.data.facilities.points;
  return points ? points.features.filter((f) => (f.properties.categories ?? []).some((c) => categories.has(c))) : [];
}

function outline(feature) {
  const g = feature.geometry;
  if (g.type === 'Polygon' || g.type === 'MultiPolygon') return { type: 'Feature', properties: {}, geometry: g };
  // A point community: a small ring around it, so the selection shows.
  const [lon, lat] = g.type === 'Point' ? g.coordinates : g.coordinates[0];
  const r = 0.0006;
  const ring = Array.from({ length: 25 }, (_, i) => [lon + r * Math.cos((i / 24) * 2 * Math.PI) / Math.cos((lat * Math.PI) / 180), lat + r * Math.sin((i / 24) * 2 * Math.PI)]);
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } };
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
    useFiles([...e.dataTransfer.files], slot);
  });
  $('file-input').addEventListener('change', (e) => {
    useFiles([...e.target.files]);
    e.target.value = '';
  });
  $('use-defaults').addEventListener('click', () => useDefaults().catch((err) => showMessage(err.message)));
}

/** Reads dropped files; those that are usable replace their kind, the others are reported. */
async function useFiles(files, forcedKind) {
  if (files.length === 0) return;
  const read = await Promise.allSettled(files.map((f) => readDroppedFile(f, forcedKind)));
  const problems = read.filter((r) => r.status === 'rejected').map((r) => r.reason.message);
  const usable = read.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  if (problems.length) showMessage(problems.join('\n'));
  if (usable.length === 0) return;
  const data = { ...state.data };
  for (const file of usable) {
    if (file.kind === 'network') data.network = { label: file.name, draw: file.collection, send: file.collection };
    if (file.kind === 'communities') data.communities = { label: file.name, draw: file.collection, send: file.collection };
    if (file.kind === 'facilities') data.facilities = { label: file.name, points: facilityPoints(file.collection), send: file.collection };
  }
  if (!data.communities) {
    state.data = data;
    drawData();
    renderDataSlots();
    return showMessage(t('dropHint'), 'info');
  }
  state.selectedId = null;
  panel.hide();
  view.clearSelection();
  if (await switchData(data)) {
    if (!problems.length) hideMessage();
    view.fitTo([data.communities.draw]);
  }
}

/** Facilities as the points the page draws and measures to, with their ids as the server reads them. */
function facilityPoints(collection) {
  const features = [];
  collection.features.forEach((f, index) => {
    const point = representativePoint(f?.geometry);
    if (!point) return;
    const raw = f.properties?.id ?? f.id;
    const id = raw === undefined || raw === null ? String(index) : String(raw);
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: { id, name: f.properties?.name, categories: categoriesOf(f.properties) } });
  });
  return { type: 'FeatureCollection', features };
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
}

function renderControls() {
  const standardSelect = h('select', { id: 'standard', 'data-testid': 'standard', onchange: (e) => changeSettings({ standardId: e.target.value }) },
    state.standards.map((s) => h('option', { value: s.id, selected: s.id === state.standardId }, nameOf(s.name))));
  const modeSelect = h('select', { id: 'mode', 'data-testid': 'mode', onchange: (e) => changeSettings({ mode: e.target.value }) },
    h('option', { value: '' }, t('standardsOwn')),
    ['walk', 'bike', 'ebike', 'car'].map((m) => h('option', { value: m, selected: m === state.mode }, m)));
  const minutesInput = h('input', { id: 'minutes', 'data-testid': 'minutes', type: 'number', min: 1, max: 180, step: 1, placeholder: t('standardsOwn'), value: state.minutes, onchange: (e) => changeSettings({ minutes: e.target.value }) });
  const basis = h('select', { id: 'share-basis', onchange: (e) => changeSettings({ shareBasis: e.target.value }, false) },
    h('option', { value: 'all', selected: state.shareBasis === 'all' }, t('allItems')),
    h('option', { value: 'places', selected: state.shareBasis === 'places' }, t('placeItems')));
  $('controls').replaceChildren(
    h('label', {}, t('standard'), standardSelect),
    h('div', { class: 'row' }, h('label', {}, t('mode'), modeSelect), h('label', {}, t('minutes'), minutesInput)),
    h('label', {}, t('colourBy'), basis),
  );
  $('downloads').replaceChildren(
    h('span', {}, `${t('download')}: `),
    h('button', { 'data-testid': 'download-csv', onclick: () => download('csv') }, 'CSV'),
    h('button', { 'data-testid': 'download-geojson', onclick: () => download('geojson') }, 'GeoJSON'),
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
  try {
    if (reanalyse) {
      state.runId = null;
      await analyse();
    } else await refreshView();
  } catch (err) {
    Object.assign(state, before);
    renderControls();
    showMessage(err.message);
  }
}

async function download(format) {
  try {
    await downloadReport(state.runId && !state.mode && !state.minutes ? { runId: state.runId } : { body: coverageBody() }, format);
  } catch (err) {
    showMessage(err.message);
  }
}

for (const button of document.querySelectorAll('[data-lang]')) {
  button.addEventListener('click', () => {
    setLanguage(button.dataset.lang);
    renderStaticText();
    if (!view) return;
    renderControls();
    track(refreshView());
  });
}

// ---- status --------------------------------------------------------------------------------

function showMessage(text, kind = 'error') {
  const box = $('message');
  box.hidden = false;
  box.className = `message ${kind}`;
  box.querySelector('.text').textContent = text;
}

function hideMessage() {
  $('message').hidden = true;
}

$('message').querySelector('button').addEventListener('click', hideMessage);

/** Marks the page busy from now until `work` settles (a click's answers arrive later). */
function track(work) {
  busy(+1);
  work.catch((err) => showMessage(err.message)).finally(() => busy(-1));
}

function busy(delta) {
  state.busy += delta;
  document.body.dataset.state = state.busy > 0 ? 'busy' : 'ready';
}
