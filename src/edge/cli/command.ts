import type { ParseArgsConfig } from 'node:util';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** One CLI command: its options (for node:util parseArgs), its help text and what it does. */
export interface Command {
  name: string;
  /** Full help: usage line, description, options. */
  help: string;
  options: OptionSpecs;
  /** Positional arguments it takes (the rest are a usage error). */
  positionals: number;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<void>;
}

/** Stderr is for people: progress and summaries never mix with the answer on stdout. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
