import { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientErrorHandler } from '../../src/edge/api/errors.ts';
import { InputError } from '../../src/core/errors.ts';
import { LIMITS } from '../../src/runtime/requests/params.ts';
import { fc, problemIn, testApp, town, townNetwork } from './helpers.ts';

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

describe('error answers are RFC 9457 problem documents', () => {
  it('answers a core InputError with 400, its code, detail and where', async () => {
    const res = await post('/v1/isochrones', { ...valid, speedKmh: 0 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      type: 'urn:lifecircle:error:INVALID_PARAMETER',
      title: 'Invalid parameter',
      status: 400,
      detail: 'speedKmh: got 0, expected a number greater than 0 and at most 200',
      code: 'INVALID_PARAMETER',
      instance: expect.stringMatching(/^urn:lifecircle:request:req-/),
      where: 'speedKmh',
    });
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('answers bad GeoJSON with INVALID_GEOJSON naming the part', async () => {
    const res = await post('/v1/travel-times', { network: townNetwork, origins, targets: { type: 'Feature' }, maxMinutes: 5 });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toMatchObject({ code: 'INVALID_GEOJSON', where: 'targets', detail: expect.stringContaining('expected a GeoJSON FeatureCollection of Points') });
  });

  it('answers a network without usable roads with EMPTY_NETWORK', async () => {
    const res = await post('/v1/isochrones', { ...valid, network: fc(town.point('p', town.at('a'))) });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toMatchObject({ code: 'EMPTY_NETWORK', where: 'network' });
  });

  it('answers a request without network, when none is loaded, naming network', async () => {
    const res = await post('/v1/isochrones', { origins, minutes: [5] });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'network', detail: expect.stringContaining('no default network is loaded') });
  });

  it('carries featureIndex and featureId of an InputError', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/feature-error' });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({ code: 'INVALID_GEOMETRY', detail: 'origins feature 3 (id "x"): bad ring', where: 'origins', featureIndex: 3, featureId: 'x' });
  });

  it.each([
    ['a wrong type', { ...valid, minutes: '5' }, 'minutes', 'minutes: got "5", expected an array'],
    ['a wrong item type', { ...valid, minutes: [5, '10'] }, 'minutes[1]', 'minutes[1]: got "10", expected a number'],
    ['a number as a string (never coerced)', { ...valid, speedKmh: '5' }, 'speedKmh', 'speedKmh: got "5", expected a number'],
    ['a missing parameter', { network: townNetwork, minutes: [5] }, 'origins', 'origins: is required'],
    ['an unknown parameter', { ...valid, minute: 5 }, 'minute', 'minute: is not a known parameter (check the spelling)'],
    ['a value outside the enum', { ...valid, mode: 'fly' }, 'mode', 'mode: got "fly", expected one of walk, bike, ebike, car'],
    ['a body that is not an object', [1, 2], 'body', 'body: got an array, expected an object'],
    ['an empty list of budgets', { ...valid, minutes: [] }, 'minutes', 'minutes: got an empty array, expected a non-empty array of minutes, e.g. [5, 10, 15]'],
  ])('answers %s with INVALID_PARAMETER naming the field', async (_, body, where, detail) => {
    const res = await post('/v1/isochrones', body);
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({ code: 'INVALID_PARAMETER', detail, where });
  });

  it('answers malformed JSON with INVALID_JSON', async () => {
    const res = await post('/v1/isochrones', '{"origins": ');
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({ code: 'INVALID_JSON', detail: expect.stringMatching(/^request body is not valid JSON: /) });
  });

  it('answers an empty JSON body with INVALID_JSON', async () => {
    const res = await post('/v1/isochrones', '');
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({ code: 'INVALID_JSON', detail: 'request body is empty: expected a JSON object' });
  });

  it('answers a body over the limit with 413 BODY_TOO_LARGE, saying the limit', async () => {
    const res = await post('/v1/isochrones', { ...valid, padding: 'x'.repeat(30_000) });
    expect(res.statusCode).toBe(413);
    expect(problemIn(res)).toEqual({ code: 'BODY_TOO_LARGE', detail: 'request body is larger than the limit of 20000 bytes' });
  });

  it.each(['application/x-www-form-urlencoded', 'text/plain'])('answers content type %s with 415', async (type) => {
    const res = await post('/v1/isochrones', JSON.stringify(valid), { 'content-type': type });
    expect(res.statusCode).toBe(415);
    expect(problemIn(res)).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', detail: `got content type "${type}", expected application/json` });
  });

  it('accepts application/geo+json and a charset', async () => {
    const geo = await post('/v1/isochrones', valid, { 'content-type': 'application/geo+json' });
    const charset = await post('/v1/isochrones', valid, { 'content-type': 'application/json; charset=utf-8' });
    expect([geo.statusCode, charset.statusCode]).toEqual([200, 200]);
  });

  it('answers a malformed URL with 400 BAD_REQUEST', async () => {
    const res = await app.inject({ method: 'GET', url: '/%zz' });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({ code: 'BAD_REQUEST', detail: "'/%zz' is not a valid url component" });
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    for (const [method, url] of [['GET', '/v2/isochrones'], ['GET', '/v1/isochrones']] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(problemIn(res)).toEqual({ code: 'NOT_FOUND', detail: `no route ${method} ${url}; GET / lists the endpoints, /docs documents them` });
    }
  });

  it('answers anything else with 500 INTERNAL and a generic detail; the details go to the log under the same request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/bug' });
    expect(res.statusCode).toBe(500);
    const problem = problemIn(res);
    expect(problem).toEqual({ code: 'INTERNAL', detail: expect.stringMatching(/^internal error; the details are in the server log under request id req-/) });
    expect(res.body).not.toContain('secret');
    const requestId = res.json().instance.replace('urn:lifecircle:request:', '');
    expect(problem.detail).toContain(requestId);
    const line = logged.map((l) => JSON.parse(l)).find((l) => l.level === 50 && l.err?.message?.includes('secret detail'));
    expect(line).toMatchObject({ reqId: requestId, msg: 'request failed' });
    // Still serving.
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('limits: 422 LIMIT_EXCEEDED', () => {
  let roomy: FastifyInstance;
  beforeAll(async () => {
    roomy = testApp({ workerThresholdBytes: Infinity });
    await roomy.ready();
  });
  afterAll(() => roomy.close());

  const many = (n: number) => fc(...Array.from({ length: n }, (_, i) => town.point(`p${i}`, town.at('a'))));

  it.each([
    ['too many budgets', '/v1/isochrones', { ...valid, minutes: Array.from({ length: LIMITS.maxBudgets + 1 }, (_, i) => i + 1) }, 'minutes', `minutes: got ${LIMITS.maxBudgets + 1} budgets, at most ${LIMITS.maxBudgets} are allowed`],
    ['a budget over the maximum', '/v1/isochrones', { ...valid, minutes: [5, 181] }, 'minutes[1]', 'minutes[1]: got 181, expected a number greater than 0 and at most 180'],
    ['maxMinutes over the maximum', '/v1/travel-times', { network: townNetwork, origins, targets: origins, maxMinutes: 500 }, 'maxMinutes', 'maxMinutes: got 500, expected a number greater than 0 and at most 180'],
    ['coverage minutes over the maximum', '/v1/coverage', { network: townNetwork, communities: origins, facilities: fc(), minutes: 181 }, 'minutes', 'minutes: got 181, expected a number greater than 0 and at most 180'],
    ['too many isochrone origins', '/v1/isochrones', { ...valid, origins: many(LIMITS.maxIsochroneOrigins + 1) }, 'origins', `origins: has ${LIMITS.maxIsochroneOrigins + 1} features, at most ${LIMITS.maxIsochroneOrigins} are allowed per request`],
    ['too many travel-time origins', '/v1/travel-times', { network: townNetwork, origins: many(LIMITS.maxTravelTimeOrigins + 1), targets: origins, maxMinutes: 5 }, 'origins', `origins: has ${LIMITS.maxTravelTimeOrigins + 1} features, at most ${LIMITS.maxTravelTimeOrigins} are allowed per request`],
    ['too many communities', '/v1/coverage', { network: townNetwork, communities: many(LIMITS.maxCoverageCommunities + 1), facilities: fc() }, 'communities', `communities: has ${LIMITS.maxCoverageCommunities + 1} features, at most ${LIMITS.maxCoverageCommunities} are allowed per request (use a job for a whole city)`],
  ])('%s', async (_, url, body, where, detail) => {
    const res = await roomy.inject({ method: 'POST', url, payload: body as object });
    expect(res.statusCode).toBe(422);
    expect(problemIn(res)).toEqual({ code: 'LIMIT_EXCEEDED', where, detail });
  });

  it('a wrong value stays 400 INVALID_PARAMETER: only over a maximum is a limit', async () => {
    for (const minutes of [[0], [-5], [5, 0]]) {
      const res = await roomy.inject({ method: 'POST', url: '/v1/isochrones', payload: { ...valid, minutes } });
      expect([res.statusCode, problemIn(res).code]).toEqual([400, 'INVALID_PARAMETER']);
    }
  });
});

