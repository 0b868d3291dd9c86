import { type FeatureReason, InputError } from '../../core/errors.ts';
import type { LocatedPoint } from '../../core/routing/locate.ts';
import type { PointsUsed } from './context.ts';

/**
 * No answer without something to answer about: a request none of whose origins (or targets) could be
 * placed on the network is 422 NO_USABLE_INPUT, with each point's reason — not a 200 with an empty
 * answer that looks like "nothing is reachable". A request with some usable points is answered,
 * the others listed in its errors as before. An empty collection is answered, empty, as before: it
 * asks for nothing rather than failing to give something.
 */
export function requireSomePlaced(what: string, points: readonly LocatedPoint[]): void {
  // An empty collection asks for nothing and gets an empty answer; sent points none of which is usable is the error.
  if (points.length === 0 || points.some((p) => p.point)) return;
  const reasons: FeatureReason[] = points.map((p) => ({ what, index: p.index, id: p.id, message: p.error ?? 'not placed on the network' }));
  // One point: its own reason is the whole story; several: how many, and the first reason.
  const message =
    points.length === 1 ? reasons[0].message
    : `${what}: none of the ${points.length} could be placed on the network (errors lists each; the first: ${reasons[0].message}): are they within the network's area, and in the crs the request says?`;
  throw new InputError('NO_USABLE_INPUT', message, { where: what, reasons });
}

/** `inputs.origins` (or targets) of an answer: sent inline, how many, how many placed. */
export function pointsUsed(points: readonly LocatedPoint[]): PointsUsed {
  return { source: 'inline', dataset: null, features: points.length, used: points.filter((p) => p.point).length };
}
