import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemIn, testApp } from './helpers.ts';

/*
 * Rate limiting (per API key, else per client IP) and load shedding, both answered as problem
 * documents with Retry-After; /health and /ready exempt from both.
 */
describe('rate limiting', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = testApp({ protection: { rateLimitPerMinute: 3, underPressure: false } });
    await app.ready();
  });
  afterAll(() => app.close());

  const get = (headers: Record<string, string> = {}, remoteAddress = '127.0.0.1', url = '/v1/standards') =>
    app.inject({ method: 'GET', url, headers, remoteAddress });

  it('answers 429 RATE_LIMITED with Retry-After past the limit, counting per API key', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get({ 'x-api-key': 'key-a' }));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers[0].headers).toMatchObject({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2' });
    const limited = answers[3];
    expect(problemIn(limited)).toEqual({ code: 'RATE_LIMITED', detail: expect.stringMatching(/^more than 3 requests a minute; retry in \d+ (seconds?|minute)$/) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');

    // Another key, and the same address without a key, have buckets of their own.
    expect((await get({ 'x-api-key': 'key-b' })).statusCode).toBe(200);
    expect((await get()).statusCode).toBe(200);
  });

  it('counts per client IP without a key', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await get({}, '10.0.0.7')).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    expect((await get({}, '10.0.0.8')).statusCode).toBe(200);
    // A key from the limited address is counted apart from it.
    expect((await get({ 'x-api-key': 'key-c' }, '10.0.0.7')).statusCode).toBe(200);
  });

  it('never limits /health and /ready', async () => {
    for (let i = 0; i < 6; i++) {
      expect((await get({}, '10.0.0.9', '/health')).statusCode).toBe(200);
      expect((await get({}, '10.0.0.9', '/ready')).statusCode).toBe(200);
    }
    expect((await get({}, '10.0.0.9')).statusCode).toBe(200);
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
    const app = testApp();
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
