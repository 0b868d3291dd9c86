import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sql } from '../../src/runtime/store/index.ts';
import { sharedStore } from '../helpers/store.ts';
import { mulberry32 } from '../helpers/random-network.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES } from '../helpers/small-town.ts';
import { fc, testApp, town, townNetwork } from './helpers.ts';

/*
 * A seeded mutation fuzzer over every endpoint: valid requests (the town network inline, datasets on
 * an in-memory store) are mutated at random — a member dropped, a value replaced by one of another
 * type or out of range, NUL and lone surrogates in strings, deep nesting, truncated or flipped bytes,
 * odd content types and query strings — and every answer must be a coded answer below 500 (or a
 * 503 that says to retry), with the server answering /health and a good request afterwards.
 *
 * The count is bounded (not the time): FUZZ_CASES cases per endpoint, FUZZ_SEED to replay a failure.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const CASES = Number(process.env.FUZZ_CASES ?? 80);
const KEY = 'fuzz-test-key-0123456789abcdef';
/** 503 answers a client is told to retry; anything else at 500 or over is a bug. */
const RETRYABLE = new Set(['SERVER_BUSY', 'NOT_READY', 'TIMEOUT', 'STORE_UNAVAILABLE']);

const dir = mkdtempSync(join(tmpdir(), 'lifecircle-fuzz-'));
let sql: Sql;
let app: FastifyInstance;
beforeAll(async () => {
  sql = await sharedStore();
  app = testApp({
    bodyLimitBytes: 400_000,
    store: sql,
    dataDir: dir,
    apiKeys: [{ name: 'fuzzer', key: KEY }],
    runJobs: false,
    uploadLimitBytes: 400_000,
    protection: { rateLimitPerMinute: 1_000_000 },
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const A = town.point('A', town.at('a'));
const E = town.point('E', town.at('e'));
const [ex, ey] = town.at('e');
const D = 0.0005;
const community = {
  type: 'Feature',
  properties: { id: 'c1', name: '小区', type: 'urban', population: 1200 },
  geometry: { type: 'Polygon', coordinates: [[[ex, ey], [ex + D, ey], [ex + D, ey + D], [ex, ey + D], [ex, ey]]] },
};

/** One valid request per compute endpoint: the fuzzer's starting points. */
const SEEDS: { url: string; body: Record<string, unknown> }[] = [
  { url: '/v1/isochrones', body: { network: townNetwork, origins: fc(A, E), minutes: [2, 4], mode: 'walk' } },
  { url: '/v1/isochrones', body: { network: townNetwork, origins: fc(A), minutes: [3], output: 'lines' } },
  { url: '/v1/travel-times', body: { network: townNetwork, origins: fc(A), targets: fc(E), maxMinutes: 5 } },
  { url: '/v1/route', body: { network: townNetwork, origins: fc(A), targets: fc(E), maxMinutes: 10 } },
  { url: '/v1/coverage', body: { network: townNetwork, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD, communities: fc(community as any) } },
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Values of every kind, the nasty ones included. */
function oddValue(rand: () => number): Json {
  const pick = Math.floor(rand() * 22);
  switch (pick) {
    case 0: return null;
    case 1: return true;
    case 2: return -1;
    case 3: return 0;
    case 4: return 1e308;
    case 5: return -1e-300;
    case 6: return 2 ** 53 + 1;
    case 7: return '';
    case 8: return 'a\u0000b';
    case 9: return '\ud800';
    case 10: return 'x\udfffy';
    case 11: return 'é'.repeat(2000);
    case 12: return [];
    case 13: return {};
    case 14: return [1, 2, 3];
    case 15: return { type: 'FeatureCollection', features: [] };
    case 16: return { type: 'Feature', geometry: null, properties: null };
    case 17: return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } } as unknown as Json;
    case 18: return deep(200 + Math.floor(rand() * 3000));
    case 19: return 'ds_' + Math.floor(rand() * 1e9).toString(36);
    case 20: return [[[Number.NaN as unknown as number]]];
    default: return Math.floor(rand() * 10_000) - 5_000;
  }
}

function deep(depth: number): Json {
  let v: Json = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Every path into a JSON value (iteratively: the seeds are small, but no recursion on data). */
function paths(root: Json): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: { v: Json; p: (string | number)[] }[] = [{ v: root, p: [] }];
  while (stack.length) {
    const { v, p } = stack.pop()!;
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, p: [...p, i] }));
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) stack.push({ v: v[k], p: [...p, k] });
  }
  return out;
}

