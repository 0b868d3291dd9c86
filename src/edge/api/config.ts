import { existsSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { MIN_API_KEY_LENGTH } from '../../runtime/store/api-keys.ts';

/**
 * The service's configuration, read from the environment once at start and checked whole: every
 * bad variable is named in one start-up error ("REQUEST_TIMEOUT_MS="2m": expected a whole number of
 * milliseconds"), instead of the first request failing an hour later.
 *
 * `CONFIG_VARIABLES` is the table docs/configuration.md shows (a test keeps them equal).
 */
export interface ServiceConfig {
  port: number;
  host: string;
  /** The default network file. */
  network: string;
  /** The default facilities file; undefined → the OSM network's own points of interest. */
  facilities?: string;
  networkCacheDir: string;
  bodyLimitBytes: number;
  logLevel: string;
  /** Node's `requestTimeout` (receiving a request) and fastify's `connectionTimeout` (an idle socket). */
  requestTimeoutMs: number;
  /** A worker task running longer is aborted and answered 503 TIMEOUT. */
  computeTimeoutMs: number;
  /** Bodies of this size or more are parsed and computed in a worker thread. */
  workerThresholdBytes: number;
  workerThreads: number;
  workerQueue: number;
  /** Each worker thread's V8 heap, MiB: a thread that needs more is stopped (422 LIMIT_EXCEEDED). */
  workerMemoryMb: number;
  /** Answers estimated (or found) larger are refused: 422 LIMIT_EXCEEDED. */
  maxAnswerBytes: number;
  /** Requests per minute per known API key (else per client IP); 0 turns rate limiting off. */
  rateLimitPerMinute: number;
  /** fastify's `trustProxy`: whose `X-Forwarded-For` gives the client IP. */
  trustProxy: boolean | number | string;
  /** Load shedding thresholds (0 = not checked). */
  maxEventLoopDelayMs: number;
  maxHeapUsedBytes: number;
  maxRssBytes: number;
  /** After SIGTERM: how long /ready answers 503 before the server stops accepting connections. */
  shutdownDelayMs: number;
  /** How long requests in flight may take to finish once closing, before their connections are cut. */
  shutdownTimeoutMs: number;
  /** A PostgreSQL server for datasets, jobs and runs; undefined → the embedded store in `dataDir`. Never logged (it may hold a password). */
  databaseUrl?: string;
  /** The embedded store's directory, and where network datasets' graph files are kept. */
  dataDir: string;
  /** How long a job runner's claim lasts without renewal: after a crash, its job is run again this much later. */
  jobLeaseMs: number;
  /** The API keys the service accepts: the truth at start, others disabled (store/api-keys.ts `syncApiKeys`); empty → left to `lifecircle keys`. */
  apiKeys: { name: string; key: string }[];
  /** Largest network upload (`POST /v1/datasets/networks`), spooled to disk as it arrives. */
  uploadLimitBytes: number;
  /** A dataset upload is read in a process of its own with at most this heap (MB)… */
  importMemoryMb: number;
  /** …for at most this long. */
  importTimeoutMs: number;
  /** Whether isochrones, travel times and coverage answer requests without an API key. */
  allowAnonymousCompute: boolean;
  /** The communities the map page opens with (GET /v1/defaults/communities); undefined → none. */
  communities?: string;
  /** A raw tile URL template (`{z}/{x}/{y}`) the map page draws under the roads; undefined → the roads alone. */
  tileUrl?: string;
  tileAttribution?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const MIB = 1024 * 1024;

const SAMPLE_NETWORK = 'data/sample/chengdu.osm.pbf';
/** Derived from the sample network by scripts/sample-communities.ts: it only fits that network. */
const SAMPLE_COMMUNITIES = 'data/sample/communities.geojson';

export interface ConfigVariable {
  name: string;
  /** The default as the README shows it. */
  default: string;
  description: string;
}

/** Every variable, its default and meaning: the README's configuration table. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  { name: 'PORT', default: '3000', description: 'TCP port (0: any free port)' },
  { name: 'HOST', default: '0.0.0.0', description: 'address to listen on' },
  { name: 'NETWORK', default: 'data/sample/chengdu.osm.pbf', description: 'default network: `.lcg`, `.geojson`, `.osm`, `.osm.gz`, `.osm.pbf`; compiled once and cached in `NETWORK_CACHE_DIR`; loaded after the server starts listening (`/ready` says when)' },
  { name: 'FACILITIES', default: 'the OSM network\'s points of interest', description: 'default facilities for `/v1/coverage`: GeoJSON, CSV, a zipped shapefile, or an OSM file\'s points of interest' },
  { name: 'NETWORK_CACHE_DIR', default: 'data/cache', description: 'where compiled networks are kept' },
  { name: 'BODY_LIMIT_MB', default: '64', description: 'largest request body (413 `BODY_TOO_LARGE` above)' },
  { name: 'LOG_LEVEL', default: 'info', description: 'pino level (`fatal` … `trace`, `silent`); logs are JSON lines, without request bodies or `authorization`/`x-api-key` headers' },
  { name: 'REQUEST_TIMEOUT_MS', default: '120000', description: 'time to receive a whole request, and longest idle socket (408 `REQUEST_TIMEOUT`); must exceed `COMPUTE_TIMEOUT_MS`' },
  { name: 'COMPUTE_TIMEOUT_MS', default: '60000', description: 'a request computed in a worker thread for longer is stopped (503 `TIMEOUT`)' },
  { name: 'WORKER_THRESHOLD_MB', default: '1', description: 'bodies of this size or more are parsed and computed in a worker thread (smaller ones too, when their estimated work is over a few milliseconds)' },
  { name: 'WORKER_THREADS', default: '2', description: 'worker threads at most (never more than the cores)' },
  { name: 'WORKER_QUEUE', default: '4', description: 'requests waiting for a worker thread before 503 `SERVER_BUSY`' },
  { name: 'WORKER_MEMORY_MB', default: '2048', description: 'heap of each worker thread; a request that needs more is stopped (422 `LIMIT_EXCEEDED`), the server lives on' },
  { name: 'MAX_ANSWER_MB', default: '64', description: 'largest answer: a request whose answer is estimated (or found) larger is refused (422 `LIMIT_EXCEEDED`, saying what to reduce)' },
  { name: 'RATE_LIMIT_PER_MINUTE', default: '600', description: 'requests per minute per known API key, else per client IP (no key, or one the store does not know: 401s count too); 429 `RATE_LIMITED` above; 0 = off' },
  { name: 'TRUST_PROXY', default: 'false', description: '`true`, a number of proxy hops, or addresses/CIDRs (comma-separated) whose `X-Forwarded-For` gives the client IP' },
  { name: 'MAX_EVENT_LOOP_DELAY_MS', default: '1000', description: 'load shedding: mean event-loop delay above which requests get 503 `SERVER_BUSY`; 0 = off' },
  { name: 'MAX_HEAP_USED_MB', default: '90% of the V8 heap limit', description: 'load shedding: heap in use above which requests get 503 `SERVER_BUSY`; 0 = off' },
  { name: 'MAX_RSS_MB', default: '0', description: 'load shedding: resident memory above which requests get 503 `SERVER_BUSY`; 0 = off' },
  { name: 'SHUTDOWN_DELAY_MS', default: '0', description: 'on SIGTERM, how long `/ready` answers 503 while requests are still served (give a load balancer time to notice)' },
  { name: 'SHUTDOWN_TIMEOUT_MS', default: '25000', description: 'then, how long requests in flight may take to finish before their connections are closed' },
  { name: 'DATABASE_URL', default: 'none', description: 'a PostgreSQL server for datasets, jobs and runs (`postgres://user:password@host/db`); without it, the embedded store in `DATA_DIR`' },
  { name: 'DATA_DIR', default: 'data/store', description: 'the embedded store (one process at a time), and the compiled graphs of network datasets; `memory://` for a throwaway store' },
  { name: 'API_KEYS', default: 'none', description: '`name:key,name:key`: the keys datasets, jobs and runs belong to (each at least 16 characters; `openssl rand -base64 32`); the truth at each start: stored keys it does not list are disabled (their data kept), listed again enabled; unset: keys managed with `lifecircle keys`' },
  { name: 'JOB_LEASE_MS', default: '30000', description: 'a job runner renews its claim on a job after every chunk; when a process dies, its job is run again once the claim is this old' },
  { name: 'UPLOAD_LIMIT_MB', default: '512', description: 'largest network upload (413 `BODY_TOO_LARGE` above); spooled to a temporary file, never held in memory' },
  { name: 'IMPORT_MEMORY_MB', default: '4096', description: 'each dataset upload is read (parsed, checked, compiled) in a process of its own with at most this heap; past it, 422 `LIMIT_EXCEEDED`' },
  { name: 'IMPORT_TIMEOUT_MS', default: '100000 (at most REQUEST_TIMEOUT_MS − 1000)', description: '…and stopped after this long (503 `TIMEOUT`); must be less than `REQUEST_TIMEOUT_MS`' },
  { name: 'ANONYMOUS_COMPUTE', default: 'true', description: '`false`: isochrones, travel times and coverage need an API key too (401 `UNAUTHORIZED`)' },
  { name: 'COMMUNITIES', default: `${SAMPLE_COMMUNITIES} with the sample network`, description: 'the communities the map page (`GET /`) opens with: GeoJSON, CSV or a zipped shapefile, served (as GeoJSON) at `/v1/defaults/communities`; none with another network unless set' },
  { name: 'TILE_URL', default: 'none', description: 'raster tiles the map page draws under the roads, e.g. `https://tiles.example.org/{z}/{x}/{y}.png`; without it the road network is the base map (no external server is contacted)' },
  { name: 'TILE_ATTRIBUTION', default: 'none', description: 'the tiles\' attribution, shown on the map beside the OpenStreetMap one' },
];

/** Reads and checks the configuration; throws a ConfigError naming every bad variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const config: ServiceConfig = {
    port: read.integer('PORT', 3000, { min: 0, max: 65535 }),
    host: read.string('HOST', '0.0.0.0'),
    network: read.file('NETWORK', SAMPLE_NETWORK),
    facilities: read.optionalFile('FACILITIES'),
    networkCacheDir: read.string('NETWORK_CACHE_DIR', 'data/cache'),
    bodyLimitBytes: Math.round(read.number('BODY_LIMIT_MB', 64, { min: 0.001 }) * MIB),
    logLevel: read.oneOf('LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    requestTimeoutMs: read.integer('REQUEST_TIMEOUT_MS', 120_000, { min: 1000 }),
    computeTimeoutMs: read.integer('COMPUTE_TIMEOUT_MS', 60_000, { min: 100 }),
    workerThresholdBytes: Math.round(read.number('WORKER_THRESHOLD_MB', 1, { min: 0 }) * MIB),
    workerThreads: read.integer('WORKER_THREADS', 2, { min: 1 }),
    workerQueue: read.integer('WORKER_QUEUE', 4, { min: 0 }),
    workerMemoryMb: read.integer('WORKER_MEMORY_MB', 2048, { min: 64 }),
    maxAnswerBytes: Math.round(read.number('MAX_ANSWER_MB', 64, { min: 0.001 }) * MIB),
    rateLimitPerMinute: read.integer('RATE_LIMIT_PER_MINUTE', 600, { min: 0 }),
    trustProxy: read.trustProxy('TRUST_PROXY'),
    maxEventLoopDelayMs: read.integer('MAX_EVENT_LOOP_DELAY_MS', 1000, { min: 0 }),
    maxHeapUsedBytes: Math.round(read.number('MAX_HEAP_USED_MB', defaultMaxHeapUsedBytes() / MIB, { min: 0 }) * MIB),
    maxRssBytes: Math.round(read.number('MAX_RSS_MB', 0, { min: 0 }) * MIB),
    shutdownDelayMs: read.integer('SHUTDOWN_DELAY_MS', 0, { min: 0 }),
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 25_000, { min: 0 }),
    databaseUrl: read.databaseUrl('DATABASE_URL'),
    dataDir: read.string('DATA_DIR', 'data/store'),
    jobLeaseMs: read.integer('JOB_LEASE_MS', 30_000, { min: 1_000 }),
    apiKeys: read.apiKeys('API_KEYS'),
    uploadLimitBytes: Math.round(read.number('UPLOAD_LIMIT_MB', 512, { min: 0.001 }) * MIB),
    importMemoryMb: read.integer('IMPORT_MEMORY_MB', 4096, { min: 16 }),
    importTimeoutMs: read.integer('IMPORT_TIMEOUT_MS', 100_000, { min: 100 }),
    allowAnonymousCompute: read.oneOf('ANONYMOUS_COMPUTE', 'true', ['true', 'false']) === 'true',
    communities: read.optionalFile('COMMUNITIES'),
    tileUrl: read.tileUrl('TILE_URL'),
    tileAttribution: read.optionalString('TILE_ATTRIBUTION'),
  };
  if (config.communities === undefined && config.network === SAMPLE_NETWORK && existsSync(SAMPLE_COMMUNITIES)) config.communities = SAMPLE_COMMUNITIES;
  // A compute may take COMPUTE_TIMEOUT_MS during which its socket is silent: a shorter idle-socket
  // timeout would cut the connection before the answer (or the 503 TIMEOUT) could be sent.
  if (!problems.some((p) => /^(REQUEST|COMPUTE)_TIMEOUT_MS/.test(p)) && config.computeTimeoutMs >= config.requestTimeoutMs) {
    problems.push(`COMPUTE_TIMEOUT_MS=${config.computeTimeoutMs}: expected less than REQUEST_TIMEOUT_MS (${config.requestTimeoutMs})`);
  }
  // The socket is silent while an upload is read, as while a request is computed (see above):
  // unset, the import clock keeps under a shorter REQUEST_TIMEOUT_MS by itself; set, it must.
  if (!env.IMPORT_TIMEOUT_MS?.trim()) config.importTimeoutMs = Math.max(100, Math.min(100_000, config.requestTimeoutMs - 1000));
  else if (!problems.some((p) => /^(REQUEST|IMPORT)_TIMEOUT_MS/.test(p)) && config.importTimeoutMs >= config.requestTimeoutMs) {
    problems.push(`IMPORT_TIMEOUT_MS=${config.importTimeoutMs}: expected less than REQUEST_TIMEOUT_MS (${config.requestTimeoutMs})`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}

/** 90% of V8's heap limit: shed load before the process runs out of heap and crashes. */
export function defaultMaxHeapUsedBytes(): number {
  return Math.round(getHeapStatistics().heap_size_limit * 0.9);
}

class EnvReader {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly problems: string[],
  ) {}

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  number(name: string, fallback: number, range: { min: number; max?: number }): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < range.min || (range.max !== undefined && value > range.max)) {
      return this.bad(name, raw, `expected a number ${describeRange(range)}`, fallback);
    }
    return value;
  }

  integer(name: string, fallback: number, range: { min: number; max?: number }): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < range.min || (range.max !== undefined && value > range.max)) {
      return this.bad(name, raw, `expected a whole number ${describeRange(range)}`, fallback);
    }
    return value;
  }

  oneOf(name: string, fallback: string, allowed: readonly string[]): string {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw)) return this.bad(name, raw, `expected one of ${allowed.join(', ')}`, fallback);
    return raw;
  }

  file(name: string, fallback: string): string {
    const path = this.raw(name) ?? fallback;
    if (!existsSync(path)) return this.bad(name, path, 'no such file', path);
    return path;
  }

  optionalFile(name: string): string | undefined {
    const path = this.raw(name);
    if (path !== undefined && !existsSync(path)) return this.bad(name, path, 'no such file', undefined);
    return path;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  /** An http(s) URL template with {z}, {x} and {y}: a typo shows at start, not as a blank map. */
  tileUrl(name: string): string | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (!/^https?:\/\/./.test(raw) || !['{z}', '{x}', '{y}'].every((part) => raw.includes(part))) {
      return this.bad(name, raw, 'expected an http(s) URL template with {z}, {x} and {y}', undefined);
    }
    return raw;
  }

  trustProxy(name: string): boolean | number | string {
    const raw = this.raw(name);
    if (raw === undefined || raw === 'false') return false;
    if (raw === 'true') return true;
    if (/^\d+$/.test(raw)) return Number(raw);
    // Addresses or CIDRs, checked loosely: a typo such as "yes" must not silently trust nobody.
    if (!raw.split(',').every((part) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(part.trim()))) {
      return this.bad(name, raw, 'expected true, false, a number of hops, or comma-separated addresses/CIDRs', false);
    }
    return raw;
  }

  /** A postgres:// URL; a bad one is named without echoing it (it may hold a password). */
  databaseUrl(name: string): string | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (!/^postgres(ql)?:\/\/./.test(raw)) {
      this.problems.push(`${name}: expected a postgres:// or postgresql:// URL (the value is not shown: it may hold a password)`);
      return undefined;
    }
    return raw;
  }

  /** `name:key,name:key`; problems name the key, never quote it. */
  apiKeys(name: string): { name: string; key: string }[] {
    const raw = this.raw(name);
    if (raw === undefined) return [];
    const keys: { name: string; key: string }[] = [];
    raw.split(',').forEach((entry, i) => {
      const at = entry.indexOf(':');
      const keyName = entry.slice(0, at).trim();
      const key = entry.slice(at + 1).trim();
      if (at <= 0 || keyName === '') this.problems.push(`${name}: entry ${i + 1}: expected name:key`);
      else if (key.length < MIN_API_KEY_LENGTH) this.problems.push(`${name}: key "${keyName}": got ${key.length} characters, expected at least ${MIN_API_KEY_LENGTH} (e.g. openssl rand -base64 32)`);
      else if (keys.some((k) => k.name === keyName)) this.problems.push(`${name}: key "${keyName}" is named twice`);
      else keys.push({ name: keyName, key });
    });
    return keys;
  }

  /** The variable's value; unset and empty are the same (a compose file's `VAR=` means "default"). */
  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  private bad<T>(name: string, raw: string, expected: string, fallback: T): T {
    this.problems.push(`${name}=${JSON.stringify(raw)}: ${expected}`);
    return fallback;
  }
}

function describeRange({ min, max }: { min: number; max?: number }): string {
  return max === undefined ? `≥ ${min}` : `from ${min} to ${max}`;
}
