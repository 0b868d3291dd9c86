import type { OriginRule } from '../../core/coverage/home-origins.ts';
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { InputError } from '../../core/errors.ts';
import { crsFromName } from '../../core/geo/crs.ts';
import { detectFileFormat } from '../files/detect-file-format.ts';
import { MODES, type Mode } from '../../core/network/profiles.ts';
import { getStandard } from '../files/standards-catalogue.ts';
import { DEFAULTS } from '../requests/params.ts';

/**
 * The nightly command's configuration: one JSON file, validated against the schema below, every
 * error naming the field (`jobs[1].standards[0]: …`) or the file it points to. Paths are relative to
 * the config file, so a cron line can run it from anywhere. A value `"$NAME"` where a secret goes
 * (`databaseUrl`, `apiKey`) is read from the environment variable NAME, keeping passwords out of it.
 */
const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

const DatasetRef = Type.Object(
  {
    dataset: Type.String({ pattern: '^ds_', description: 'a stored dataset id (ds_…)' }),
    apiKey: Type.Optional(Type.String({ minLength: 1, description: 'the API key owning the dataset, or "$ENV_VAR" (default $LIFECIRCLE_API_KEY)' })),
  },
  { additionalProperties: false },
);

const Input = Type.Union([Type.String({ minLength: 1 }), DatasetRef], {
  description: 'a file path (relative to the config file) or {"dataset": "ds_…", "apiKey"?: "…"}',
});

const Distributed = Type.Object(
  {
    databaseUrl: Type.String({ minLength: 1, description: 'the PostgreSQL server of the queue (postgres://…, or "$DATABASE_URL")' }),
    gridKm: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'a positive number of km' })),
    timeoutMinutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'a positive number of minutes' })),
  },
  { additionalProperties: false, description: '{"databaseUrl": "postgres://…", "gridKm"?: 10}' },
);

const Job = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN, maxLength: 100, description: 'a name of letters, digits, ".", "_" and "-" (it names the output folder)' }),
    network: Input,
    communities: Input,
    facilities: Type.Optional(Input),
    declarations: Type.Optional(Input),
    homes: Type.Optional(Input),
    standards: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'a non-empty array of standard ids' })),
    mode: Type.Optional(Type.Union(MODES.map((m) => Type.Literal(m)), { description: `one of ${MODES.join(', ')}` })),
    minutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 180, description: 'a number of minutes greater than 0 and at most 180' })),
    speedKmh: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 200, description: 'a speed greater than 0 and at most 200 km/h' })),
    maxSnapM: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 5000, description: 'metres, greater than 0 and at most 5000' })),
    crs: Type.Optional(Type.String({ minLength: 1, description: 'a coordinate system such as "EPSG:4547", "gcj02" or "bd09"' })),
    detail: Type.Optional(Type.Union([Type.Literal('nearest'), Type.Literal('full')], { description: '"nearest" or "full"' })),
    metShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'a share of residents greater than 0 and at most 1' })),
    origin: Type.Optional(Type.Union([Type.Literal('homes'), Type.Literal('representative')], { description: '"homes" or "representative"' })),
    distributed: Type.Optional(Distributed),
  },
  { additionalProperties: false },
);

const Store = Type.Union(
  [
    Type.Object({ dataDir: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
    Type.Object({ databaseUrl: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  ],
  { description: '{"dataDir": "<folder>"} (embedded store) or {"databaseUrl": "postgres://…" or "$DATABASE_URL"}' },
);

const NightlyConfigSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ pattern: NAME_PATTERN, maxLength: 100, description: 'a name of letters, digits, ".", "_" and "-"' })),
    date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a date YYYY-MM-DD' })),
    outDir: Type.String({ minLength: 1, description: 'the folder the files go to' }),
    store: Type.Optional(Store),
    threads: Type.Optional(Type.Integer({ minimum: 1, maximum: 256, description: 'an integer from 1 to 256' })),
    jobs: Type.Array(Job, { minItems: 1, maxItems: 1000, description: 'a non-empty array of jobs' }),
  },
  { additionalProperties: false },
);

type RawConfig = Static<typeof NightlyConfigSchema>;
type RawJob = RawConfig['jobs'][number];