function mutate(body: Json, rand: () => number): Json {
  const copy = structuredClone(body) as Json;
  const all = paths(copy).filter((p) => p.length > 0);
  const times = 1 + Math.floor(rand() * 3);
  for (let t = 0; t < times && all.length; t++) {
    const path = all[Math.floor(rand() * all.length)];
    let parent: any = copy;
    for (const step of path.slice(0, -1)) parent = parent?.[step];
    if (parent === null || typeof parent !== 'object') continue;
    const last = path[path.length - 1];
    const what = rand();
    if (what < 0.2 && !Array.isArray(parent)) delete parent[last];
    else if (what < 0.3 && Array.isArray(parent)) parent.push(...Array.from({ length: 1 + Math.floor(rand() * 5) }, () => structuredClone(parent[0] ?? null)));
    else if (what < 0.35) parent[`extra${Math.floor(rand() * 10)}`] = oddValue(rand);
    else parent[last] = oddValue(rand);
  }
  return copy;
}

/** The text of a mutated body, sometimes broken as bytes rather than as JSON. */
function mutatedText(body: Json, rand: () => number): string {
  const text = JSON.stringify(mutate(body, rand));
  const what = rand();
  if (what < 0.08) return text.slice(0, Math.floor(rand() * text.length));
  if (what < 0.14) {
    const i = Math.floor(rand() * text.length);
    return text.slice(0, i) + String.fromCharCode(Math.floor(rand() * 128)) + text.slice(i + 1);
  }
  if (what < 0.17) return `{"a":${'['.repeat(5000)}1${']'.repeat(5000)}}`;
  if (what < 0.2) return text.replace(/"[^"]{1,12}"/, '"\\u0000"');
  return text;
}

/** Percent-encoding that lets lone surrogates through as the (invalid) UTF-8 bytes an attacker would send. */
function enc(value: string): string {
  return value.split(/([\ud800-\udfff])/).map((part) => (/^[\ud800-\udfff]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part))).join('');
}

