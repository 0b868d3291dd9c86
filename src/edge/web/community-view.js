/**
 * One community up close, in the panel and on the map: its isochrone rings, the facilities it
 * reaches (travel times), and the route to the facility coverage counted for an item. `ctx` is
 * what the page (app.js) gives it once: `{ view, panel, state, standardDoc, busy }`.
 */
import { postJson } from './api.js';
import { basisItem } from './colour-basis.js';
import { OTHER_COLOUR, ringColour } from './colours.js';
import { communityOrigins } from './community-origins.js';
import { nameOf, serverText, t, tf } from './i18n.js';
import { communityName, facilityName } from './names.js';

let ctx;

export function initCommunityView(context) {
  ctx = context;
}

export async function selectCommunity(id) {
  ctx.state.selectedId = id;
  ctx.view.clearSelection();
  const entry = id === null ? undefined : ctx.state.communities.get(id);
  document.body.classList.toggle('panel-open', Boolean(entry));
  if (!entry) {
    ctx.panel.hide();
    return;
  }
  ctx.busy(+1);
  try {
    await showCommunity(id, entry);
  } finally {
    ctx.busy(-1);
  }
}

async function showCommunity(id, { feature, report, reason }) {
  const result = report?.standards[0];
  const standard = await ctx.standardDoc(result?.standardId ?? ctx.state.standardId);
  const placeItems = (result?.items ?? []).filter((i) => i.kind === 'place');
  // The route shown first: to the item coloured by, else the first item out of reach the data has
  // facilities for (how far is what is lacking?), else the first item met.
  const focus = basisItem(ctx.state.shareBasis);
  if (focus && placeItems.some((i) => i.itemId === focus)) ctx.state.routeItemId = focus;
  if (!placeItems.some((i) => i.itemId === ctx.state.routeItemId)) {
    const routable = placeItems.filter((i) => routeTargets(ctx.state, standard, i.itemId).length > 0);
    ctx.state.routeItemId = (routable.find((i) => i.status === 'unmet') ?? routable[0] ?? placeItems[0])?.itemId ?? null;
  }
  ctx.state.travel = {
    mode: ctx.state.mode || result?.mode || standard.mode,
    minutes: Number(ctx.state.minutes) || result?.minutes || standard.minutes,
  };
  ctx.panel.show({
    community: { id, name: communityName(ctx.state, id), type: report?.type ?? feature.properties?.type },
    result: result && { ...result, error: report.error },
    reason: reason ? serverText(reason) : undefined,
    homes: report?.homes,
    // The rural circle's mode and speed are ours, not the policy's: said where the village is shown.
    assumption: ctx.state.report?.standards?.find((s) => s.id === result?.standardId)?.travelAssumption,
    routeItemId: ctx.state.routeItemId,
    routeItems: placeItems,
    mode: ctx.state.travel.mode,
  });
  ctx.view.setData('selected', { type: 'FeatureCollection', features: [outline(feature)] });
  const origins = communityOrigins(feature);
  ctx.state.origins = {
    type: 'FeatureCollection',
    features: origins.map((p, i) => ({ type: 'Feature', properties: { id: origins.length > 1 ? `${id}#${i + 1}` : id }, geometry: { type: 'Point', coordinates: p } })),
  };
  ctx.view.setData('origins', ctx.state.origins);
  if (origins.length === 0) {
    ctx.panel.setError('isochrones', `${communityName(ctx.state, id)}: ${t('notAssessed')}`);
    return;
  }
  await Promise.all([showIsochrones(), showReachable(result), showRoute(ctx.state.routeItemId)]);
}

function networkField() {
  const send = ctx.state.data.network.send;
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
  const { mode, minutes } = ctx.state.travel;
  try {
    const answer = await (await postJson('/v1/isochrones', { origins: ctx.state.origins, minutes: ringMinutes(minutes), mode, ...networkField() })).json();
    const rings = answer.features.filter((f) => f.properties.kind === 'isochrone');
    const budgets = [...new Set(rings.map((f) => f.properties.minutes))].sort((a, b) => a - b);
    const colourOf = (m) => ringColour(budgets.indexOf(m), budgets.length);
    ctx.view.setData('isochrones', { type: 'FeatureCollection', features: rings.map((f) => ({ ...f, properties: { ...f.properties, colour: colourOf(f.properties.minutes) } })) });
    const byMinutes = new Map();
    rings.forEach((f) => byMinutes.set(f.properties.minutes, Math.max(byMinutes.get(f.properties.minutes) ?? 0, f.properties.areaM2)));
    ctx.panel.setIsochrones(budgets.map((m) => ({ minutes: m, areaM2: byMinutes.get(m), colour: colourOf(m) })));
    if (answer.errors.length) ctx.panel.setError('isochrones', serverText(answer.errors[0].error));
  } catch (err) {
    ctx.panel.setError('isochrones', errorText(err));
  }
}

