import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, defaultMaxHeapUsedBytes, readConfig } from '../../src/edge/api/config.ts';
import { ERROR_CATALOGUE } from '../../src/edge/api/errors.ts';

const MIB = 1024 * 1024;
/** Every setting, in the configuration guide the README links to. */
const CONFIGURATION = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
/** The API guide, where the error table lives (the README links to it). */
const API_DOC = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

/** The rows of the first table after `heading` in a Markdown document, as arrays of cells. */
function tableAfter(doc: string, name: string, heading: RegExp): string[][] {
  const from = doc.search(heading);
  expect(from, `${name} has ${heading}`).toBeGreaterThan(-1);
  const lines = doc.slice(from).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
  }
  return rows;
}

describe('readConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(readConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      network: 'data/sample/chengdu.osm.pbf',
      facilities: undefined,
      networkCacheDir: 'data/cache',
      bodyLimitBytes: 64 * MIB,
      logLevel: 'info',
      requestTimeoutMs: 120_000,
      computeTimeoutMs: 60_000,
      workerThresholdBytes: MIB,
      workerThreads: 2,
      workerQueue: 4,
      workerMemoryMb: 2048,
      maxAnswerBytes: 64 * MIB,
      rateLimitPerMinute: 600,
      trustProxy: false,
      maxEventLoopDelayMs: 1000,
      maxHeapUsedBytes: expect.closeTo(defaultMaxHeapUsedBytes(), -1),
      maxRssBytes: 0,
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 25_000,
      databaseUrl: undefined,
      dataDir: 'data/store',
      jobLeaseMs: 30_000,
      apiKeys: [],
      uploadLimitBytes: 512 * MIB,
      importMemoryMb: 4096,
      importTimeoutMs: 100_000,
      allowAnonymousCompute: true,
      // The map page's communities come with the sample network only: they fit no other.
      communities: 'data/sample/communities.geojson',
      tileUrl: undefined,
      tileAttribution: undefined,
    });
    expect(readConfig({ NETWORK: 'data/sample/origins.geojson' }).communities).toBeUndefined();
  });

  it('reads the map page\'s tiles, checking the URL template', () => {
    expect(readConfig({ TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png', TILE_ATTRIBUTION: '© Example' })).toMatchObject({ tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png', tileAttribution: '© Example' });
    expect(() => readConfig({ TILE_URL: 'tiles.example.org/{z}/{x}/{y}.png' })).toThrow('TILE_URL="tiles.example.org/{z}/{x}/{y}.png": expected an http(s) URL template with {z}, {x} and {y}');
    expect(() => readConfig({ COMMUNITIES: 'nope.geojson' })).toThrow('COMMUNITIES="nope.geojson": no such file');
  });

  it('reads each variable; empty means the default', () => {
    const config = readConfig({
      PORT: '8080', HOST: '127.0.0.1', NETWORK: 'data/sample/origins.geojson', FACILITIES: 'data/sample/targets.geojson', BODY_LIMIT_MB: '0.5',
      LOG_LEVEL: 'warn', REQUEST_TIMEOUT_MS: '30000', COMPUTE_TIMEOUT_MS: '20000', RATE_LIMIT_PER_MINUTE: '0', TRUST_PROXY: '2',
      MAX_HEAP_USED_MB: '0', MAX_RSS_MB: '512', WORKER_THRESHOLD_MB: '', SHUTDOWN_DELAY_MS: '5000',
    });
    expect(config).toMatchObject({
      port: 8080, host: '127.0.0.1', network: 'data/sample/origins.geojson', facilities: 'data/sample/targets.geojson', bodyLimitBytes: MIB / 2,
      logLevel: 'warn', requestTimeoutMs: 30_000, computeTimeoutMs: 20_000, rateLimitPerMinute: 0, trustProxy: 2,
      maxHeapUsedBytes: 0, maxRssBytes: 512 * MIB, workerThresholdBytes: MIB, shutdownDelayMs: 5000,
    });
    expect(readConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(readConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
  });

  it('names every bad variable in one start-up error', () => {
    const bad = { PORT: '70000', BODY_LIMIT_MB: 'lots', LOG_LEVEL: 'loud', REQUEST_TIMEOUT_MS: '2m', RATE_LIMIT_PER_MINUTE: '-1', NETWORK: 'nope.osm.pbf', TRUST_PROXY: 'yes' };
    let error: unknown;
    try {
      readConfig(bad);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.split('\n')).toEqual([
      'invalid configuration:',
      '  PORT="70000": expected a whole number from 0 to 65535',
      '  NETWORK="nope.osm.pbf": no such file',
      '  BODY_LIMIT_MB="lots": expected a number ≥ 0.001',
      '  LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent',
      '  REQUEST_TIMEOUT_MS="2m": expected a whole number ≥ 1000',
      '  RATE_LIMIT_PER_MINUTE="-1": expected a whole number ≥ 0',
      '  TRUST_PROXY="yes": expected true, false, a number of hops, or comma-separated addresses/CIDRs',
    ]);
  });

  it('wants the compute timeout shorter than the request timeout (an idle socket would be cut first)', () => {
    expect(() => readConfig({ REQUEST_TIMEOUT_MS: '60000' })).toThrow('COMPUTE_TIMEOUT_MS=60000: expected less than REQUEST_TIMEOUT_MS (60000)');
    // The same for reading an upload; unset, it keeps under a shorter request timeout by itself.
    expect(() => readConfig({ IMPORT_TIMEOUT_MS: '120000' })).toThrow('IMPORT_TIMEOUT_MS=120000: expected less than REQUEST_TIMEOUT_MS (120000)');
    expect(readConfig({ REQUEST_TIMEOUT_MS: '30000', COMPUTE_TIMEOUT_MS: '20000' }).importTimeoutMs).toBe(29_000);
  });
});

describe('the documentation', () => {
  it("docs/configuration.md's table lists every variable with its default", () => {
    const rows = tableAfter(CONFIGURATION, 'docs/configuration.md', /^# Configuration$/m);
    expect(rows.map(([name, fallback]) => [name.replace(/`/g, ''), fallback.replace(/`/g, '')])).toEqual(CONFIG_VARIABLES.map((v) => [v.name, v.default]));
  });

  it("docs/api.md's error table lists every code of the catalogue with its status", () => {
    const rows = tableAfter(API_DOC, 'docs/api.md', /^## Errors$/m);
    const statusOf = new Map<string, number>();
    for (const [status, codes] of rows) for (const code of codes.match(/`[A-Z_]+`/g) ?? []) statusOf.set(code.replace(/`/g, ''), Number(status));
    expect(Object.fromEntries(statusOf)).toEqual(Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, e]) => [code, e.status])));
  });
});
