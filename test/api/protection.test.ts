import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/edge/app.ts';
import type { Sql } from '../../src/runtime/store/index.ts';
import { memoryStore, sharedStore } from '../helpers/store.ts';
import { problemIn, testApp } from './helpers.ts';

const graphDir = mkdtempSync(join(tmpdir(), 'lifecircle-protection-'));
afterAll(() => rmSync(graphDir, { recursive: true, force: true }));

/*
 * Rate limiting (per known API key, else per client IP) and load shedding, both answered as problem
 * documents with Retry-After; /health and /ready exempt from both.
 */
describe('rate limiting', () => {
  const A = 'a-key-0123456789abcdef';
  const B = 'b-key-0123456789abcdef';
  let app: FastifyInstance;
  let sql: Sql;
  /** Queries of the api_keys table: what each made-up key costs. */
  let keyLookups = 0;
  beforeAll(async () => {
    sql = await memoryStore();
    const query = sql.query.bind(sql);
    sql.query = ((text: string, params?: readonly unknown[]) => {
      if (/FROM api_keys WHERE key_hash/.test(text)) keyLookups++;
      return query(text, params);
    }) as Sql['query'];
    app = testApp({ store: sql, dataDir: graphDir, apiKeys: [{ name: 'a', key: A }, { name: 'b', key: B }], runJobs: false, protection: { rateLimitPerMinute: 3, underPressure: false } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await sql.close();
  });

  const get = (headers: Record<string, string> = {}, remoteAddress = '127.0.0.1', url = '/v1/standards') =>
    app.inject({ method: 'GET', url, headers, remoteAddress });

  it('answers 429 RATE_LIMITED with Retry-After past the limit, counting a known key apart from its IP once the store vouched for it', async () => {
    // Not yet vouched for: counted against the IP, and looked up (by a route that checks keys).
    expect((await get({ 'x-api-key': A }, '10.0.1.1', '/v1/datasets')).statusCode).toBe(200);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get({ 'x-api-key': A }, '10.0.1.1', '/v1/datasets'));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers[0].headers).toMatchObject({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2' });
    const limited = answers[3];
    expect(problemIn(limited)).toEqual({ code: 'RATE_LIMITED', detail: expect.stringMatching(/^more than 3 requests a minute; retry in \d+ (seconds?|minute)$/) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');

    // The IP has one request counted (the key's first); the key's bucket is its own.
    expect([(await get({}, '10.0.1.1')).statusCode, (await get({}, '10.0.1.1')).statusCode, (await get({}, '10.0.1.1')).statusCode]).toEqual([200, 200, 429]);
    expect((await get({ 'x-api-key': B }, '10.0.1.2')).statusCode).toBe(200);
  });

  it('counts unknown and missing keys against the client IP, 401s included, each lookup within that budget', async () => {
    const lookupsBefore = keyLookups;
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await get({ 'x-api-key': `made-up-key-${i}-0123456789` }, '10.0.2.1', '/v1/datasets')).statusCode);
    expect(codes).toEqual([401, 401, 401]);
    expect(problemIn(await get({ 'x-api-key': 'made-up-key-9-0123456789' }, '10.0.2.1', '/v1/datasets')).code).toBe('RATE_LIMITED');
    expect((await get({}, '10.0.2.1')).statusCode).toBe(429);
    expect((await get({ authorization: 'Bearer made-up-key-8-0123456789' }, '10.0.2.1')).statusCode).toBe(429);
    expect(keyLookups - lookupsBefore).toBe(3);
    // The same made-up key again, from elsewhere: answered from the cache, no query.
    expect((await get({ 'x-api-key': 'made-up-key-0-0123456789' }, '10.0.2.2', '/v1/datasets')).statusCode).toBe(401);
    expect(keyLookups - lookupsBefore).toBe(3);
  });

  it('never limits /health and /ready', async () => {
    for (let i = 0; i < 6; i++) {
      expect((await get({}, '10.0.0.9', '/health')).statusCode).toBe(200);
      expect((await get({}, '10.0.0.9', '/ready')).statusCode).toBe(200);
    }
    expect((await get({}, '10.0.0.9')).statusCode).toBe(200);
  });

  it('limits unknown routes too', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await get({}, '10.0.3.1', '/v1/nowhere')).statusCode);
    expect(codes).toEqual([404, 404, 404, 429]);
  });
});

