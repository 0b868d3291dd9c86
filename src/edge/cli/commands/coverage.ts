import { readFileSync } from 'node:fs';
import { InputError } from '../../../core/errors.ts';
import { type Crs, crsFromName } from '../../../core/geo/crs.ts';
import { type FacilitiesRead, readFacilities } from '../../../core/facilities/read-facilities.ts';
import { coverageCsv, coverageGeoJson } from '../../../core/coverage/outputs.ts';
import { coverageAssumptions } from '../../../runtime/requests/coverage-answer.ts';
import type { StandardSummary } from '../../../core/coverage/summary.ts';
import { detectFileFormat } from '../../../runtime/files/detect-file-format.ts';
import { readNetwork } from '../../../runtime/files/load-network.ts';
import { type PointKind, readPointSetFile } from '../../../runtime/files/read-point-set.ts';
import { type OsmPoisRead, readOsmPois } from '../../../core/io/osm/read-pois.ts';
import { type CoverageResponse, coverage } from '../../../runtime/requests/coverage.ts';
import { getStandard, resolveStandards } from '../../../runtime/files/standards-catalogue.ts';
import type { Command } from '../command.ts';
import { note } from '../command.ts';
import { BadInputError } from '../errors.ts';
import { existingFile, numberOption, readJsonFile, required, writeOutput } from '../io.ts';
import { warn } from './point-errors.ts';
import { fileBytes } from '../../../runtime/files/file-bytes.ts';

const FORMATS = ['json', 'geojson', 'csv'] as const;
type Format = (typeof FORMATS)[number];

