/**
 * The city summary for the chosen standard: communities meeting it against the target (a bar with
 * the target marked, and the dated milestones), how many more must, the communities not assessed
 * with their reasons, and three lists kept apart (issue 16): the place items reached by the fewest
 * communities — what to build first —, the items the data has no facility of (gaps in the data),
 * and the programme items to declare, which no map can show. Then the legend of the map, which
 * says what the colour is the share of.
 */
import { NOT_ASSESSED_COLOUR, OTHER_COLOUR, RING_COLOURS, ROUTE_COLOUR, SHARE_STOPS } from './colours.js';
import { fill, h, percent } from './dom.js';
import { nameOf, serverText, t } from './i18n.js';

export function renderSummary(container, { summary, standard, names }) {
  container.replaceChildren();
  const s = summary?.standards.find((x) => x.standardId === standard.id);
  if (!s) return;
  const target = s.target;
  const worst = s.items.filter((item) => !item.dataGap && item.kind === 'place');
  const toDeclare = s.items.filter((item) => item.kind !== 'place');
  fill(container,
    h('h2', {}, t('summary')),
    h('p', { class: 'standard-name' }, nameOf(s.name)),
    h('div', { class: 'share-line', 'data-testid': 'city-share' },
      h('strong', {}, percent(s.share)), ` ${t('meeting')} (${s.passing} / ${s.communities})`,
      target ? h('span', { class: 'target' }, ` · ${t('target')} ${percent(target.share)}`) : null),
    bar(s.share, target?.share),
    target && !target.met ? h('p', { class: 'short' }, `${t('short')}: ${target.communitiesShort} ${t('communitiesCount')}`) : null,
    target?.milestones?.length ? h('ul', { class: 'milestones' }, target.milestones.map((m) => h('li', {}, `${m.date}: ${percent(m.share)} ${m.reached ? '✓' : '✗'}`))) : null,
    s.notAssessed.length
      ? h('details', { class: 'not-assessed', 'data-testid': 'not-assessed' },
        h('summary', { class: 'warn' }, `${s.notAssessed.length} ${t('notAssessedCount')}`),
        h('ul', { class: 'items' }, s.notAssessed.slice(0, 50).map((c) => h('li', {}, `${c.name ?? names(c.id)}: ${serverText(c.reason)}`)),
          s.notAssessed.length > 50 ? h('li', {}, `… ${s.notAssessed.length - 50} ${t('more')}`) : null))
      : null,
    h('h3', {}, `${t('worstItems')} (${t('outOfReach')})`),
    h('ol', { class: 'worst-items', 'data-testid': 'worst-items' },
      worst.slice(0, 8).map((item) => h('li', {}, h('span', { class: 'item-name' }, nameOf(item)), h('span', { class: 'item-share' }, percent(item.share))))),
    s.dataGaps.length ? h('h3', {}, `${t('dataGaps')} (${s.dataGaps.length})`) : null,
    s.dataGaps.length ? h('p', { class: 'note' }, t('dataGapsNote')) : null,
    s.dataGaps.length ? h('ul', { class: 'data-gaps', 'data-testid': 'data-gaps' }, s.dataGaps.map((g) => h('li', {}, nameOf(g)))) : null,
    toDeclare.length
      ? h('details', { class: 'to-declare', 'data-testid': 'to-declare' },
        h('summary', {}, `${t('toDeclare')} (${toDeclare.length})`),
        h('ul', { class: 'items' }, toDeclare.map((item) => h('li', {}, nameOf(item), h('span', { class: 'kind' }, ` · ${t(`kind_${item.kind}`)} · ${percent(item.share)} ${t('declared')}`)))))
      : null,
  );
}

export function renderLegend(container, { groups, colours, basisText }) {
  const ramp = `linear-gradient(to right, ${SHARE_STOPS.map(([s, c]) => `${c} ${s * 100}%`).join(', ')})`;
  const rings = `linear-gradient(to right, ${RING_COLOURS.join(', ')})`;
  const hatch = `repeating-linear-gradient(45deg, ${NOT_ASSESSED_COLOUR} 0 2px, #ebebeb 2px 6px)`;
  container.replaceChildren(
    h('h3', {}, t('legend')),
    h('div', { class: 'legend-label', 'data-testid': 'legend-basis' }, basisText),
    h('div', { class: 'ramp', style: { background: ramp } }),
    h('div', { class: 'ramp-ticks' }, h('span', {}, '0%'), h('span', {}, '50%'), h('span', {}, '100%')),
    h('div', { class: 'legend-row', 'data-testid': 'legend-not-assessed' }, h('span', { class: 'patch', style: { background: hatch } }), t('notAssessedLegend')),
    h('div', { class: 'legend-label' }, t('facilities')),
    h('ul', { class: 'groups' },
      groups.map((g) => h('li', {}, h('span', { class: 'swatch', style: { background: colours.get(g.id) } }), nameOf(g))),
      h('li', {}, h('span', { class: 'swatch', style: { background: OTHER_COLOUR } }), t('other'))),
    h('div', { class: 'legend-row' }, h('span', { class: 'patch wide', style: { background: rings } }), t('ringsLegend')),
    h('div', { class: 'legend-row' }, h('span', { class: 'patch line', style: { background: ROUTE_COLOUR } }), t('routeLegend')),
  );
}

function bar(share, target) {
  return h('div', { class: 'bar' },
    h('div', { class: 'bar-fill', style: { width: `${Math.min(100, share * 100)}%` } }),
    target !== undefined ? h('div', { class: 'bar-target', style: { left: `${Math.min(100, target * 100)}%` }, title: `${t('target')} ${percent(target)}` }) : null);
}
