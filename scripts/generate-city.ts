/**
 * Writes a seeded synthetic city (near Guangzhou) for benchmarks:
 *
 *   npx tsx scripts/generate-city.ts --edges 1000000 --pois 50000 --communities 10000 --seed 42 --out /tmp/city
 *
 * Files in --out: network.geojson (LineString road segments with OSM-style tags), facilities.geojson,
 * communities.geojson, origins.geojson. Every file is streamed to disk; the same options give
 * byte-identical files. Prints a one-line JSON summary.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCity } from './lib/city.ts';
import { writeFeatureCollection } from './lib/geojson-stream.ts';

const USAGE = `usage: npx tsx scripts/generate-city.ts [--edges N] [--pois N] [--communities N] [--origins N] [--seed S] --out DIR

  --edges        road segments to generate (default 1000000; result within 1%)
  --pois         facility points (default 50000)
  --communities  communities (default 10000)
  --origins      benchmark origin points (default 1000)
  --seed         integer or string (default 42)
  --out          output directory (created if missing)`;

function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: got ${JSON.stringify(value)}, expected a non-negative integer`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      edges: { type: 'string' },
      pois: { type: 'string' },
      communities: { type: 'string' },
      origins: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.out) throw new Error('--out is required');
  const seedText = values.seed ?? '42';
  const seed = /^\d+$/.test(seedText) && Number(seedText) <= 0xffffffff ? Number(seedText) : seedText;

  const started = process.hrtime.bigint();
  const city = generateCity({
    edges: intOption('edges', values.edges, 1_000_000),
    pois: intOption('pois', values.pois, 50_000),
    communities: intOption('communities', values.communities, 10_000),
    origins: intOption('origins', values.origins, 1000),
    seed,
  });
  mkdirSync(values.out, { recursive: true });
  const files: Record<string, number> = {};
  let bytes = 0;
  const layers = [
    ['network.geojson', city.network()],
    ['facilities.geojson', city.facilities()],
    ['communities.geojson', city.communities()],
    ['origins.geojson', city.origins()],
  ] as const;
  for (const [file, features] of layers) {
    const result = await writeFeatureCollection(join(values.out, file), features);
    files[file] = result.bytes;
    bytes += result.bytes;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const s = city.stats;
  console.log(
    JSON.stringify({
      out: values.out,
      seed: city.options.seed,
      edges: s.edges,
      vertices: s.vertices,
      pois: city.options.pois,
      communities: city.options.communities,
      origins: city.options.origins,
      grid: [s.gridColumns, s.gridRows],
      extentM: s.extentM,
      removedEdges: s.removedEdges,
      bridges: s.bridges,
      interchanges: s.interchanges,
      oneway: s.oneway,
      highways: s.highways,
      bytes,
      files,
      seconds: Math.round(seconds * 100) / 100,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  console.error(USAGE);
  process.exitCode = 1;
});
