#!/usr/bin/env node
/**
 * The command line: `npm run cli -- <command> [options]` (from the source, through tsx), or built
 * (`npm run build`) `node dist/edge/cli/main.js`, the package's `lifecircle` bin.
 * Answers go to stdout (or --out), people-facing notes to stderr. Exit codes: 0 done, 2 bad input or
 * usage (one clear line, no stack trace), 1 anything else.
 */
import { runCli } from './cli.ts';
import { EXIT } from './errors.ts';

// A closed pipe (`... | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2));
