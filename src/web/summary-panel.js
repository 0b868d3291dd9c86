/**
 * The city summary for the chosen standard: communities meeting it against the target (a bar with
 * the target marked, and the dated milestones), how many more must, and the items reached by the
 * fewest communities — what to build first. Then the legend of the map.
 */
import { OTHER_COLOUR, SHARE_STOPS } from './colours.js';
import { fill, h, percent } from './dom.js';
import { nameOf, t } from './i18n.js';

export function renderSummary(container, { summary, standard, shareBasis }) {
  container.replaceChildren();
  const s = summary?.standards.find((x) => x.standardId === standard.id);
  if (!s) return;
  const target = s.target;
  fill(container,
    h('h2', {}, t('summary')),
    h('p', { class: 'standard-name' }, nameOf(s.name)),
    h('div', { class: 'share-line', 'data-testid': 'city-share' },
      h('strong', {}, percent(s.share)), ` ${t('meeting')} (${s.passing} / ${s.communities})`,
      target ? h('span', { class: 'target' }, ` · ${t('target')} ${percent(target.share)}`) : null),
    bar(s.share, target?.share),
    target && !target.met ? h('p', { class: 'short' }, `${t('short')}: ${target.communitiesShort} ${t('communitiesCount')}`) : null,
    target?.milestones?.length ? h('ul', { class: 'milestones' }, target.milestones.map((m) => h('li', {}, `${m.date}: ${percent(m.share)} ${m.reached ? '✓' : '✗'}`))) : null,
    s.notAssessed.length ? h('p', { class: 'warn', 'data-testid': 'not-assessed' }, `${s.notAssessed.length} ${t('communitiesCount')} ${t('notAssessed')}`) : null,
    h('h3', {}, t('worstItems')),
    h('ol', { class: 'worst-items' },
      s.items.filter((item) => !item.dataGap && (shareBasis !== 'places' || item.kind === 'place')).slice(0, 8).map((item) =>
        h('li', {}, h('span', { class: 'item-name' }, nameOf(item)), h('span', { class: 'item-share' }, percent(item.share))))),
    s.dataGaps.length ? h('h3', {}, `${t('dataGaps')} (${s.dataGaps.length})`) : null,
    s.dataGaps.length ? h('p', { class: 'note' }, t('dataGapsNote')) : null,
    s.dataGaps.length ? h('ul', { class: 'data-gaps', 'data-testid': 'data-gaps' }, s.dataGaps.map((g) => h('li', {}, nameOf(g)))) : null,
  );
}

export function renderLegend(container, { groups, colours }) {
  const ramp = `linear-gradient(to right, ${SHARE_STOPS.map(([s, c]) => `${c} ${s * 100}%`).join(', ')})`;
  container.replaceChildren(
    h('h3', {}, t('legend')),
    h('div', { class: 'legend-label' }, t('shareMet')),
    h('div', { class: 'ramp', style: { background: ramp } }),
    h('div', { class: 'ramp-ticks' }, h('span', {}, '0%'), h('span', {}, '50%'), h('span', {}, '100%')),
    h('div', { class: 'legend-label' }, t('facilities')),
    h('ul', { class: 'groups' },
      groups.map((g) => h('li', {}, h('span', { class: 'swatch', style: { background: colours.get(g.id) } }), nameOf(g))),
      h('li', {}, h('span', { class: 'swatch', style: { background: OTHER_COLOUR } }), t('other'))),
  );
}

function bar(share, target) {
  return h('div', { class: 'bar' },
    h('div', { class: 'bar-fill', style: { width: `${Math.min(100, share * 100)}%` } }),
    target !== undefined ? h('div', { class: 'bar-target', style: { left: `${Math.min(100, target * 100)}%` }, title: `${t('target')} ${percent(target)}` }) : null);
}