async function showReachable(result) {
  const { mode, minutes } = ctx.state.travel;
  const points = ctx.state.data.facilities.points;
  const describe = (f, minutesTo) => {
    const group = ctx.state.groupOf(f.properties.categories ?? []);
    return { id: f.properties.id, name: facilityName(ctx.state, f.properties, f.geometry.coordinates), minutes: minutesTo, groupName: group ? nameOf(ctx.state.groupNames.get(group)) : undefined, colour: ctx.state.groupColours.get(group) };
  };
  if (!points) {
    // A stored facility set: its points are not fetched, but the report names the nearest facility of each item.
    const nearest = (result?.items ?? []).filter((i) => i.nearest).map((i) => ({ id: i.nearest.facilityId, name: i.nearest.name ?? tf('unnamedFacility', { category: nameOf(ctx.state.categoryNames.get(i.nearest.category)) }), minutes: i.nearest.minutes, groupName: nameOf(ctx.state.groupNames.get(i.group)), colour: ctx.state.groupColours.get(i.group) }));
    ctx.panel.setReachable(nearest);
    return;
  }
  try {
    const answer = await (await postJson('/v1/travel-times', { origins: ctx.state.origins, targets: points, maxMinutes: minutes, mode, ...networkField() })).json();
    const best = new Map();
    for (const origin of answer.origins) for (const r of origin.reachable) if (!(best.get(r.targetId) <= r.minutes)) best.set(r.targetId, r.minutes);
    const byId = new Map(points.features.map((f) => [String(f.properties.id), f]));
    const reachable = [...best].map(([fid, m]) => ({ feature: byId.get(fid), minutes: m })).filter((r) => r.feature).sort((a, b) => a.minutes - b.minutes);
    ctx.view.setData('reachable', {
      type: 'FeatureCollection',
      features: reachable.map(({ feature, minutes: m }) => ({ ...feature, properties: { ...feature.properties, minutes: m, colour: ctx.state.groupColours.get(ctx.state.groupOf(feature.properties.categories ?? [])) ?? OTHER_COLOUR } })),
    });
    ctx.panel.setReachable(reachable.map(({ feature, minutes: m }) => describe(feature, m)));
  } catch (err) {
    ctx.panel.setError('reachable', errorText(err));
  }
}

/**
 * The route for an item: to the very facility coverage counted for it (`nearest`), so the map and
 * the verdict name the same place; for an item out of reach, to the nearest of its facilities,
 * however far (how far is what is lacking?).
 */
export async function showRoute(itemId) {
  ctx.state.routeItemId = itemId;
  ctx.view.setData('route', null);
  if (!itemId) return ctx.panel.setRoute(t('noRoute'), false);
  const { mode, minutes } = ctx.state.travel;
  const result = ctx.state.communities.get(ctx.state.selectedId)?.report?.standards[0];
  const standard = await ctx.standardDoc(result?.standardId ?? ctx.state.standardId);
  const item = standard.items.find((i) => i.id === itemId);
  const points = ctx.state.data.facilities.points;
  if (!points) return ctx.panel.setRoute(`${nameOf(item)}: ${t('noRoute')} (${t('facilities')}: ${ctx.state.data.facilities.label ?? t('serverDefault')})`, false);
  const all = routeTargets(ctx.state, standard, itemId);
  const counted = result?.items.find((i) => i.itemId === itemId)?.nearest?.facilityId;
  const exact = counted === undefined ? [] : all.filter((f) => String(f.properties.id) === counted);
  const targets = exact.length ? exact : all;
  if (targets.length === 0) return ctx.panel.setRoute(`${nameOf(item)}: ${t('noRoute')}`, false);
  try {
    const answer = await (await postJson('/v1/route', { origins: ctx.state.origins, targets: { type: 'FeatureCollection', features: targets }, maxMinutes: Math.min(180, Math.max(60, minutes * 3)), mode, ...networkField() })).json();
    if (itemId !== ctx.state.routeItemId) return;
    if (!answer.route) return ctx.panel.setRoute(`${nameOf(item)}: ${serverText(answer.reason)}`, false);
    ctx.view.setData('route', answer);
    const target = targets.find((f) => String(f.properties.id) === answer.route.targetId);
    const name = target ? facilityName(ctx.state, target.properties, target.geometry.coordinates) : answer.route.targetId;
    ctx.panel.setRoute(`${t(`mode_${mode}`)} → ${name}${exact.length ? t('routeCounted') : ''}: ${answer.route.minutes.toFixed(1)} ${t('min')}, ${Math.round(answer.route.meters)} m`, true);
  } catch (err) {
    ctx.panel.setError('route', errorText(err));
  }
}

/** The facilities that satisfy an item: those of one of its categories. */
export function routeTargets(state, standard, itemId) {
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

function errorText(err) {
  return err?.text ?? err?.message ?? String(err);
}
