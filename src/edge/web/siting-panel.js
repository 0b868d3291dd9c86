/**
 * Where to build next (issue 15), on the page's own data: choose a place item of the standard, ask
 * for k new sites or a target share, and POST /v1/siting answers the sites ranked — each with the
 * residents and communities it newly serves — and how good the choice is (`optimal`, or the proven
 * bound no choice of as many sites could pass). The sites go on the map with their rank; the
 * communities a site serves are outlined (all sites', or the one chosen in the list).
 *
 * "Try a site on the map": the next click on the map asks the what-if (`add`: a facility of the item
 * there) and lists the communities whose items change, with the city share before and after.
 *
 * Candidates are a grid along the network over the communities' extent (`{"grid": metres}`): the
 * page has no candidate file, and a planner starts from "anywhere on a street".
 */
import { postJson } from './api.js';
import { fill, h, percent } from './dom.js';
import { nameOf, serverText, t, tf } from './i18n.js';

export class SitingPanel {
  /**
   * `body()`: what the page analyses, as a siting request's base (communities, network, facilities,
   * standard, mode, minutes); `standardDoc()`: the chosen standard's document; `communityOf(id)`: a
   * community's feature on the map; `communityName(id)`.
   */
  constructor(container, { view, body, standardDoc, communityOf, communityName, track, onError }) {
    Object.assign(this, { container, view, body, standardDoc, communityOf, communityName, track, onError });
    this.itemId = '';
    this.goal = 'k';
    this.value = 3;
    this.grid = 300;
    this.answer = null;
    this.chosen = null;
    this.whatIf = null;
    this.trying = false;
    view.onMapClick((lngLat) => {
      if (!this.trying) return;
      this.setTrying(false);
      track(this.tryAt([lngLat.lng, lngLat.lat]));
    });
  }

  /** The standard or the data changed: the answers were of the old ones (the next render shows none). */
  reset() {
    this.answer = null;
    this.whatIf = null;
    this.chosen = null;
    this.drawMap();
  }

  async render() {
    const standard = await this.standardDoc();
    const items = standard.items.filter((i) => i.kind === 'place' && i.categories?.length);
    if (!items.some((i) => i.id === this.itemId)) this.itemId = items[0]?.id ?? '';
    const number = (testid, value, attrs, set) => h('input', { type: 'number', 'data-testid': testid, value, ...attrs, onchange: (e) => set(Number(e.target.value)) });
    fill(this.container,
      h('h2', {}, t('sitingTitle')),
      h('div', { class: 'siting-controls' },
        h('label', {}, t('sitingItem'),
          h('select', { 'data-testid': 'siting-item', onchange: (e) => (this.itemId = e.target.value) }, items.map((i) => h('option', { value: i.id, selected: i.id === this.itemId }, nameOf(i))))),
        h('div', { class: 'row' },
          h('label', {}, t('sitingGoal'),
            h('select', { 'data-testid': 'siting-goal', onchange: (e) => this.setGoal(e.target.value) },
              h('option', { value: 'k', selected: this.goal === 'k' }, t('sitingGoalK')),
              h('option', { value: 'targetShare', selected: this.goal === 'targetShare' }, t('sitingGoalTarget')))),
          h('label', {}, this.goal === 'k' ? t('sitingSites') : t('sitingTargetPercent'),
            number('siting-value', this.value, this.goal === 'k' ? { min: 1, max: 50, step: 1 } : { min: 1, max: 100, step: 1 }, (v) => (this.value = v)))),
        h('label', {}, t('sitingGrid'), number('siting-grid', this.grid, { min: 50, max: 5000, step: 50 }, (v) => (this.grid = v))),
        h('div', { class: 'row' },
          h('button', { type: 'button', 'data-testid': 'siting-run', onclick: () => this.track(this.run()) }, t('sitingRun')),
          h('button', { type: 'button', 'data-testid': 'siting-try', 'aria-pressed': String(this.trying), onclick: () => this.setTrying(!this.trying) }, t('sitingTry'))),
        this.trying ? h('p', { class: 'hint', 'data-testid': 'siting-try-hint' }, t('sitingTryHint')) : null),
      this.answer ? this.renderAnswer(this.answer) : null,
      this.whatIf ? this.renderWhatIf(this.whatIf) : null,
    );
  }

  setGoal(goal) {
    this.goal = goal;
    this.value = goal === 'k' ? 3 : 90;
    return this.render();
  }

  setTrying(on) {
    this.trying = on;
    this.view.map.getCanvas().style.cursor = on ? 'crosshair' : '';
    return this.render();
  }

