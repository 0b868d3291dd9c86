import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { fc, testApp, town, townNetwork } from './helpers.ts';

const origins = fc(town.point('A', town.at('a')));
const valid = { network: townNetwork, origins, minutes: [5] };

let app: FastifyInstance;
let logged: string[];
beforeAll(async () => {
  logged = [];
  const stream = { write: (line: string) => logged.push(line) };
  app = testApp({ bodyLimitBytes: 20_000, logger: { level: 'info', stream } });
  // Routes that fail on purpose, to see how errors without a request path to them are answered.
  app.get('/test/feature-error', async () => {
    throw new InputError('INVALID_GEOMETRY', 'origins feature 3 (id "x"): bad ring', { where: 'origins', featureIndex: 3, featureId: 'x' });
  });
  app.get('/test/bug', async () => {
    throw new Error('secret detail: /etc/passwd');
  });
  await app.ready();
});
afterAll(() => app.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: payload as string, headers: { 'content-type': 'application/json', ...headers } });

describe('error answers', () => {
  it('answers a core InputError with 400, its code, message and where', async () => {
    const res = await post('/v1/isochrones', { ...valid, speedKmh: 0 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'INVALID_PARAMETER', message: 'speedKmh: got 0, expected a number greater than 0 and at most 200', where: 'speedKmh' },
    });
  });

  it('answers bad GeoJSON with INVALID_GEOJSON naming the part', async () => {
    const res = await post('/v1/travel-times', { network: townNetwork, origins, targets: { type: 'Feature' }, maxMinutes: 5 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_GEOJSON', where: 'targets', message: expect.stringContaining('expected a GeoJSON FeatureCollection of Points') });
  });

  it('answers a network without usable roads with EMPTY_NETWORK', async () => {
    const res = await post('/v1/isochrones', { ...valid, network: fc(town.point('p', town.at('a'))) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'EMPTY_NETWORK', where: 'network' });
  });

  it('answers a request without network, when none is loaded, naming network', async () => {
    const res = await post('/v1/isochrones', { origins, minutes: [5] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_PARAMETER', where: 'network', message: expect.stringContaining('no default network is loaded') });
  });

  it('carries featureIndex and featureId of an InputError', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/feature-error' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'INVALID_GEOMETRY', message: 'origins feature 3 (id "x"): bad ring', where: 'origins', featureIndex: 3, featureId: 'x' },
    });
  });

  it.each([
    ['a wrong type', { ...valid, minutes: '5' }, 'minutes', 'minutes: got "5", expected an array'],
    ['a wrong item type', { ...valid, minutes: [5, '10'] }, 'minutes[1]', 'minutes[1]: got "10", expected a number'],
    ['a missing parameter', { network: townNetwork, minutes: [5] }, 'origins', 'origins: is required'],
    ['an unknown parameter', { ...valid, minute: 5 }, 'minute', 'minute: is not a known parameter (check the spelling)'],
    ['a value outside the enum', { ...valid, mode: 'fly' }, 'mode', 'mode: got "fly", expected one of walk, bike, ebike, car'],
    ['a body that is not an object', [1, 2], 'body', 'body: got an array, expected an object'],
  ])('answers %s with INVALID_PARAMETER naming the field', async (_, body, where, message) => {
    const res = await post('/v1/isochrones', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'INVALID_PARAMETER', message, where } });
  });

  it('answers malformed JSON with INVALID_JSON', async () => {
    const res = await post('/v1/isochrones', '{"origins": ');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_JSON', message: expect.stringMatching(/^request body is not valid JSON: /) });
  });

  it('answers an empty JSON body with INVALID_JSON', async () => {
    const res = await post('/v1/isochrones', '');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'INVALID_JSON', message: 'request body is empty: expected a JSON object' });
  });

  it('answers a body over the limit with 413 BODY_TOO_LARGE, saying the limit', async () => {
    const res = await post('/v1/isochrones', { ...valid, padding: 'x'.repeat(30_000) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toEqual({ code: 'BODY_TOO_LARGE', message: 'request body is larger than the limit of 20000 bytes' });
  });

  it.each(['application/x-www-form-urlencoded', 'text/plain'])('answers content type %s with 415', async (type) => {
    const res = await post('/v1/isochrones', JSON.stringify(valid), { 'content-type': type });
    expect(res.statusCode).toBe(415);
    expect(res.json().error).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: `got content type "${type}", expected application/json` });
  });

  it('accepts application/geo+json and a charset', async () => {
    const geo = await post('/v1/isochrones', valid, { 'content-type': 'application/geo+json' });
    const charset = await post('/v1/isochrones', valid, { 'content-type': 'application/json; charset=utf-8' });
    expect([geo.statusCode, charset.statusCode]).toEqual([200, 200]);
  });

  it('answers a malformed URL with 400 BAD_REQUEST', async () => {
    const res = await app.inject({ method: 'GET', url: '/%zz' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'BAD_REQUEST', message: "'/%zz' is not a valid url component" } });
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    for (const [method, url] of [['GET', '/v2/isochrones'], ['GET', '/v1/isochrones']] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toEqual({ code: 'NOT_FOUND', message: `no route ${method} ${url}; GET / lists the endpoints` });
    }
  });

  it('answers anything else with 500 INTERNAL and a generic message; the details go to the log', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/bug' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error).toEqual({ code: 'INTERNAL', message: expect.stringMatching(/^internal error; the details are in the server log under request id req-/) });
    expect(res.body).not.toContain('secret');
    expect(logged.some((line) => line.includes('secret detail') && line.includes('"level":50'))).toBe(true);
    // Still serving.
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