/** An input, resolved: a file (absolute path) or a stored dataset with the key that owns it. */
export type NightlyInput = { file: string } | { dataset: string; apiKey: string | undefined };

export interface NightlyJob {
  name: string;
  network: NightlyInput;
  communities: NightlyInput;
  /** The network's own points of interest when omitted (an OSM network file). */
  facilities: NightlyInput;
  /** Which programme and online items each community provides: a JSON or CSV file (UTF-8 or GBK), or a declarations dataset. */
  declarations?: NightlyInput;
  /** Where residents live: a GeoJSON file of points or buildings, or a homes dataset (default: OSM buildings, else a grid). */
  homes?: NightlyInput;
  /** Share of residents that makes an item met (default 0.8), and where they are measured from. */
  metShare?: number;
  origin?: OriginRule;
  /** Shipped standard ids; undefined: all of them. */
  standards: string[] | undefined;
  mode?: Mode;
  minutes?: number;
  speedKmh?: number;
  maxSnapM: number;
  /** The files' coordinate system where they have no crs member (src/core/geo/crs.ts); undefined: WGS84. */
  crs?: string;
  detail: 'nearest' | 'full';
  distributed?: { databaseUrl: string; gridKm?: number; timeoutMinutes?: number };
}

export interface NightlyConfig {
  /** Where it came from, for messages. */
  file: string;
  /** Names the nightly in the store (default "nightly"): several may share one. */
  name: string;
  date: string;
  outDir: string;
  store: { dataDir: string } | { databaseUrl: string };
  threads?: number;
  jobs: NightlyJob[];
}

export interface ReadConfigOptions {
  /** Overrides the config's date (`--date`). */
  date?: string;
  env?: NodeJS.ProcessEnv;
  /** "Today" for the default date (tests). */
  now?: Date;
}

