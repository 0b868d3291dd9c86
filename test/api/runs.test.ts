import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAssumptions } from '../../src/edge/api/run-exports.ts';
import { runJsonStream } from '../../src/edge/api/run-stream.ts';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { type CoverageReport, computeCoverage } from '../../src/core/coverage/coverage.ts';
import { diffRuns } from '../../src/core/coverage/diff.ts';
import { coverageCsv, coverageGeoJson } from '../../src/core/coverage/outputs.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { encodePiece } from '../../src/runtime/jobs/piece-codec.ts';
import { resolveStandards } from '../../src/runtime/files/standards-catalogue.ts';
import {
  type Queryable,
  type Run,
  type Sql,
  claimNextJob,
  completeJob,
  enqueueJob,
  findApiKeyByKey,
  getRun,
  storeRunPiece,
} from '../../src/runtime/store/index.ts';
import { sharedStore } from '../helpers/store.ts';
import { graphOf } from '../helpers/build.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { problemIn, testApp } from './helpers.ts';

/*
 * Runs read back streamed, piece by piece: the whole answer in each format is the very answer the
 * whole report renders to (for a run in pieces, and for a run stored whole before pieces); pages
 * follow `Link: rel="next"` to the end and together make the whole; the summary apart; the diff from
 * statuses equals the diff of the whole reports; the next piece is read only when the previous one
 * is taken.
 */
const KEY = 'planner-key-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-api-runs-'));
const graph = graphOf(town.network);
const facilities = readFacilities(TOWN_FACILITIES).facilities;
const standards = resolveStandards(undefined, SMALL_TOWN_STANDARD);
// 25 communities along a–d and b–g (some named, with commas and quotes for the CSV), in pieces of 4.
const features = Array.from({ length: 25 }, (_, i) =>
  town.point(`c${i}`, i % 2 ? town.between('a', 'd', i / 25) : town.between('b', 'g', i / 25), { type: 'urban', ...(i % 3 ? { name: `社区 "${i}", east` } : {}) }),
);
const communities = readCommunities(fc(features)).communities;
const PIECE = 4;

let sql: Sql;
let app: FastifyInstance;
let owner: string;
let report: CoverageReport & { inputs: unknown };
let pieced: Run;
let whole: Run;