export const coverageCommand: Command = {
  name: 'coverage',
  help: `usage: lifecircle coverage --network <file> --communities <file> [--facilities <file>] [options]

Assesses each residential community against life-service-circle standards (by default the four
Guangzhou 2020 ones: urban communities by the 15-minute walk, rural ones by the 30-minute e-bike
ride): which facilities it reaches by network travel time, item by item, and the city summary
against the targets. Writes the report as JSON (the POST /v1/coverage answer), a GeoJSON map of
the communities coloured by the share of items met, or a CSV table (one row per community ×
standard × item, UTF-8 with a byte-order mark for Excel). A one-line summary goes to stderr.

Communities or facilities that cannot be read are warnings, listed in "errors" of the JSON report;
the run fails (exit 2) only if no community can be assessed.

options:
  --network <file>        .lcg (fast), .osm.pbf, .osm, or .geojson road network (required)
  --communities <file>    GeoJSON FeatureCollection of Points, Polygons... with properties.type
                          urban | rural (see docs/api.md), CSV with lon/lat columns, a zipped
                          shapefile (.zip, reprojected from its .prj), or an OSM file (.osm,
                          .osm.gz, .osm.pbf): its closed
                          landuse=residential ways become communities, all urban
                          (OSM does not say which are villages) (required)
  --facilities <file>     GeoJSON FeatureCollection with properties.category (or OSM tags, or an
                          Amap type), CSV, a zipped shapefile, or an OSM file: its points of
                          interest, read through the built-in OSM mapping. Default: the
                          network's, when it is an OSM file
  --standards <ids>       shipped standards to assess, comma-separated (default: all of them), e.g.
                          guangzhou-2020-urban-basic,guangzhou-2020-rural-basic
  --standard <file>       your own standard as JSON (one, or an array), in the shape of
                          data/standards/*.json; with --standards, both are assessed
  --mode <mode>           walk, bike, ebike or car, for every standard (default: each standard's)
  --minutes <n>           time budget for every standard (default: each standard's)
  --speed-kmh <n>         cruising speed instead of the mode's default
  --max-snap-m <n>        a community farther than this from a usable road is not assessed (default 500)
  --homes <file>          GeoJSON, CSV or a zipped shapefile of points or buildings where residents
                          live (properties.community, population);
                          default: the OSM network's residential buildings, else a grid inside each polygon
  --declarations <file>   programme items provided, as JSON rows or CSV (UTF-8 or GBK):
                          community,item,provided[,source,date] (or 社区,指标,是否提供,来源,日期)
  --met-share <share>     share of residents that must reach an item for it to be met (default 0.8)
  --origin <rule>         homes (default) or representative (the one-point rule, for comparison)
  --crs <crs>             coordinates of communities, facilities and homes without a crs member or .prj:
                          wgs84 (default), EPSG:4547 (any EPSG code of docs/api.md), gcj02 (Amap,
                          Tencent) or bd09 (Baidu); OSM files are always WGS84
  --format <format>       json, geojson or csv (default: from the --out extension, else json)
  --out <file>            write here instead of stdout
  -h, --help              this help`,
  options: {
    network: { type: 'string' },
    communities: { type: 'string' },
    facilities: { type: 'string' },
    standards: { type: 'string' },
    standard: { type: 'string' },
    mode: { type: 'string' },
    minutes: { type: 'string' },
    'speed-kmh': { type: 'string' },
    'max-snap-m': { type: 'string' },
    homes: { type: 'string' },
    declarations: { type: 'string' },
    'met-share': { type: 'string' },
    origin: { type: 'string' },
    crs: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
  },
  positionals: 0,
  async run(values) {
    const str = (name: string) => values[name] as string | undefined;
    const out = str('out');
    const network = existingFile(required(str('network'), '--network'), '--network');
    const communitiesFile = existingFile(required(str('communities'), '--communities'), '--communities');
    const facilitiesFile = facilitiesOption(str('facilities'), network);
    const crs = crsOption(str('crs'));
    const format = formatOption(str('format'), out);
    const standards = standardsOption(str('standards'));
    const standardFile = str('standard');
    const standard = standardFile === undefined ? undefined : readJsonFile(standardFile, '--standard');
    // Every file of points in any format (src/runtime/files/read-point-set.ts); an OSM file named twice is read once.
    const pois = osmPoisOnce();
    const readInput = (path: string, kind: PointKind, option: string) =>
      asBadInput(() => readPointSetFile(path, kind, { what: `${option} ${path}`, crsGiven: crs !== undefined, osmPois: pois }));
    // Checked before the network is loaded, which takes seconds for a city: a typo fails at once.
    await withFileNamed(async () => resolveStandards(standards, standard), { standard: `--standard ${standardFile}` });
    const body = {
      ...(standards ? { standards } : {}),
      ...(standard !== undefined ? { standard } : {}),
      mode: str('mode'),
      minutes: numberOption(str('minutes'), '--minutes'),
      speedKmh: numberOption(str('speed-kmh'), '--speed-kmh'),
      maxSnapM: numberOption(str('max-snap-m'), '--max-snap-m'),
      metShare: numberOption(str('met-share'), '--met-share'),
      origin: str('origin'),
      ...(str('homes') !== undefined ? { homes: (await readInput(existingFile(str('homes')!, '--homes'), 'homes', '--homes')).collection } : {}),
      ...(str('declarations') !== undefined ? { declarations: declarationsFile(existingFile(str('declarations')!, '--declarations')) } : {}),
    };

    const communities = await readInput(communitiesFile, 'communities', '--communities');
    const facilities = withFileNamed(
      async () => {
        const read = await readInput(facilitiesFile, 'facilities', '--facilities');
        return readFacilities(read.collection, read.osm ? {} : { crs });
      },
      { facilities: `--facilities ${facilitiesFile}` },
    );
    const [facilitiesRead, graph] = await Promise.all([facilities, readNetwork(network)]);
    // An OSM network brings its residential buildings: homes are placed in them, as the server does.
    const buildings = detectFileFormat(network) === 'osm' ? (await pois(network)).buildings : undefined;

    const started = performance.now();
    // Facilities go in already read (as a server's default set): the request's `crs` then applies
    // to the communities alone, so GeoJSON in GCJ-02 and OSM in WGS84 can be mixed either way.
    const { response: answered, communities: read } = await withFileNamed(
      async () => coverage({ ...body, communities: communities.collection, crs: communities.osm ? 'wgs84' : str('crs') }, { defaultGraph: graph, defaultFacilities: facilitiesRead.facilities, ...(buildings ? { defaultBuildings: buildings } : {}), unlimited: true }),
      { communities: `--communities ${communitiesFile}`, standard: `--standard ${standardFile}` },
    );
    const response: CoverageResponse = { ...answered, errors: { ...answered.errors, facilities: facilitiesRead.errors }, unmappedFacilities: facilitiesRead.unmapped };
    reportProblems(response, facilitiesRead);

    // As the API's files: every community (the unreadable ones with their error) and the assumptions.
    const extras = { notAssessed: response.errors.communities, assumptions: coverageAssumptions(response) };
    const text =
      format === 'csv' ? coverageCsv(response, extras)
      : format === 'geojson' ? `${JSON.stringify(coverageGeoJson(response, read, { ...extras, members: { inputs: response.inputs, assessment: response.assessment, errors: response.errors } }))}\n`
      : `${JSON.stringify(response)}\n`;
    writeOutput(text, out);
    note(`${summaryLine(response)}; ${Math.round(performance.now() - started)} ms${out ? ` → ${out}` : ''}`);
  },
};