describe('errors before a request exists (clientErrorHandler)', () => {
  /** A socket that records what is written to it. */
  function fakeSocket() {
    const written: string[] = [];
    const socket = new Duplex({ read() {}, write(chunk, _enc, done) { written.push(String(chunk)); done(); } });
    // destroy(err) emits the error, as on a real socket (where the HTTP server listens for it).
    socket.on('error', () => {});
    return { socket, written };
  }
  const handler = clientErrorHandler({ requestTimeoutMs: 1234 });
  const answer = (code: string) => {
    const { socket, written } = fakeSocket();
    handler.call(app, Object.assign(new Error(code), { code }), socket);
    expect(socket.destroyed).toBe(true);
    const [head, body] = written.join('').split('\r\n\r\n');
    return { head, body: JSON.parse(body) };
  };

  it.each([
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT', 'the request did not arrive whole within 1234 ms'],
    ['HPE_HEADER_OVERFLOW', 431, 'HEADERS_TOO_LARGE', 'the request headers are larger than the server accepts'],
    ['HPE_INVALID_METHOD', 400, 'BAD_REQUEST', 'the request is not valid HTTP'],
  ])('%s → %i %s as a problem document, and the connection closed', (nodeCode, status, code, detail) => {
    const { head, body } = answer(nodeCode);
    expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toContain('Content-Type: application/problem+json; charset=utf-8');
    expect(head).toContain('Connection: close');
    expect(body).toEqual({ type: `urn:lifecircle:error:${code}`, title: expect.any(String), status, detail, code });
  });

  it('writes nothing to a socket the client already reset', () => {
    const { socket, written } = fakeSocket();
    handler.call(app, Object.assign(new Error('reset'), { code: 'ECONNRESET' }), socket);
    expect(written).toEqual([]);
  });

  it('is installed with the request timeouts', async () => {
    const timed = testApp({ requestTimeoutMs: 4321 });
    try {
      expect(timed.initialConfig).toMatchObject({ requestTimeout: 4321, connectionTimeout: 4321 });
      expect(timed.server.requestTimeout).toBe(4321);
      expect(timed.server.timeout).toBe(4321);
    } finally {
      await timed.close();
    }
  });
});
