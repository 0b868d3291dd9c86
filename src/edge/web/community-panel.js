/**
 * One community up close: its share of items met, its isochrone rings, the facilities it reaches
 * (by service group, nearest first), the items met and missing, and the route to the nearest
 * facility of a chosen item. The page fills the parts as their answers arrive.
 */
import { OTHER_COLOUR } from './colours.js';
import { fill, h, percent } from './dom.js';
import { nameOf, t, tf } from './i18n.js';

export class CommunityPanel {
  constructor(container, { onClose, onRouteItem }) {
    this.container = container;
    this.onClose = onClose;
    this.onRouteItem = onRouteItem;
  }

  hide() {
    this.container.hidden = true;
    this.container.replaceChildren();
  }

  /** `result`: the community's result for its standard in the coverage report (undefined: not assessed, `reason` says why). */
  show({ community, result, reason, homes, assumption, routeItemId, routeItems, mode }) {
    this.container.hidden = false;
    const title = community.name;
    const met = result ? result.items.filter((i) => i.status === 'met' || i.status === 'declared') : [];
    // Kept apart (issue 16): out of reach, no facility in the data, and programmes to declare.
    const missing = result ? result.items.filter((i) => i.status === 'unmet') : [];
    const gaps = result ? result.items.filter((i) => i.status === 'no_facility') : [];
    const undeclared = result ? result.items.filter((i) => i.status === 'not_declared') : [];
    this.isochroneBox = h('div', { 'data-testid': 'isochrone-legend', class: 'pending' }, t('computing'));
    this.reachableBox = h('div', { 'data-testid': 'reachable-list', class: 'pending' }, t('computing'));
    this.routeBox = h('p', { 'data-testid': 'route-info', class: 'pending', 'aria-live': 'polite' }, '');
    const select = h('select', { 'data-testid': 'route-item', 'aria-label': tf('routeToMode', { mode: t(`mode_${mode}`) }), onchange: (e) => this.onRouteItem(e.target.value) },
      routeItems.map((item) => h('option', { value: item.itemId, selected: item.itemId === routeItemId }, `${statusMark(item.status)} ${nameOf(item)}`)));
    fill(this.container,
      h('div', { class: 'panel-head' },
        h('h2', { 'data-testid': 'community-name', tabindex: '-1' }, title),
        h('button', { type: 'button', class: 'close', 'data-testid': 'close-panel', 'aria-label': t('close'), title: `${t('close')} (Esc)`, onclick: () => this.onClose() }, '×')),
      h('p', { class: 'meta' },
        community.type === 'rural' ? t('rural') : t('urban'),
        result ? ` · ${result.met} / ${result.total} (${percent(result.share)})` : ` · ${t('notAssessed')}`),
      !result && reason ? h('p', { class: 'warn', 'data-testid': 'not-assessed-reason' }, reason) : null,
      result?.error ? h('p', { class: 'warn' }, result.error) : null,
      homes ? h('p', { class: 'meta', 'data-testid': 'measured-from' },
        `${t('measuredFrom')} ${homes.count} ${t('homesCount')} (${t(`homeRule_${homes.rule}`)})` +
        (result ? ` · ${t('metWhen')} ${percent(result.metShare)} ${t('ofResidents')}` : '')) : null,
      assumption ? h('p', { class: 'meta assumption', 'data-testid': 'travel-assumption' }, nameOf(assumption)) : null,
      h('h3', {}, t('isochrones')), this.isochroneBox,
      h('h3', { 'data-testid': 'route-heading' }, tf('routeToMode', { mode: t(`mode_${mode}`) })), select, this.routeBox,
      h('h3', {}, t('reachable')), this.reachableBox,
      h('h3', {}, `${t('itemsMissing')} · ${t('outOfReach')} (${missing.length})`),
      h('ul', { class: 'items missing', 'data-testid': 'missing-items' }, missing.map((i) => h('li', {}, nameOf(i), residents(i), minutesNote(i)))),
      gaps.length ? h('h3', {}, `${t('dataGaps')} (${gaps.length})`) : null,
      gaps.length ? h('ul', { class: 'items gaps', 'data-testid': 'data-gap-items' }, gaps.map((i) => h('li', {}, nameOf(i)))) : null,
      undeclared.length ? h('h3', {}, `${t('toDeclare')} (${undeclared.length})`) : null,
      undeclared.length ? h('ul', { class: 'items undeclared', 'data-testid': 'undeclared-items' }, undeclared.map((i) => h('li', {}, nameOf(i), kindNote(i)))) : null,
      h('h3', {}, `${t('itemsMet')} (${met.length})`),
      h('ul', { class: 'items met', 'data-testid': 'met-items' }, met.map((i) => h('li', {}, nameOf(i), i.nearest ? h('span', { class: 'minutes' }, ` ${i.nearest.minutes.toFixed(1)} ${t('min')}`) : kindNote(i), residents(i)))),
    );
  }

  setIsochrones(rings) {
    this.isochroneBox.className = '';
    this.isochroneBox.replaceChildren(
      h('ul', { class: 'rings' }, rings.map((r) => h('li', {}, h('span', { class: 'swatch', style: { background: r.colour } }), `${r.minutes} ${t('min')}: ${(r.areaM2 / 1e6).toFixed(2)} km²`))),
    );
  }

  /** `facilities`: reachable ones, nearest first, each with its group's name and colour. */
  setReachable(facilities) {
    this.reachableBox.className = '';
    const byGroup = new Map();
    for (const f of facilities) {
      const key = f.groupName ?? t('other');
      if (!byGroup.has(key)) byGroup.set(key, { colour: f.colour ?? OTHER_COLOUR, list: [] });
      byGroup.get(key).list.push(f);
    }
    fill(this.reachableBox,
      h('p', { class: 'count' }, `${facilities.length} ${t('facilitiesCount')}`),
      ...[...byGroup].map(([group, { colour, list }]) =>
        h('details', { open: byGroup.size <= 3 },
          h('summary', {}, h('span', { class: 'swatch', style: { background: colour } }), `${group} (${list.length})`),
          h('ul', { class: 'facilities' }, list.slice(0, 30).map((f) => h('li', {}, f.name, h('span', { class: 'minutes' }, ` ${f.minutes.toFixed(1)} ${t('min')}`))),
            list.length > 30 ? h('li', {}, `… ${list.length - 30} ${t('more')}`) : null))),
    );
  }

  setRoute(text, ok) {
    this.routeBox.className = ok ? 'route-ok' : 'route-none';
    this.routeBox.textContent = text;
  }

  setError(box, message) {
    const el = box === 'isochrones' ? this.isochroneBox : box === 'reachable' ? this.reachableBox : this.routeBox;
    if (!el) return;
    el.className = 'warn';
    el.textContent = message;
  }
}

function statusMark(status) {
  return status === 'met' || status === 'declared' ? '✓' : '✗';
}

function kindNote(item) {
  return item.kind === 'place' ? null : h('span', { class: 'kind' }, ` (${t(`kind_${item.kind}`)})`);
}

/** How far the nearest one is, for an item out of reach. */
function minutesNote(item) {
  return typeof item.medianMinutes === 'number' ? h('span', { class: 'minutes' }, ` · ${item.medianMinutes.toFixed(1)} ${t('min')}`) : null;
}

/** A place item's share of residents within reach, when measured. */
function residents(item) {
  return item.residentsShare === undefined ? null : h('span', { class: 'residents' }, ` · ${percent(item.residentsShare)} ${t('ofResidents')}`);
}