/** Reads, validates and resolves a config file; any problem is an InputError naming the file and the field. */
export function readNightlyConfig(path: string, options: ReadConfigOptions = {}): NightlyConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError('INVALID_PARAMETER', `--config ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { where: 'config' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError('INVALID_PARAMETER', `--config ${path}: not valid JSON (${(err as Error).message})`, { where: 'config' });
  }
  return resolveNightlyConfig(raw, path, options);
}

/** Validates a parsed config; `file` names it in messages and anchors its relative paths. */
export function resolveNightlyConfig(raw: unknown, file: string, options: ReadConfigOptions = {}): NightlyConfig {
  const fail = (where: string, message: string) => new InputError('INVALID_PARAMETER', `${file}: ${where}: ${message}`, { where: 'config' });
  const crsOf = (value: string, where: string) => {
    try {
      return crsFromName(value, 'crs').id;
    } catch (err) {
      throw err instanceof InputError ? fail(where, err.message.replace(/^crs:\s*/, '')) : err;
    }
  };
  const error = Value.Errors(NightlyConfigSchema, raw).First();
  if (error) throw fail(fieldName(error.path), describeSchemaError(error.type, error.value, error.schema, error.message));
  const config = raw as RawConfig;
  const env = options.env ?? process.env;
  const base = dirname(resolve(file));
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const secret = (value: string, where: string): string => {
    if (!value.startsWith('$')) return value;
    const fromEnv = env[value.slice(1)];
    if (!fromEnv) throw fail(where, `${value}: the environment variable ${value.slice(1)} is not set`);
    return fromEnv;
  };

  const date = options.date ?? config.date ?? localDate(options.now ?? new Date());
  if (!isCalendarDate(date)) throw fail(options.date !== undefined ? '--date' : 'date', `got ${JSON.stringify(date)}, expected a date YYYY-MM-DD`);

  const names = new Set<string>();
  const jobs = config.jobs.map((job, i): NightlyJob => {
    const where = `jobs[${i}]`;
    if (names.has(job.name)) throw fail(`${where}.name`, `${JSON.stringify(job.name)} is already the name of another job, expected unique names`);
    names.add(job.name);
    const input = (value: RawJob['network'], field: string): NightlyInput => {
      if (typeof value !== 'string') return { dataset: value.dataset, apiKey: value.apiKey === undefined ? env.LIFECIRCLE_API_KEY : secret(value.apiKey, `${where}.${field}.apiKey`) };
      const path = at(value);
      checkFile(path, (message) => fail(`${where}.${field}`, `${value}: ${message}`));
      return { file: path };
    };
    const network = input(job.network, 'network');
    const facilities = job.facilities !== undefined ? input(job.facilities, 'facilities') : undefined;
    if (!facilities && !('file' in network && detectFileFormat(network.file) === 'osm')) {
      throw fail(`${where}.facilities`, 'missing, expected a facilities file or dataset (only an OSM network file has points of interest to use instead)');
    }
    job.standards?.forEach((id, k) => {
      try {
        getStandard(id, `${where}.standards[${k}]`);
      } catch (err) {
        throw err instanceof InputError ? fail(`${where}.standards[${k}]`, err.message.replace(/^[^:]*:\s*/, '')) : err;
      }
    });
    if (job.standards && new Set(job.standards).size !== job.standards.length) throw fail(`${where}.standards`, 'a standard is listed twice');
    return {
      name: job.name,
      network,
      communities: input(job.communities, 'communities'),
      facilities: facilities ?? network,
      ...(job.declarations !== undefined ? { declarations: input(job.declarations, 'declarations') } : {}),
      ...(job.homes !== undefined ? { homes: input(job.homes, 'homes') } : {}),
      ...(job.metShare !== undefined ? { metShare: job.metShare } : {}),
      ...(job.origin !== undefined ? { origin: job.origin } : {}),
      standards: job.standards,
      ...(job.mode !== undefined ? { mode: job.mode } : {}),
      ...(job.minutes !== undefined ? { minutes: job.minutes } : {}),
      ...(job.speedKmh !== undefined ? { speedKmh: job.speedKmh } : {}),
      maxSnapM: job.maxSnapM ?? DEFAULTS.maxSnapM,
      ...(job.crs !== undefined ? { crs: crsOf(job.crs, `${where}.crs`) } : {}),
      detail: job.detail ?? 'nearest',
      ...(job.distributed
        ? { distributed: { ...job.distributed, databaseUrl: secret(job.distributed.databaseUrl, `${where}.distributed.databaseUrl`) } }
        : {}),
    };
  });

  const outDir = at(config.outDir);
  const store =
    config.store === undefined
      ? { dataDir: resolve(outDir, 'store') }
      : 'dataDir' in config.store
        ? { dataDir: at(config.store.dataDir) }
        : { databaseUrl: secret(config.store.databaseUrl, 'store.databaseUrl') };
  return { file, name: config.name ?? 'nightly', date, outDir, store, ...(config.threads !== undefined ? { threads: config.threads } : {}), jobs };
}


/** `nightly 2026-03-01`, or `nightly guangdong 2026-03-01` for a named one: how messages name a run. */
export function nightlyLabel(name: string, date: string): string {
  return name === 'nightly' ? `nightly ${date}` : `nightly ${name} ${date}`;
}

/** Today in the machine's time zone, as YYYY-MM-DD: what "tonight's run" means to a cron job. */
function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

function checkFile(path: string, fail: (message: string) => Error): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch (err) {
    throw fail(`cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!isFile) throw fail('is not a file');
}

/** `/jobs/0/standards/1` → `jobs[0].standards[1]`. */
function fieldName(path: string): string {
  const parts = path.split('/').slice(1);
  if (parts.length === 0) return 'the config';
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** "got X, expected Y" from TypeBox's error: the schema's description says what is expected. */
function describeSchemaError(type: ValueErrorType, value: unknown, schema: TSchema, message: string): string {
  const expected = (schema.description as string | undefined) ?? message.replace(/^Expected /, '').replace(/^Unexpected property$/, 'no such field');
  if (type === ValueErrorType.ObjectRequiredProperty) return `missing, expected ${expected}`;
  if (type === ValueErrorType.ObjectAdditionalProperties) return 'unknown field (see the config format in docs/nightly.md)';
  const shown = value === undefined ? 'nothing' : JSON.stringify(value);
  return `got ${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown}, expected ${expected}`;
}