const CONTENT_TYPES = ['application/json', 'application/geo+json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'text/csv', 'application/zip'];

/** Answers by class, per test: a fuzzer whose every case is refused at parsing tests little. */
const tally = { ok: 0, refused: 0 };

function checkAnswer(res: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string): void {
  if (res.statusCode < 300) tally.ok++;
  else if (res.statusCode < 500) tally.refused++;
  if (res.statusCode < 500) return;
  let code: string | undefined;
  try {
    code = JSON.parse(res.body).code;
  } catch {
    code = undefined;
  }
  expect(res.statusCode === 503 && code !== undefined && RETRYABLE.has(code), `${what}: ${res.statusCode} ${res.body.slice(0, 300)}`).toBe(true);
}

async function stillAlive(): Promise<void> {
  const health = await app.inject({ method: 'GET', url: '/health' });
  expect(health.statusCode).toBe(200);
  const good = await app.inject({ method: 'POST', url: '/v1/isochrones', payload: SEEDS[0].body });
  expect(good.statusCode, good.body.slice(0, 300)).toBe(200);
}

describe(`seeded mutation fuzzing (FUZZ_SEED=${SEED}, ${CASES} cases per endpoint)`, () => {
  for (const [n, seed] of SEEDS.entries()) {
    it(`${seed.url} #${n}: no 5xx, server alive`, { timeout: 120_000 }, async () => {
      const valid = await app.inject({ method: 'POST', url: seed.url, payload: seed.body });
      expect(valid.statusCode, `the unmutated seed: ${valid.body.slice(0, 300)}`).toBe(200);
      const rand = mulberry32(SEED + n);
      Object.assign(tally, { ok: 0, refused: 0 });
      for (let i = 0; i < CASES; i++) {
        const payload = mutatedText(seed.body as Json, rand);
        const contentType = rand() < 0.9 ? 'application/json' : CONTENT_TYPES[Math.floor(rand() * CONTENT_TYPES.length)];
        const query = rand() < 0.1 ? `?format=${enc(String(oddValue(rand)))}` : '';
        const accept = rand() < 0.2 ? ['text/csv', 'application/geo+json', '*/*', 'image/png', ''][Math.floor(rand() * 5)] : 'application/json';
        const res = await app.inject({ method: 'POST', url: seed.url + query, payload, headers: { 'content-type': contentType, accept } });
        checkAnswer(res, `case ${i} ${seed.url}${query} (${contentType}): ${payload.slice(0, 200)}`);
      }
      // Some mutants are computed (a mutation the service tolerates), most refused: both paths ran.
      expect(tally.ok, 'mutants answered 2xx').toBeGreaterThanOrEqual(CASES / 20);
      expect(tally.refused, 'mutants refused 4xx').toBeGreaterThanOrEqual(CASES / 4);
      await stillAlive();
    });
  }

  it('stored datasets, jobs and runs: no 5xx, server alive', { timeout: 120_000 }, async () => {
    const rand = mulberry32(SEED + 100);
    const headers = { 'x-api-key': KEY };
    const uploads: { path: string; body: Json }[] = [
      { path: 'facilities', body: TOWN_FACILITIES as Json },
      { path: 'communities', body: fc(community as any) as unknown as Json },
      { path: 'networks', body: townNetwork as unknown as Json },
    ];
    const ids: string[] = [];
    Object.assign(tally, { ok: 0, refused: 0 });
    for (const u of uploads) {
      const res = await app.inject({ method: 'POST', url: `/v1/datasets/${u.path}`, payload: JSON.stringify(u.body), headers: { ...headers, 'content-type': 'application/json' } });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
      ids.push(res.json().id);
    }
    for (let i = 0; i < CASES; i++) {
      const u = uploads[Math.floor(rand() * uploads.length)];
      const payload = mutatedText(u.body, rand);
      const q = rand() < 0.3 ? `?name=${enc(String(oddValue(rand)).slice(0, 300))}&crs=${enc(String(oddValue(rand)).slice(0, 30))}` : '';
      // One case in four uploads: each upload is read in an import process (a fork when no spare is
      // ready), the rest is cheap.
      const res = i % 4 ? { statusCode: 200, body: '', headers: {} } : await app.inject({ method: rand() < 0.8 ? 'POST' : 'PUT', url: rand() < 0.8 ? `/v1/datasets/${u.path}${q}` : `/v1/datasets/${ids[Math.floor(rand() * ids.length)]}${q}`, payload, headers: { ...headers, 'content-type': CONTENT_TYPES[Math.floor(rand() * 3)] } });
      checkAnswer(res, `upload case ${i} ${u.path}: ${payload.slice(0, 200)}`);
      const job = mutate({ communities: ids[1], facilities: ids[0], network: ids[2], standard: SMALL_TOWN_STANDARD as unknown as Json, minutes: 5 }, rand);
      const jres = await app.inject({ method: 'POST', url: '/v1/jobs', payload: JSON.stringify(job), headers: { ...headers, 'content-type': 'application/json' } });
      checkAnswer(jres, `job case ${i}: ${JSON.stringify(job).slice(0, 200)}`);
      const id = String(oddValue(rand));
      for (const url of [`/v1/datasets/${enc(id)}`, `/v1/jobs/${enc(id)}`, `/v1/runs/${enc(id)}`, `/v1/runs/${enc(id)}/diff/${enc(id)}`, `/v1/standards/${enc(id)}`, `/v1/datasets?kind=${enc(id)}`, `/v1/jobs?state=${enc(id)}`]) {
        const res2 = await app.inject({ method: 'GET', url, headers });
        checkAnswer(res2, `GET ${url}`);
      }
    }
    expect(tally.ok, 'answered 2xx').toBeGreaterThanOrEqual(CASES / 20);
    expect(tally.refused, 'refused 4xx').toBeGreaterThanOrEqual(CASES / 4);
    await stillAlive();
  });
});
