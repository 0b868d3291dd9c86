/**
 * Collects what the road network needs from an OSM stream — every node's position and the road
 * ways (node ids + tags) — and turns the ways into `RawLine`s once the stream has ended, because a
 * file may list ways before their nodes.
 */
import type { LineSink, Tags } from '../../network/raw-line.ts';
import { NodeIndex } from '../../network/node-index.ts';
import type { OsmHandler } from './osm-handler.ts';

/** Road ways: any `highway` (areas too, as their outline) and ferry routes. */
function isRoadWay(tags: Tags): boolean {
  return tags.highway !== undefined || tags.route === 'ferry';
}

export interface ElementCounts {
  nodes: number;
  ways: number;
  relations: number;
  /** Ways that `isRoadWay` accepts. */
  candidateWays: number;
}

export interface EmitResult {
  linesEmitted: number;
  /** References to nodes absent from the file (or with unusable coordinates), counted per reference. */
  missingNodeRefs: number;
  /** Candidate ways of which no line with two or more nodes was left. */
  rejectedWays: number;
  /** [minLon, minLat, maxLon, maxLat] of the emitted lines, undefined when none was emitted. */
  bbox: [number, number, number, number] | undefined;
}

export class RoadWayCollector implements OsmHandler {
  readonly counts: ElementCounts = { nodes: 0, ways: 0, relations: 0, candidateWays: 0 };

  private readonly nodes = new NodeIndex();
  private wayIds = new Float64Array(1024);
  /** Way i's refs are `refs[refStart[i] .. refStart[i + 1])`. */
  private refStart = new Uint32Array(1025);
  private refs = new Float64Array(16384);
  private refCount = 0;
  private readonly wayTags: Tags[] = [];

  node(id: number, lon: number, lat: number): void {
    this.counts.nodes++;
    // An unusable position is left out, so that ways treat the node as missing and split there.
    if (lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) this.nodes.set(id, lon, lat);
  }

  way(id: number, refs: ArrayLike<number>, tags: Tags | undefined): void {
    this.counts.ways++;
    if (tags === undefined || !isRoadWay(tags)) return;
    const way = this.counts.candidateWays++;
    if (way === this.wayIds.length) {
      this.wayIds = grow(this.wayIds, this.wayIds.length * 2);
      this.refStart = grow(this.refStart, this.wayIds.length + 1);
    }
    if (this.refCount + refs.length > this.refs.length) {
      this.refs = grow(this.refs, Math.max(this.refs.length * 2, this.refCount + refs.length));
    }
    for (let i = 0; i < refs.length; i++) this.refs[this.refCount + i] = refs[i];
    this.refCount += refs.length;
    this.wayIds[way] = id;
    this.refStart[way + 1] = this.refCount;
    this.wayTags.push(tags);
  }

  relation(): void {
    this.counts.relations++;
  }

  /**
   * Sends each candidate way to the sink as one line, or as several where nodes are missing (a
   * clipped extract): the pieces between missing nodes are still real, usable road.
   */
  emitLines(sink: LineSink): EmitResult {
    const result: EmitResult = { linesEmitted: 0, missingNodeRefs: 0, rejectedWays: 0, bbox: undefined };
    const bbox = [Infinity, Infinity, -Infinity, -Infinity] as [number, number, number, number];
    let pieceIds = new Float64Array(256);
    let pieceCoords = new Float64Array(512);

    for (let way = 0; way < this.counts.candidateWays; way++) {
      const ref = `way/${this.wayIds[way]}`;
      const tags = this.wayTags[way];
      const start = this.refStart[way];
      const end = this.refStart[way + 1];
      if (end - start > pieceIds.length) {
        pieceIds = new Float64Array(end - start);
        pieceCoords = new Float64Array(2 * (end - start));
      }
      let missing = 0;
      let pieceLength = 0;
      let emitted = 0;
      const flush = (): void => {
        if (pieceLength >= 2) {
          sink.addLine({
            coords: pieceCoords.slice(0, 2 * pieceLength),
            nodeIds: pieceIds.slice(0, pieceLength),
            tags,
            ref,
          });
          for (let p = 0; p < pieceLength; p++) extend(bbox, pieceCoords[2 * p], pieceCoords[2 * p + 1]);
          emitted++;
        }
        pieceLength = 0;
      };
      for (let i = start; i < end; i++) {
        const nodeId = this.refs[i];
        const slot = this.nodes.slotOf(nodeId);
        if (slot < 0) {
          missing++;
          flush();
          continue;
        }
        // A node repeated back to back is a mapping error that would make a zero-length edge.
        if (pieceLength > 0 && pieceIds[pieceLength - 1] === nodeId) continue;
        pieceIds[pieceLength] = nodeId;
        pieceCoords[2 * pieceLength] = this.nodes.lon(slot);
        pieceCoords[2 * pieceLength + 1] = this.nodes.lat(slot);
        pieceLength++;
      }
      flush();

      result.missingNodeRefs += missing;
      result.linesEmitted += emitted;
      if (emitted === 0) {
        result.rejectedWays++;
        sink.reject({ ref, reason: unusableWayReason(end - start, missing) });
      }
    }
    if (result.linesEmitted > 0) result.bbox = bbox;
    return result;
  }
}

function unusableWayReason(refCount: number, missing: number): string {
  if (missing === 0) {
    return refCount < 2
      ? `way has ${refCount} node reference${refCount === 1 ? '' : 's'}: expected at least 2`
      : `way references a single node ${refCount} times: expected at least 2 distinct nodes`;
  }
  return (
    `${missing} of ${refCount} node references are not in the file or have invalid coordinates: ` +
    `expected at least 2 consecutive usable nodes`
  );
}

function extend(bbox: [number, number, number, number], lon: number, lat: number): void {
  if (lon < bbox[0]) bbox[0] = lon;
  if (lat < bbox[1]) bbox[1] = lat;
  if (lon > bbox[2]) bbox[2] = lon;
  if (lat > bbox[3]) bbox[3] = lat;
}

function grow<T extends Float64Array | Uint32Array>(array: T, length: number): T {
  const grown = new (array.constructor as new (length: number) => T)(length);
  grown.set(array);
  return grown;
}