  async run() {
    const body = {
      ...this.body(),
      item: this.itemId,
      candidates: { grid: this.grid },
      ...(this.goal === 'k' ? { k: this.value } : { targetShare: this.value / 100 }),
    };
    try {
      this.answer = await (await postJson('/v1/siting', body)).json();
      this.chosen = null;
    } catch (err) {
      this.answer = null;
      this.onError(err);
    }
    this.drawMap();
    await this.render();
  }

  async tryAt(lonLat) {
    const body = { ...this.body(), item: this.itemId, add: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'tried' }, geometry: { type: 'Point', coordinates: lonLat } }] } };
    try {
      this.whatIf = { at: lonLat, ...(await (await postJson('/v1/siting', body)).json()) };
    } catch (err) {
      this.whatIf = null;
      this.onError(err);
    }
    this.drawMap();
    await this.render();
  }

  renderAnswer(a) {
    const share = (s) => percent(a.objective === 'communities' ? s.communityShare : s.populationShare);
    const guarantee = a.optimal ? t('sitingOptimal') : a.bound ? tf('sitingBound', { share: percent(a.bound.share) }) : '';
    return h('div', { class: 'siting-result', 'data-testid': 'siting-result' },
      h('p', { class: 'siting-method', 'data-testid': 'siting-method' }, `${t(`sitingMethod_${a.method}`)} · ${guarantee}`),
      h('p', { 'data-testid': 'siting-shares' }, `${t(a.objective === 'communities' ? 'sitingOfCommunities' : 'sitingOfResidents')}: ${share(a.before)} → `, h('strong', {}, share(a.after)),
        ` (${t('sitingAtMost')} ${share(a.reachable)})`),
      a.sites.length === 0 ? h('p', { class: 'warn' }, t('sitingNone')) : null,
      h('ol', { class: 'siting-sites', 'data-testid': 'siting-sites' },
        a.sites.map((s, i) =>
          h('li', { 'data-site': s.id, class: this.chosen === i ? 'chosen' : null },
            h('button', { type: 'button', class: 'link', 'aria-pressed': String(this.chosen === i), onclick: () => this.choose(i) },
              tf('sitingGain', { residents: Math.round(s.gainPopulation), communities: s.gainCommunities, share: percent(s.cumulativeShare) })),
            h('div', { class: 'note' }, s.communities.map((c) => `${this.communityName(c.id)}${c.nowMet ? ' ✓' : ''}`).join('、'))))),
      (a.notes ?? []).map((n) => h('p', { class: 'note' }, serverText(n))),
    );
  }

  renderWhatIf(w) {
    const shares = w.changes.shares[0];
    return h('div', { class: 'siting-whatif', 'data-testid': 'siting-whatif' },
      h('h3', {}, tf('sitingTried', { at: w.at.map((x) => x.toFixed(5)).join(', ') })),
      shares ? h('p', {}, `${t('meeting')}: ${percent(shares.before)} → ${percent(shares.after)}`) : null,
      w.changes.changed.length === 0 ? h('p', { class: 'note' }, t('sitingNoChange')) : null,
      h('ul', { class: 'items', 'data-testid': 'siting-changes' },
        w.changes.changed.map((c) => h('li', {}, `${c.name ?? this.communityName(c.communityId)}: ${[...c.itemsGained.map((i) => `+${nameOf(i)}`), ...c.itemsLost.map((i) => `−${nameOf(i)}`)].join('、')}`))),
    );
  }

  /** A site chosen in the list: only its communities outlined (again: all sites'). */
  choose(i) {
    this.chosen = this.chosen === i ? null : i;
    this.drawMap();
    const at = this.answer.sites[i]?.geometry;
    if (this.chosen !== null && at?.type === 'Point') this.view.flyTo(at.coordinates, 14);
    return this.render();
  }

  drawMap() {
    const a = this.answer;
    const sites = (a?.sites ?? []).map((s, i) => ({ type: 'Feature', geometry: s.geometry, properties: { id: s.id, rank: String(i + 1), chosen: this.chosen === i } }));
    if (this.whatIf) sites.push({ type: 'Feature', geometry: { type: 'Point', coordinates: this.whatIf.at }, properties: { id: 'tried', rank: '+', chosen: false } });
    const served = new Set();
    (a?.sites ?? []).forEach((s, i) => (this.chosen === null || this.chosen === i) && s.communities.forEach((c) => served.add(c.id)));
    for (const c of this.whatIf?.changes.changed ?? []) served.add(c.communityId);
    const communities = [...served].map((id) => this.communityOf(id)).filter(Boolean).map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { id: String(f.properties?.id ?? f.id) } }));
    this.view.setData('siting-sites', { type: 'FeatureCollection', features: sites });
    this.view.setData('siting-served', { type: 'FeatureCollection', features: communities });
  }
}
