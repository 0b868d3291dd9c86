import type { LineSink, RawLine, RejectedInput } from '../../src/core/network/raw-line.ts';

/** Keeps what a reader sends, for assertions. */
export class CollectingSink implements LineSink {
  readonly lines: RawLine[] = [];
  readonly rejected: RejectedInput[] = [];

  addLine(line: RawLine): void {
    this.lines.push(line);
  }

  reject(rejected: RejectedInput): void {
    this.rejected.push(rejected);
  }
}

/** A line with plain arrays, so that `toEqual` compares values whatever the array types. */
export function plainLine(line: RawLine): { ref: string; coords: number[]; nodeIds?: number[]; tags: RawLine['tags']; lengthM?: number } {
  return {
    ref: line.ref,
    coords: Array.from(line.coords),
    ...(line.nodeIds === undefined ? {} : { nodeIds: Array.from(line.nodeIds) }),
    tags: line.tags,
    ...(line.lengthM === undefined ? {} : { lengthM: line.lengthM }),
  };
}
