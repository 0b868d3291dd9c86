import { availableParallelism } from 'node:os';
import { readNetwork } from '../../../runtime/files/load-network.ts';
import { sitingCsv, sitingGeoJson } from '../../../runtime/requests/siting-answer.ts';
import { type SitingResponse, siting } from '../../../runtime/requests/siting.ts';
import type { Command } from '../command.ts';
import { note } from '../command.ts';
import { BadInputError } from '../errors.ts';
import { existingFile, numberOption, readJsonFile, required, writeOutput } from '../io.ts';

export const sitingCommand: Command = {
  name: 'siting',
  help: `usage: lifecircle siting --network <file> --communities <file> --facilities <file> (--item <id> --standard <id|file> | --categories <ids>) (--candidates <file> | --grid <m>) (--k <n> | --target-share <s> | --budget <n>) [options]

Where to build next: the candidate sites that bring the item to the most residents (or communities),
in order of choice, each with what it adds; exactly (a mixed-integer program, HiGHS) or greedily with a
proven bound. The same answer as POST /v1/siting (docs/api.md: Siting).

options:
  --network <file>        .lcg, .osm.pbf, .osm or .geojson road network (required)
  --communities <file>    GeoJSON communities (required)
  --facilities <file>     GeoJSON existing facilities with properties.category (required)
  --homes <file>          GeoJSON homes (default: a grid inside each polygon)
  --item <id>             the place item to site, e.g. public-11, with --standard
  --standard <id|file>    a built-in standard id, or a standard's JSON file
  --categories <ids>      instead of --item: facility categories, comma-separated
  --candidates <file>     GeoJSON candidate sites (points or parcels; optional cost, capacity)
  --grid <m>              instead of --candidates: points along the network this far apart
  --k <n>                 how many new sites
  --target-share <s>      the fewest sites until this share is served (0–1)
  --budget <n>            at most this summed candidate cost
  --objective <o>         residents (default) or communities
  --method <m>            auto (default), exact or greedy
  --time-limit <s>        exact's time limit in seconds (default 10)
  --mode <mode>           walk, bike, ebike or car (default: the standard's)
  --minutes <n>           time budget (default: the standard's, else 15)
  --met-share <share>     share of residents that makes an item met (default 0.8)
  --crs <crs>             coordinates of GeoJSON inputs without a crs member (default wgs84)
  --format <format>       json (default), geojson or csv
  --out <file>            write here instead of stdout
  -h, --help              this help`,
  options: {
    network: { type: 'string' },
    communities: { type: 'string' },
    facilities: { type: 'string' },
    homes: { type: 'string' },
    item: { type: 'string' },
    standard: { type: 'string' },
    categories: { type: 'string' },
    candidates: { type: 'string' },
    grid: { type: 'string' },
    k: { type: 'string' },
    'target-share': { type: 'string' },
    budget: { type: 'string' },
    objective: { type: 'string' },
    method: { type: 'string' },
    'time-limit': { type: 'string' },
    mode: { type: 'string' },
    minutes: { type: 'string' },
    'met-share': { type: 'string' },
    crs: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
  },
  positionals: 0,
  async run(values) {
    const str = (name: string) => values[name] as string | undefined;
    const json = (name: string) => readJsonFile(existingFile(str(name)!, `--${name}`), `--${name}`);
    const format = str('format') ?? 'json';
    if (!['json', 'geojson', 'csv'].includes(format)) throw new BadInputError(`--format: got ${JSON.stringify(format)}, expected json, geojson or csv`);
    if ((str('candidates') === undefined) === (str('grid') === undefined)) throw new BadInputError('send one of --candidates <file> or --grid <metres>');
    const standard = str('standard');
    const body: Record<string, unknown> = {
      communities: readJsonFile(existingFile(required(str('communities'), '--communities'), '--communities'), '--communities'),
      facilities: readJsonFile(existingFile(required(str('facilities'), '--facilities'), '--facilities'), '--facilities'),
      ...(str('homes') !== undefined ? { homes: json('homes') } : {}),
      ...(str('item') !== undefined ? { item: str('item') } : {}),
      ...(standard !== undefined ? { standard: standard.endsWith('.json') ? json('standard') : standard } : {}),
      ...(str('categories') !== undefined ? { categories: str('categories')!.split(',').map((c) => c.trim()) } : {}),
      candidates: str('grid') !== undefined ? { grid: numberOption(str('grid'), '--grid') } : json('candidates'),
      k: numberOption(str('k'), '--k'),
      targetShare: numberOption(str('target-share'), '--target-share'),
      budget: numberOption(str('budget'), '--budget'),
      objective: str('objective'),
      method: str('method'),
      timeLimitSeconds: numberOption(str('time-limit'), '--time-limit'),
      mode: str('mode'),
      minutes: numberOption(str('minutes'), '--minutes'),
      metShare: numberOption(str('met-share'), '--met-share'),
      crs: str('crs'),
    };
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    const graph = await readNetwork(existingFile(required(str('network'), '--network'), '--network'));
    const started = performance.now();
    // A city's candidates are searched on every core; a small network's in this thread (threads cost ~0.5 s to start).
    const threads = graph.edgeCount >= 50_000 ? availableParallelism() : 1;
    const { response } = await siting(body, { defaultGraph: graph, unlimited: true }, { threads });
    const answer = response as SitingResponse;
    const text = format === 'csv' ? sitingCsv(answer) : format === 'geojson' ? `${JSON.stringify(sitingGeoJson(answer))}\n` : `${JSON.stringify(answer)}\n`;
    writeOutput(text, str('out'));
    const bound = answer.optimal ? 'optimal' : answer.bound ? `bound ${answer.bound.share} (${answer.bound.kind})` : 'no bound';
    note(
      `siting: ${answer.sites.length} sites (${answer.method}, ${bound}); residents served ${answer.before.populationShare} → ${answer.after.populationShare}, ` +
        `communities meeting ${answer.before.communityShare} → ${answer.after.communityShare}; ${Math.round(performance.now() - started)} ms${str('out') ? ` → ${str('out')}` : ''}`,
    );
    for (const n of answer.notes) note(`note: ${n}`);
  },
};
