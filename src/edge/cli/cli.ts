/**
 * The command line's commands, and running one: what `main.ts` runs for the process, and tests run in
 * theirs (a test about the process itself spawns main.ts).
 */
import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { BadInputError, EXIT, describeFailure } from './errors.ts';

/** Loaded on demand: a command pays only for the modules it uses (isochrones pulls in turf). */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  import: {
    summary: 'compile a network file into a graph file (.lcg) for the server and the other commands',
    load: async () => (await import('./commands/import.ts')).importCommand,
  },
  isochrones: {
    summary: 'areas (or road lines) reachable from each origin within each time budget, as GeoJSON',
    load: async () => (await import('./commands/isochrones.ts')).isochronesCommand,
  },
  'travel-times': {
    summary: 'for each origin, the targets reachable within a time budget, with minutes and metres',
    load: async () => (await import('./commands/travel-times.ts')).travelTimesCommand,
  },
  coverage: {
    summary: 'which everyday facilities each community reaches within its life-service circle, against the standards',
    load: async () => (await import('./commands/coverage.ts')).coverageCommand,
  },
  siting: {
    summary: 'where to build next: the candidate sites that bring an item to the most residents, exactly or with a bound',
    load: async () => (await import('./commands/siting.ts')).sitingCommand,
  },
  nightly: {
    summary: 'recompute coverage of the configured cities for a date: store, files, what changed (resumable, once per date)',
    load: async () => (await import('./commands/nightly.ts')).nightlyCommand,
  },
  keys: {
    summary: 'list, add or revoke the API keys of the server\'s store (DATABASE_URL or DATA_DIR)',
    load: async () => (await import('./commands/keys.ts')).keysCommand,
  },
  worker: {
    summary: 'compute partitions of distributed coverage runs from the PostgreSQL queue (until stopped)',
    load: async () => (await import('./commands/worker.ts')).workerCommand,
  },
};

const USAGE = `usage: lifecircle <command> [options]     (npm run cli -- <command> ...)

commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`).join('\n')}

Run \`lifecircle <command> --help\` for its options.`;

/** Runs one command line (without node and the script) and returns the exit code; writes to stdout and stderr. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process[name === undefined ? 'stderr' : 'stdout'].write(`${USAGE}\n`);
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  try {
    if (!Object.hasOwn(COMMANDS, name)) throw new BadInputError(`unknown command ${JSON.stringify(name)}: expected one of ${Object.keys(COMMANDS).join(', ')} (see --help)`);
    const command = await COMMANDS[name].load();
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${command.help}\n`);
      return EXIT.ok;
    }
    if (positionals.length > command.positionals) {
      throw new BadInputError(`${command.name}: unexpected argument ${JSON.stringify(positionals[command.positionals])} (see --help)`);
    }
    await command.run(values, positionals);
    return EXIT.ok;
  } catch (err) {
    const { message, exitCode } = describeFailure(err);
    process.stderr.write(`error: ${message}\n`);
    if (exitCode === EXIT.failure && process.env.LIFECIRCLE_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return exitCode;
  }
}
