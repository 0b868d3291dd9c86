import { basename } from 'node:path';
import { writeGraphFile } from '../../../runtime/files/graph-file.ts';
import { readNetwork } from '../../../runtime/files/load-network.ts';
import type { Command } from '../command.ts';
import { note } from '../command.ts';
import { BadInputError } from '../errors.ts';
import { existingFile, numberOption, required } from '../io.ts';

export const importCommand: Command = {
  name: 'import',
  help: `usage: lifecircle import <network file> --out <graph.lcg> [--min-component-nodes N]

Reads a road network (.osm, .osm.gz, .osm.pbf, .geojson, or .lcg) and writes the compiled graph
file. Prints the import report as JSON on stdout and a one-line summary on stderr.

options:
  --out <file>                 graph file to write (required), e.g. chengdu.lcg
  --min-component-nodes <N>    drop connected pieces with fewer nodes (default: min(20, 1% of nodes))
  -h, --help                   this help`,
  options: {
    out: { type: 'string', short: 'o' },
    'min-component-nodes': { type: 'string' },
  },
  positionals: 1,
  async run(values, positionals) {
    const input = positionals[0];
    if (!input) throw new BadInputError('import: name the network file to import (see --help)');
    const out = required(values.out as string | undefined, '--out');
    if (!out.toLowerCase().endsWith('.lcg')) throw new BadInputError(`--out: got ${JSON.stringify(out)}, expected a file name ending in .lcg`);
    const minComponentNodes = numberOption(values['min-component-nodes'] as string | undefined, '--min-component-nodes');
    if (minComponentNodes !== undefined && !(Number.isInteger(minComponentNodes) && minComponentNodes >= 0)) {
      throw new BadInputError(`--min-component-nodes: got ${minComponentNodes}, expected a whole number ≥ 0`);
    }
    const started = performance.now();
    const graph = await readNetwork(existingFile(input, 'import'), minComponentNodes === undefined ? {} : { minComponentNodes });
    const { bytes } = writeGraphFile(out, graph);
    const report = graph.meta.report;
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const dropped = Object.values(report.linesDropped).reduce((a, b) => a + b, 0);
    note(
      `imported ${basename(input)}: ${report.nodes} nodes, ${report.edges} edges, ${report.lengthKm} km; ` +
        `largest component ${(report.components.largest.shareOfEdges * 100).toFixed(1)}% of edges; ` +
        `dropped ${dropped} lines, ${report.rejected} rejected, ${report.components.dropped.components} small pieces (${report.components.dropped.edges} edges) ` +
        `→ ${out} (${(bytes / 1e6).toFixed(1)} MB) in ${Math.round(performance.now() - started)} ms`,
    );
  },
};
