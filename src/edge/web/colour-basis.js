/**
 * What a community's colour says (issue 16). By default the share of the standard's *place items
 * with data* met: programme items cannot show on a map (they are declared), and an item the data has
 * no facility of is a gap in the data, not in the city — counting either made every community look
 * red. Alternatives: all items, every place item, or one item across the city (the share of the
 * community's residents within reach of it). A community not assessed has no share: null, with the
 * reason, drawn grey and hatched.
 */
import { nameOf, t } from './i18n.js';

export const DEFAULT_BASIS = 'data';

/** The choices of the "colour by" menu for a standard. */
export function basisOptions(standard) {
  return [
    { value: 'data', label: t('placeItemsWithData') },
    { value: 'places', label: t('placeItems') },
    { value: 'all', label: t('allItems') },
    ...standard.items.filter((i) => i.kind === 'place').map((i) => ({ value: `item:${i.id}`, label: `${t('oneItem')}${nameOf(i)}` })),
  ];
}

/** The item a basis colours by, or undefined. */
export function basisItem(basis) {
  return basis.startsWith('item:') ? basis.slice(5) : undefined;
}

/** `{ share: 0..1 | null, reason? }` of a community's result for its standard under `basis`. */
export function communityShare(result, basis) {
  if (!result) return { share: null, reason: t('notAssessed') };
  const itemId = basisItem(basis);
  if (itemId) {
    const item = result.items.find((i) => i.itemId === itemId);
    if (!item) return { share: null, reason: t('notAssessed') };
    if (item.status === 'no_facility') return { share: null, reason: t('itemNoFacility') };
    if (item.kind !== 'place') return { share: null, reason: t('itemIsProgramme') };
    return { share: item.residentsShare ?? (item.status === 'met' ? 1 : 0) };
  }
  if (basis === 'all') return { share: result.share };
  const places = result.items.filter((i) => i.kind === 'place' && (basis === 'places' || i.status !== 'no_facility'));
  if (places.length === 0) return { share: null, reason: t('noDataItems') };
  return { share: places.filter((i) => i.status === 'met').length / places.length };
}

/** The legend's sentence for a basis. */
export function basisLegend(basis, standard) {
  const itemId = basisItem(basis);
  if (itemId) return `${t('legendItem')} ${nameOf(standard.items.find((i) => i.id === itemId))}`;
  const label = basisOptions(standard).find((o) => o.value === basis)?.label ?? basis;
  return `${t('legendShareOf')} ${label}`;
}
