import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../core/errors.ts';
import type { Standard } from '../../core/standards/types.ts';
import { didYouMean, validateStandard } from '../../core/standards/validate.ts';

/**
 * The standards shipped in `data/standards/*.json` (Guangzhou's four 2020 annexes), read and
 * validated once, on first use, and frozen. Requests name them by id, or bring their own.
 *
 * This is the one module under src/core/standards that reads files: the catalogue is data that ships with
 * the code, found next to it (relative to this module, not the working directory).
 */
const STANDARDS_FOLDER = fileURLToPath(new URL('../../../data/standards/', import.meta.url));

/** Every shipped standard, in the order of the source's annexes (then by id). */
export function listStandards(): readonly Standard[] {
  return [...catalogue().values()];
}

/** A shipped standard by id; an unknown id is an InputError naming the known ones. */
export function getStandard(id: string, where = 'standard'): Standard {
  const standard = catalogue().get(id);
  if (standard) return standard;
  const known = [...catalogue().keys()];
  throw new InputError(
    'INVALID_PARAMETER',
    `${where}: ${JSON.stringify(id)} is not a known standard${didYouMean(id, known)}; the standards are ${known.join(', ')}`,
    { where },
  );
}

/**
 * The standards a request asks for: shipped ones by id and/or its own (one standard or an array,
 * validated here). With neither, every shipped standard. Ids must be unique across both, so that
 * results can be reported by standard id.
 */
export function resolveStandards(ids?: string[], custom?: unknown): Standard[] {
  if (ids === undefined && custom === undefined) return [...listStandards()];
  const resolved: Standard[] = [];
  const from = new Map<string, string>();
  const add = (standard: Standard, where: string) => {
    const earlier = from.get(standard.id);
    if (earlier !== undefined) {
      throw new InputError('INVALID_PARAMETER', `${where}: standard ${JSON.stringify(standard.id)} is already given by ${earlier}`, { where });
    }
    from.set(standard.id, where);
    resolved.push(standard);
  };
  if (ids !== undefined) {
    if (!Array.isArray(ids)) throw new InputError('INVALID_PARAMETER', `standards: expected an array of standard ids`, { where: 'standards' });
    ids.forEach((id, i) => {
      const where = `standards[${i}]`;
      if (typeof id !== 'string') throw new InputError('INVALID_PARAMETER', `${where}: got ${typeof id}, expected a standard id`, { where });
      add(getStandard(id, where), where);
    });
  }
  if (custom !== undefined) {
    const list = Array.isArray(custom) ? custom : [custom];
    list.forEach((input, i) => {
      const where = Array.isArray(custom) ? `standard[${i}]` : 'standard';
      const standard = validateStandard(input, where);
      if (catalogue().has(standard.id)) {
        throw new InputError(
          'INVALID_PARAMETER',
          `${where}.id: ${JSON.stringify(standard.id)} is the id of a shipped standard; give your own standard another id`,
          { where },
        );
      }
      add(standard, where);
    });
  }
  if (resolved.length === 0) throw new InputError('INVALID_PARAMETER', 'standards: none given, expected at least one standard', { where: 'standards' });
  return resolved;
}

let loaded: Map<string, Standard> | undefined;

function catalogue(): Map<string, Standard> {
  loaded ??= loadFolder(STANDARDS_FOLDER);
  return loaded;
}

/** A broken shipped file is a bug in this repository, not bad input: plain Errors naming the file. */
function loadFolder(folder: string): Map<string, Standard> {
  const standards = new Map<string, Standard>();
  const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
  for (const file of files) {
    const where = `data/standards/${file}`;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(folder + file, 'utf8'));
    } catch (err) {
      throw new Error(`${where}: not valid JSON (${(err as Error).message})`);
    }
    let standard: Standard;
    try {
      standard = validateStandard(json, where);
    } catch (err) {
      throw new Error((err as Error).message, { cause: err });
    }
    if (`${standard.id}.json` !== file) throw new Error(`${where}: id ${JSON.stringify(standard.id)} does not match the file name`);
    standards.set(standard.id, deepFreeze(standard));
  }
  if (standards.size === 0) throw new Error(`no standards found in ${folder}`);
  const order = (s: Standard) => s.source?.annex ?? Infinity;
  const sorted = [...standards.values()].sort((a, b) => order(a) - order(b) || (a.id < b.id ? -1 : 1));
  return new Map(sorted.map((s) => [s.id, s]));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
