/**
 * The real OSM extracts in `../shared/data` (next to the repository), and the counts their
 * SOURCE.md documents (computed with osmium). Missing data fails the tests: a skipped test would
 * hide that the readers were never run on real files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** Absolute path of a file in the shared data folder; throws a clear error if it is absent. */
export function dataFile(relative: string): string {
  const path = SHARED_DATA + relative;
  if (!existsSync(path)) {
    throw new Error(
      `test data missing: ${path} not found. The real OSM extracts are expected in ../shared/data ` +
        `relative to the repository root (one folder per city, each with SOURCE.md).`,
    );
  }
  return path;
}

export interface DocumentedCounts {
  nodes: number;
  ways: number;
  relations: number;
  highwayWays: number;
  /** Bounding box of all node coordinates: [minLon, minLat, maxLon, maxLat]. */
  nodeBbox: [number, number, number, number];
  /** SOURCE.md says every node referenced by a way is present (`osmium check-refs`: 0 missing). */
  refsComplete: boolean;
}

/** Parses the "Statistics" lines of `<city>/SOURCE.md`. */
export function documentedCounts(city: string): DocumentedCounts {
  const text = readFileSync(dataFile(`${city}/SOURCE.md`), 'utf8');
  const match = (re: RegExp): RegExpMatchArray => {
    const m = text.match(re);
    if (!m) throw new Error(`${city}/SOURCE.md: no line matching ${re}`);
    return m;
  };
  const [, nodes, ways, relations] = match(/Nodes: (\d+); ways: (\d+); relations: (\d+)/);
  const [, highwayWays] = match(/Ways with a `highway` tag: (\d+)/);
  const [, bbox] = match(/Bounding box of all node coordinates in file[^:]*: \(([^)]+)\)/);
  return {
    nodes: Number(nodes),
    ways: Number(ways),
    relations: Number(relations),
    highwayWays: Number(highwayWays),
    nodeBbox: bbox.split(',').map(Number) as [number, number, number, number],
    refsComplete: /check-refs[^\n]*?(: |reports )0 missing/.test(text),
  };
}