/**
 * `coverage: 186 communities (186 urban, 0 rural), 670 facilities; meeting each standard:
 * guangzhou-2020-urban-basic (walk 15 min) 12/186 = 6.5% vs target 90%, 41% of items met on average;
 * guangzhou-2020-rural-basic (ebike 30 min) no rural communities; …; 0 community errors`
 */
function summaryLine(response: CoverageResponse): string {
  const { total, urban, rural } = response.summary.communities;
  const travel = new Map(response.standards.map((s) => [s.id, `${s.mode} ${s.minutes} min`]));
  const standards = response.summary.standards.map((s) => `${s.standardId} (${travel.get(s.standardId)}) ${standardShare(s, meanItemShare(response, s.standardId))}`);
  const errors = response.errors.communities.length;
  return (
    `coverage: ${total} communities (${urban} urban, ${rural} rural), ${response.facilities.count} facilities; ` +
    `meeting each standard: ${standards.join('; ')}; ${errors} community ${errors === 1 ? 'error' : 'errors'}`
  );
}

/** `12/186 = 6.5% vs target 90%, 41% of items met on average`. */
function standardShare(s: StandardSummary, meanShare: number): string {
  const notAssessed = s.notAssessed.length > 0 ? `, ${s.notAssessed.length} not assessed` : '';
  if (s.communities === 0) return `no ${s.communityType} communities${notAssessed}`;
  const target = s.target ? ` vs target ${percent(s.target.share)}` : ' (no target)';
  // A standard is met only with every item: the mean share of items says how far off the rest are.
  return `${s.passing}/${s.communities} = ${percent(s.share)}${target}, ${percent(meanShare)} of items met on average${notAssessed}`;
}

function meanItemShare(response: CoverageResponse, standardId: string): number {
  let sum = 0;
  let count = 0;
  for (const community of response.communities) {
    const result = community.standards.find((s) => s.standardId === standardId);
    if (result) (sum += result.share), count++;
  }
  return count === 0 ? 0 : sum / count;
}

function percent(share: number): string {
  return `${+(share * 100).toFixed(1)}%`;
}

/** Reads each OSM file's points of interest and residential areas once, however many options name it. */
function osmPoisOnce(): (path: string) => Promise<OsmPoisRead> {
  const read = new Map<string, Promise<OsmPoisRead>>();
  return (path) => {
    let pois = read.get(path);
    if (!pois) read.set(path, (pois = readOsmPois(fileBytes(path))));
    return pois;
  };
}