beforeAll(async () => {
  sql = await sharedStore();
  app = testApp({ store: sql, dataDir: dir, apiKeys: [{ name: 'planner', key: KEY }], runJobs: false });
  await app.ready();
  owner = (await findApiKeyByKey(sql, KEY))!.id;
  const dataset = await app.datasets!.importPoints(owner, 'communities', fc(features), { name: 'estates', sourceBytes: 1 });
  const inputs = { network: { dataset: null, version: null }, facilities: { dataset: null, version: null }, communities: { dataset: dataset.id, version: 1 } };
  report = { ...computeCoverage(graph, communities, facilities, standards, { maxSnapM: 500 }), inputs };
  pieced = await storeInPieces(report, dataset.id);
  whole = await storeWhole(report, dataset.id);
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A run as a job stores it: its pieces under the lease, then the run of them. */
async function storeInPieces(r: typeof report, dataset: string): Promise<Run> {
  const job = await enqueueJob(sql, owner, { kind: 'coverage', params: { communities: dataset } });
  const claimed = (await claimNextJob(sql, 'w', 60_000))!;
  for (let first = 0; first < r.communities.length; first += PIECE) {
    const slice = r.communities.slice(first, first + PIECE);
    const piece = encodePiece(first, slice, slice.map((c) => communities.find((x) => x.id === c.id)!.geometry));
    expect(await storeRunPiece(sql, job.id, 'w', claimed.attempts, piece)).toBe(true);
  }
  const { communities: _c, summary, ...rest } = r;
  const run = await completeJob(sql, job.id, 'w', { summary, report: rest, communities: { dataset, version: 1 }, pieces: { attempt: claimed.attempts, communities: r.communities.length } });
  return (await getRun(sql, owner, run.id))!;
}

/** A run as it was stored before pieces: the whole report in one value. */
async function storeWhole(r: typeof report, dataset: string): Promise<Run> {
  const job = await enqueueJob(sql, owner, { kind: 'coverage', params: { communities: dataset } });
  await claimNextJob(sql, 'w', 60_000);
  const run = await completeJob(sql, job.id, 'w', { summary: r.summary, report: r, communities: { dataset, version: 1 } });
  return (await getRun(sql, owner, run.id))!;
}

/** What a run's exports add to its report: its assumptions (from its parameters) and its inputs. */
const extrasOf = (run: Run) => ({ assumptions: runAssumptions(run), members: { inputs: report.inputs } });

const get = (url: string, accept?: string) => app.inject({ method: 'GET', url, headers: { 'x-api-key': KEY, ...(accept ? { accept } : {}) } });

describe('a stored run, streamed', () => {
  it('is the whole report’s JSON, GeoJSON and CSV, a run in pieces and a run stored whole alike', async () => {
    expect(pieced.pieces).toMatchObject({ communities: 25 });
    expect(whole.pieces).toBeNull();
    for (const run of [pieced, whole]) {
      const json = await get(`/v1/runs/${run.id}`);
      expect(json.statusCode).toBe(200);
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(json.headers['x-total-count']).toBe('25');
      expect(json.headers.link).toBeUndefined();
      expect(json.json()).toEqual(report);
      const map = await get(`/v1/runs/${run.id}`, 'application/geo+json');
      expect(map.headers['content-type']).toBe('application/geo+json; charset=utf-8');
      // As parsed: the summary comes back from the store's jsonb with its keys in another order.
      expect(map.json()).toEqual(JSON.parse(JSON.stringify(coverageGeoJson(report, communities, extrasOf(run)))));
      // The collection carries what the verdicts assumed, beside the summary (RFC 7946 foreign members).
      expect(map.json()).toMatchObject({ assumptions: { standards: [{ id: 'small-town' }], origin: 'homes', metShare: 0.8 }, summary: report.summary, inputs: report.inputs });
      const table = await get(`/v1/runs/${run.id}`, 'text/csv');
      expect(table.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(table.body).toBe(coverageCsv(report, extrasOf(run)));
      expect(table.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="lifecircle-coverage_small-town_${run.id.replace(/_+/g, '-')}_\\d{4}-\\d\\d-\\d\\d\\.csv"$`));
    }
  });

  it('answers `?format=` and `?sheet=` as `Accept`, with a Content-Length and byte ranges (for GDAL /vsicurl/)', async () => {
    const whole = await get(`/v1/runs/${pieced.id}?format=csv`);
    expect(whole.statusCode).toBe(200);
    expect(whole.body).toBe((await get(`/v1/runs/${pieced.id}`, 'text/csv')).body);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    const size = Buffer.byteLength(whole.body);
    expect(whole.headers['content-length']).toBe(String(size));
    // A range, a suffix and an open range, each the bytes of the whole at those offsets.
    const bytes = Buffer.from(whole.body);
    for (const [range, from, to] of [['bytes=10-99', 10, 99], ['bytes=-50', size - 50, size - 1], [`bytes=${size - 7}-`, size - 7, size - 1]] as const) {
      const part = await app.inject({ method: 'GET', url: `/v1/runs/${pieced.id}?format=csv`, headers: { 'x-api-key': KEY, range } });
      expect(part.statusCode, range).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes ${from}-${to}/${size}`);
      expect(part.headers['content-length']).toBe(String(to - from + 1));
      expect(part.rawPayload.equals(bytes.subarray(from, to + 1))).toBe(true);
    }
    const past = await app.inject({ method: 'GET', url: `/v1/runs/${pieced.id}?format=csv`, headers: { 'x-api-key': KEY, range: `bytes=${size}-` } });
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${size}`);
    // HEAD says the size without the body; the ETag revalidates.
    const head = await app.inject({ method: 'HEAD', url: `/v1/runs/${pieced.id}?format=csv`, headers: { 'x-api-key': KEY } });
    expect(head.headers['content-length']).toBe(String(size));
    const again = await app.inject({ method: 'GET', url: `/v1/runs/${pieced.id}?format=csv`, headers: { 'x-api-key': KEY, 'if-none-match': String(whole.headers.etag) } });
    expect(again.statusCode).toBe(304);

    // The per-community sheet: a row per community and standard.
    const sheet = await get(`/v1/runs/${pieced.id}?sheet=communities`);
    const rows = sheet.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0].split(',').slice(0, 3)).toEqual(['community_id', 'community_name', 'community_type']);
    expect(rows).toHaveLength(1 + report.communities.length);
    // GIS files by name; an unknown format is a 400 naming the offered ones.
    const gpkg = await get(`/v1/runs/${pieced.id}?format=gpkg`);
    expect(gpkg.headers['content-type']).toBe('application/geopackage+sqlite3');
    expect(gpkg.rawPayload.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
    const shp = await get(`/v1/runs/${pieced.id}`, 'application/zip');
    expect(shp.rawPayload.readUInt32LE(0)).toBe(0x04034b50);
    const bad = await get(`/v1/runs/${pieced.id}?format=kml`);
    expect(bad.statusCode).toBe(400);
    expect(problemIn(bad)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'format' });
    expect(problemIn(bad).detail).toContain('json, geojson, csv, shp, gpkg');
  });

  it('pages the communities, each page linking to the next, the pages together the whole', async () => {
    const page = await get(`/v1/runs/${pieced.id}?offset=5&limit=6`);
    expect(page.json()).toEqual({ ...report, communities: report.communities.slice(5, 11) });
    expect(page.headers.link).toBe(`</v1/runs/${pieced.id}?offset=11&limit=6>; rel="next"`);
    const collected: unknown[] = [];
    let next: string | undefined = `/v1/runs/${pieced.id}?limit=7`;
    let pages = 0;
    while (next) {
      const res = await get(next);
      expect(res.statusCode).toBe(200);
      collected.push(...res.json().communities);
      next = /^<([^>]+)>; rel="next"$/.exec(String(res.headers.link ?? ''))?.[1];
      pages++;
    }
    expect(pages).toBe(4);
    expect(collected).toEqual(report.communities);

    // Each page of the table and the map is a whole document of the page's communities.
    const part = { ...report, communities: report.communities.slice(22) };
    expect((await get(`/v1/runs/${pieced.id}?offset=22&limit=100`, 'text/csv')).body).toBe(coverageCsv(part, extrasOf(pieced)));
    expect((await get(`/v1/runs/${whole.id}?offset=22`, 'application/geo+json')).json()).toEqual(JSON.parse(JSON.stringify(coverageGeoJson(part, communities, extrasOf(whole)))));
    // Past the end: an empty page.
    const beyond = await get(`/v1/runs/${pieced.id}?offset=99&limit=5`);
    expect(beyond.json().communities).toEqual([]);
    expect(beyond.headers.link).toBeUndefined();
  });

  it('refuses paging that is not a count, naming it', async () => {
    for (const query of ['offset=-1', 'limit=0', 'limit=ten', 'offset=1.5', 'page=2']) {
      const res = await get(`/v1/runs/${pieced.id}?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(problemIn(res).code).toBe('INVALID_PARAMETER');
    }
  });

  it('answers the summary apart, with the number of communities', async () => {
    for (const run of [pieced, whole]) {
      const res = await get(`/v1/runs/${run.id}/summary`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ summary: report.summary, facilities: report.facilities, inputs: report.inputs, communityCount: 25, href: `/v1/runs/${run.id}` });
    }
    expect((await get('/v1/runs/run_nope/summary')).statusCode).toBe(404);
  });

  it('diffs two runs from their statuses as the whole reports diff', async () => {
    // The clinic closes: the later run is computed without it, and stored in pieces.
    const fewer = facilities.filter((f) => f.id !== 'clinic-1');
    const later = { ...computeCoverage(graph, communities.slice(3), fewer, standards, { maxSnapM: 500 }), inputs: report.inputs };
    const dataset = (pieced.communities as { dataset: string }).dataset;
    const run = await storeInPieces(later, dataset);
    const expected = diffRuns(report, later);
    expect(expected.changed.length).toBeGreaterThan(0);
    expect(expected.removed).toEqual(['c0', 'c1', 'c2']);
    for (const before of [pieced, whole]) {
      const res = await get(`/v1/runs/${before.id}/diff/${run.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(expected);
    }
  });

  it('reads the next piece only once the previous one is taken', async () => {
    let pieceQueries = 0;
    const counting: Queryable = {
      query: (text, params) => {
        if (text.includes('FROM run_pieces')) pieceQueries++;
        return sql.query(text, params);
      },
      exec: (script) => sql.exec(script),
    };
    const stream = runJsonStream(counting, pieced, { offset: 0 });
    const reader = stream[Symbol.asyncIterator]();
    await reader.next(); // the opening
    await reader.next(); // the first piece
    // Given time, the stream reads ahead no more than the next piece.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pieceQueries).toBeLessThanOrEqual(2);
    let rest = 0;
    for (let r = await reader.next(); !r.done; r = await reader.next()) rest++;
    expect(pieceQueries).toBe(Math.ceil(25 / PIECE));
    expect(rest).toBeGreaterThan(1);
  });
});
