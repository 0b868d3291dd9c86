/**
 * The geometry of an OSM multipolygon relation from its member ways: ways joined end to end into
 * closed rings (an outline is often split into several ways), outer rings by role, each inner ring
 * put in the outer ring that contains it. As osmium's and osm2pgsql's assemblers do, but only the
 * plain case: members with role `outer` (or none) and `inner`, ways that meet at shared nodes.
 * Touching or crossing rings are not repaired; a ring that does not close makes the relation
 * unusable, reported rather than guessed at.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export interface MemberWay {
  /** Node ids in way order. */
  refs: ArrayLike<number>;
  /** `inner`, or anything else (`outer`, "") for an outer ring. */
  role: string;
}

/** Node id → position, or undefined when the node is not in the file. */
export type NodePosition = (id: number) => Position | undefined;

export type Assembled =
  | { geometry: Polygon | MultiPolygon; outerNodeIds: number[] }
  | { problem: string };

export function assembleMultipolygon(ways: readonly MemberWay[], position: NodePosition): Assembled {
  const outer = joinRings(ways.filter((w) => w.role !== 'inner').map((w) => w.refs));
  const inner = joinRings(ways.filter((w) => w.role === 'inner').map((w) => w.refs));
  if ('problem' in outer) return { problem: `outer ${outer.problem}` };
  if ('problem' in inner) return { problem: `inner ${inner.problem}` };
  if (outer.rings.length === 0) return { problem: 'no outer way' };
  const toPositions = (ids: number[]): Position[] | string => {
    const ring: Position[] = [];
    for (const id of ids) {
      const p = position(id);
      if (!p) return `node ${id} is not in the file`;
      ring.push(p);
    }
    return ring;
  };
  const outers: Position[][][] = [];
  for (const ids of outer.rings) {
    const ring = toPositions(ids);
    if (typeof ring === 'string') return { problem: ring };
    outers.push([ring]);
  }
  for (const ids of inner.rings) {
    const ring = toPositions(ids);
    if (typeof ring === 'string') return { problem: ring };
    // A hole belongs to the outer ring around it; one outside every outer ring is dropped.
    const home = outers.find((polygon) => booleanPointInPolygon(ring[0], { type: 'Polygon', coordinates: [polygon[0]] }));
    if (home) home.push(ring);
  }
  const geometry: Polygon | MultiPolygon =
    outers.length === 1 ? { type: 'Polygon', coordinates: outers[0] } : { type: 'MultiPolygon', coordinates: outers };
  return { geometry, outerNodeIds: outer.rings.flat() };
}

/**
 * Joins ways into closed rings of node ids (first id repeated at the end): a closed way is a ring
 * by itself; open ways are chained, in member order, where one ends at another's end, either way round.
 */
export function joinRings(ways: readonly ArrayLike<number>[]): { rings: number[][] } | { problem: string } {
  const rings: number[][] = [];
  const open: number[][] = [];
  for (const way of ways) {
    const ids = Array.from(way);
    if (ids.length < 2) continue;
    if (ids[0] === ids[ids.length - 1]) {
      if (ids.length >= 4) rings.push(ids);
    } else open.push(ids);
  }
  while (open.length > 0) {
    const ring = open.shift()!;
    while (ring[0] !== ring[ring.length - 1]) {
      const end = ring[ring.length - 1];
      const i = open.findIndex((w) => w[0] === end || w[w.length - 1] === end);
      if (i < 0) return { problem: `ring does not close: it ends at node ${end}, which no other member way starts or ends at` };
      const [next] = open.splice(i, 1);
      if (next[0] !== end) next.reverse();
      for (let k = 1; k < next.length; k++) ring.push(next[k]);
    }
    if (ring.length >= 4) rings.push(ring);
  }
  return { rings };
}
