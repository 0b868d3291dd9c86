import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { BadInputError } from './errors.ts';

/** Reads a JSON (GeoJSON) file named by an option; a missing or broken file is a usage error. */
export function readJsonFile(path: string, option: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BadInputError(`${option} ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadInputError(`${option} ${path}: not valid JSON (${(err as Error).message})`);
  }
}

/** Checks that an input file named by an option exists, so that a typo is bad input (exit 2), not a crash. */
export function existingFile(path: string, option: string): string {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch (err) {
    throw new BadInputError(`${option} ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!isFile) throw new BadInputError(`${option} ${path}: is not a file`);
  return path;
}

/** Writes the answer to `--out`, or to stdout without it. */
export function writeOutput(text: string, out: string | undefined): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

export function required(value: string | undefined, option: string): string {
  if (value === undefined || value === '') throw new BadInputError(`${option} is required (see --help)`);
  return value;
}

/** An optional number option. Anything but a plain number is refused here; ranges are the core's check. */
export function numberOption(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  return parseNumber(value, option);
}

/** `5,10,15` → [5, 10, 15]. */
export function numberListOption(value: string, option: string): number[] {
  return value.split(',').map((part) => parseNumber(part.trim(), option));
}

function parseNumber(text: string, option: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) throw new BadInputError(`${option}: got ${JSON.stringify(text)}, expected a number`);
  return Number(text);
}