describe('rate limiting at the default limit', () => {
  it('700 requests with random keys from one IP: 600 answered 401, then 429; a known key keeps its own bucket', async () => {
    const KNOWN = 'known-key-0123456789abcdef';
    const sql = await sharedStore();
    const app = testApp({ store: sql, dataDir: graphDir, apiKeys: [{ name: 'known', key: KNOWN }], runJobs: false });
    try {
      await app.ready();
      // Vouched for once, from elsewhere.
      expect((await app.inject({ method: 'GET', url: '/v1/datasets', headers: { 'x-api-key': KNOWN }, remoteAddress: '10.9.9.9' })).statusCode).toBe(200);
      const counts = new Map<number, number>();
      for (let i = 0; i < 700; i++) {
        const res = await app.inject({ method: 'GET', url: '/v1/datasets', headers: { 'x-api-key': randomBytes(24).toString('base64url') }, remoteAddress: '10.0.4.1' });
        counts.set(res.statusCode, (counts.get(res.statusCode) ?? 0) + 1);
      }
      expect(Object.fromEntries(counts)).toEqual({ 401: 600, 429: 100 });
      const known = await app.inject({ method: 'GET', url: '/v1/datasets', headers: { 'x-api-key': KNOWN }, remoteAddress: '10.0.4.1' });
      expect(known.statusCode).toBe(200);
      // Its bucket holds only its own earlier request (the first, from 10.9.9.9, counted there).
      expect(known.headers['x-ratelimit-remaining']).toBe('599');
    } finally {
      await app.close();
    }
  });
});

describe('rate limiting without a store', () => {
  it('counts per client IP: with no keys to check, a key names no bucket', async () => {
    const app = testApp({ protection: { rateLimitPerMinute: 3, underPressure: false } });
    try {
      await app.ready();
      const get = (headers: Record<string, string>, remoteAddress: string) => app.inject({ method: 'GET', url: '/v1/standards', headers, remoteAddress });
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await get({ 'x-api-key': `key-${i}` }, '10.0.0.7')).statusCode);
      expect(codes).toEqual([200, 200, 200]);
      expect((await get({}, '10.0.0.7')).statusCode).toBe(429);
      expect((await get({ 'x-api-key': 'key-c' }, '10.0.0.7')).statusCode).toBe(429);
      expect((await get({}, '10.0.0.8')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('load shedding', () => {
  it('answers 503 SERVER_BUSY with Retry-After under pressure; /health and /ready still answer', async () => {
    // A heap limit of one byte: under pressure from the first sample on.
    const app = testApp({ protection: { underPressure: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 1, maxRssBytes: 0, sampleIntervalMs: 10 } } });
    try {
      await app.ready();
      await sleep(50);
      expect(app.isUnderPressure()).toBe(true);
      const busy = await app.inject({ method: 'GET', url: '/v1/standards' });
      expect(busy.statusCode).toBe(503);
      expect(busy.headers['retry-after']).toBe('5');
      expect(problemIn(busy)).toEqual({ code: 'SERVER_BUSY', detail: 'the server is overloaded (heap in use); retry in a few seconds' });
      const post = await app.inject({ method: 'POST', url: '/v1/isochrones', payload: { origins: {}, minutes: [5] } });
      expect(problemIn(post).code).toBe('SERVER_BUSY');
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('lets requests through below the thresholds (the defaults)', async () => {
    // buildApp's own defaults: testApp turns load shedding off.
    const app = buildApp({ workerPool: { minThreads: 0 } });
    try {
      await app.ready();
      await sleep(20);
      expect(app.isUnderPressure()).toBe(false);
      expect((await app.inject({ method: 'GET', url: '/v1/standards' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
