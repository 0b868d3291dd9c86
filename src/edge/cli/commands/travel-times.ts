import { readNetwork } from '../../../runtime/files/load-network.ts';
import { travelTimes } from '../../../runtime/requests/travel-times.ts';
import type { Command } from '../command.ts';
import { note } from '../command.ts';
import { existingFile, numberOption, readJsonFile, required, writeOutput } from '../io.ts';
import { reportPointErrors, warn } from './point-errors.ts';

export const travelTimesCommand: Command = {
  name: 'travel-times',
  help: `usage: lifecircle travel-times --network <file> --origins <points.geojson> --targets <points.geojson> --max-minutes 15 [options]

Writes JSON: { mode, speedKmh, maxMinutes, origins: [ { id, snapDistanceM, error?, reachable: [ { targetId,
minutes, meters } ] } ] }, nearest target first. Origins or targets that cannot be placed on the network
are reported on stderr and in the answer; the run fails (exit 2) only if no origin can.

options:
  --network <file>        .lcg (fast), .osm.pbf, .osm, or .geojson road network (required)
  --origins <file>        GeoJSON FeatureCollection of Points, properties.id names them (required)
  --targets <file>        GeoJSON FeatureCollection of Points (required)
  --max-minutes <n>       time budget in minutes (required)
  --mode <mode>           walk (default), bike, ebike or car
  --speed-kmh <n>         cruising speed instead of the mode's default
  --max-snap-m <n>        a point farther than this from a usable road is an error (default 500)
  --out <file>            write here instead of stdout
  -h, --help              this help`,
  options: {
    network: { type: 'string' },
    origins: { type: 'string' },
    targets: { type: 'string' },
    'max-minutes': { type: 'string' },
    mode: { type: 'string' },
    'speed-kmh': { type: 'string' },
    'max-snap-m': { type: 'string' },
    out: { type: 'string', short: 'o' },
  },
  positionals: 0,
  async run(values) {
    const str = (name: string) => values[name] as string | undefined;
    const body = {
      origins: readJsonFile(required(str('origins'), '--origins'), '--origins'),
      targets: readJsonFile(required(str('targets'), '--targets'), '--targets'),
      maxMinutes: numberOption(required(str('max-minutes'), '--max-minutes'), '--max-minutes'),
      mode: str('mode'),
      speedKmh: numberOption(str('speed-kmh'), '--speed-kmh'),
      maxSnapM: numberOption(str('max-snap-m'), '--max-snap-m'),
    };
    const graph = await readNetwork(existingFile(required(str('network'), '--network'), '--network'));
    const started = performance.now();
    const answer = travelTimes(body, { defaultGraph: graph });
    const failed = answer.origins.filter((o) => o.error);
    reportPointErrors(failed.map((o) => o.error!), answer.origins.length - failed.length, 'origins');
    for (const t of answer.targetErrors) warn(t.error);
    writeOutput(`${JSON.stringify(answer, null, 2)}\n`, str('out'));
    const pairs = answer.origins.reduce((n, o) => n + o.reachable.length, 0);
    note(
      `travel-times: ${answer.origins.length} origins, ${pairs} reachable origin-target pairs within ${answer.maxMinutes} min, ` +
        `${answer.mode} at ${answer.speedKmh} km/h, ${failed.length} origin and ${answer.targetErrors.length} target errors, ` +
        `${Math.round(performance.now() - started)} ms${str('out') ? ` → ${str('out')}` : ''}`,
    );
  },
};