function facilitiesOption(value: string | undefined, network: string): string {
  if (value !== undefined) return existingFile(value, '--facilities');
  if (detectFileFormat(network) === 'osm') return network;
  throw new BadInputError('--facilities is required when --network is not an OSM file (a .lcg or GeoJSON network has no points of interest)');
}

/** A declarations file: JSON rows when it parses as a JSON array, else the CSV's bytes (UTF-8 or GBK, read by the core). */
function declarationsFile(path: string): unknown {
  const bytes = readFileSync(path);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('[')) return readJsonFile(path, '--declarations');
  return bytes;
}

/** Input errors about a file the user named are bad input (exit 2), their message as it is. */
async function asBadInput<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw err instanceof InputError ? new BadInputError(err.message) : err;
  }
}

/** Undefined when not given: each file's own crs member, else WGS84, then applies. */
function crsOption(value: string | undefined): Crs | undefined {
  if (value === undefined) return undefined;
  try {
    return crsFromName(value, '--crs');
  } catch (err) {
    throw err instanceof InputError ? new BadInputError(err.message) : err;
  }
}

function formatOption(value: string | undefined, out: string | undefined): Format {
  if (value === undefined) {
    const extension = out?.toLowerCase().match(/\.(csv|geojson)$/)?.[1];
    return (extension as Format | undefined) ?? 'json';
  }
  if (!(FORMATS as readonly string[]).includes(value)) throw new BadInputError(`--format: got ${JSON.stringify(value)}, expected one of ${FORMATS.join(', ')}`);
  return value as Format;
}

/** `a,b` → ['a', 'b'], each a shipped standard: an unknown id names the known ones (and a close match). */
function standardsOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((id) => id.trim());
  if (ids.some((id) => id === '')) throw new BadInputError(`--standards: got ${JSON.stringify(value)}, expected standard ids separated by commas`);
  for (const id of ids) {
    try {
      getStandard(id, '--standards');
    } catch (err) {
      if (err instanceof InputError) throw new BadInputError(err.message);
      throw err;
    }
  }
  return ids;
}

/**
 * Core errors about an input name the request field (`standard.items[0]…`, `communities: got …`);
 * on the command line, the option and file say more: `--standard my.json: items[0]…`.
 */
async function withFileNamed<T>(run: () => Promise<T>, files: Record<string, string>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof InputError) || err.where === undefined) throw err;
    const field = /^[A-Za-z]+/.exec(err.where)?.[0];
    const named = field === undefined ? undefined : files[field];
    if (named === undefined || !err.message.startsWith(field!)) throw err;
    const rest = err.message.slice(field!.length).replace(/^[.:]\s*/, '');
    throw new BadInputError(`${named}: ${rest}`);
  }
}

const LISTED = 10;

/** Communities and facilities left out or not assessed: a few named on stderr, all of them in the JSON report. */
function reportProblems(response: CoverageResponse, facilities: FacilitiesRead): void {
  const unassessed = response.communities.filter((c) => c.error).map((c) => c.error!);
  const problems = [...response.errors.communities.map((e) => `communities ${e.message}`), ...unassessed];
  if (response.communities.length === unassessed.length) {
    const first = problems[0] ?? 'none given';
    throw new BadInputError(`no community could be assessed: ${first}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
  }
  for (const problem of problems.slice(0, LISTED)) warn(problem);
  if (problems.length > LISTED) warn(`… and ${problems.length - LISTED} more communities left out or not assessed (see "errors" and "error" in the JSON report)`);
  if (facilities.errors.length > 0) {
    warn(`${facilities.errors.length} facilities could not be read, e.g. ${facilities.errors[0].message}`);
  }
  if (response.facilities.unplaced.length > 0) {
    const first = response.facilities.unplaced[0];
    warn(`${response.facilities.unplaced.length} facilities are too far from a usable road to be reached, e.g. ${first.id}: ${first.error}`);
  }
}
