import { readNetwork } from '../../../runtime/files/load-network.ts';
import { isochrones } from '../../../runtime/requests/isochrones.ts';
import type { Command } from '../command.ts';
import { note } from '../command.ts';
import { existingFile, numberListOption, numberOption, readJsonFile, required, writeOutput } from '../io.ts';
import { reportPointErrors } from './point-errors.ts';

export const isochronesCommand: Command = {
  name: 'isochrones',
  help: `usage: lifecircle isochrones --network <file> --origins <points.geojson> --minutes 5,10,15 [options]

Writes a GeoJSON FeatureCollection: one feature per origin and budget (properties originId, minutes,
mode, areaM2 or lengthM) plus each snapped origin, and the per-origin errors. Origins that cannot be
placed on the network are reported on stderr and in "errors"; the run fails (exit 2) only if none can.

options:
  --network <file>        .lcg (fast), .osm.pbf, .osm, or .geojson road network (required)
  --origins <file>        GeoJSON FeatureCollection of Points, properties.id names them (required)
  --minutes <list>        time budgets in minutes, comma-separated (required), e.g. 5,10,15
  --mode <mode>           walk (default), bike, ebike or car
  --speed-kmh <n>         cruising speed instead of the mode's default
  --output <kind>         polygons (default) or lines (the reachable road network)
  --off-network-m <n>     how far one may walk off a reached road to count an area reached (default 100)
  --max-snap-m <n>        an origin farther than this from a usable road is an error (default 500)
  --out <file>            write here instead of stdout
  -h, --help              this help`,
  options: {
    network: { type: 'string' },
    origins: { type: 'string' },
    minutes: { type: 'string' },
    mode: { type: 'string' },
    'speed-kmh': { type: 'string' },
    output: { type: 'string' },
    'off-network-m': { type: 'string' },
    'max-snap-m': { type: 'string' },
    out: { type: 'string', short: 'o' },
  },
  positionals: 0,
  async run(values) {
    const str = (name: string) => values[name] as string | undefined;
    const body = {
      origins: readJsonFile(required(str('origins'), '--origins'), '--origins'),
      minutes: numberListOption(required(str('minutes'), '--minutes'), '--minutes'),
      mode: str('mode'),
      speedKmh: numberOption(str('speed-kmh'), '--speed-kmh'),
      output: str('output'),
      offNetworkM: numberOption(str('off-network-m'), '--off-network-m'),
      maxSnapM: numberOption(str('max-snap-m'), '--max-snap-m'),
    };
    const graph = await readNetwork(existingFile(required(str('network'), '--network'), '--network'));
    const started = performance.now();
    const answer = isochrones(body, { defaultGraph: graph });
    const originCount = new Set(answer.features.filter((f) => f.properties?.kind === 'snapped-origin').map((f) => f.properties?.originId)).size;
    reportPointErrors(answer.errors.map((e) => e.error), originCount, 'origins');
    writeOutput(`${JSON.stringify(answer)}\n`, str('out'));
    const shapes = answer.features.length - originCount;
    note(
      `isochrones: ${originCount} origins answered × ${answer.minutes.length} budgets → ${shapes} ${answer.output}, ` +
        `${answer.mode} at ${answer.speedKmh} km/h, ${answer.errors.length} origin errors, ` +
        `${Math.round(performance.now() - started)} ms${str('out') ? ` → ${str('out')}` : ''}`,
    );
  },
};
