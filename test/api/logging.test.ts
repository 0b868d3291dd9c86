import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fc, testApp, town, townNetwork } from './helpers.ts';

/*
 * Logs are JSON lines from fastify's pino. Request bodies (a city's data) and credentials never
 * appear in them: not in the request lines, not in error lines (a 4xx detail may quote the body),
 * and not even when a handler logs the headers and body carelessly (pino redaction).
 */
const SECRET_KEY = 'sk-live-4f1c9e0b7a';
const SECRET_TOKEN = 'Bearer eyJhbGciOiJIUzI1NiJ9.secret-token';
const BODY_MARKER = 'body-marker-83d1';

let app: FastifyInstance;
const lines: string[] = [];
beforeAll(async () => {
  app = testApp({ logger: { level: 'trace', stream: { write: (line) => lines.push(line) } } });
  app.post('/test/careless', async (request) => {
    request.log.info({ headers: request.headers, body: request.body, request: { headers: request.headers, body: request.body } }, 'careless');
    return {};
  });
  await app.ready();
});
afterAll(() => app.close());

const headers = { 'content-type': 'application/json', 'x-api-key': SECRET_KEY, authorization: SECRET_TOKEN, cookie: `session=${SECRET_KEY}` };
const post = (url: string, payload: string) => app.inject({ method: 'POST', url, payload, headers });

describe('logs', () => {
  it('hold no request body and no credentials, whatever the request did', async () => {
    const origins = fc(town.point(BODY_MARKER, town.at('a'), { note: BODY_MARKER }));
    const answered = [
      await post('/v1/isochrones', JSON.stringify({ network: townNetwork, origins, minutes: [2] })),
      // Details that quote the body: a bad enum value, malformed JSON, an unknown parameter.
      await post('/v1/isochrones', JSON.stringify({ network: townNetwork, origins, minutes: [2], mode: BODY_MARKER })),
      await post('/v1/isochrones', `{"origins": "${BODY_MARKER}`),
      await post('/v1/isochrones', JSON.stringify({ network: townNetwork, origins, minutes: [2], [BODY_MARKER]: 1 })),
      await app.inject({ method: 'GET', url: '/v1/standards/nope', headers }),
    ];
    expect(answered.map((r) => r.statusCode)).toEqual([200, 400, 400, 400, 404]);
    // The answers do quote the body (they go back to the client who sent it)...
    expect(answered[1].body).toContain(BODY_MARKER);
    // ...the logs do not, though they record every request and error.
    const parsed = lines.map((line) => JSON.parse(line));
    expect(parsed.filter((l) => l.msg === 'incoming request')).toHaveLength(5);
    expect(parsed.filter((l) => l.code === 'INVALID_PARAMETER' || l.code === 'INVALID_JSON')).toHaveLength(3);
    for (const secret of [SECRET_KEY, 'secret-token', BODY_MARKER]) {
      expect(lines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });

  it('censor headers and bodies a handler logs carelessly', async () => {
    lines.length = 0;
    await post('/test/careless', JSON.stringify({ note: BODY_MARKER }));
    const careless = lines.map((line) => JSON.parse(line)).find((l) => l.msg === 'careless');
    expect(careless.headers).toMatchObject({ 'x-api-key': '[redacted]', authorization: '[redacted]', cookie: '[redacted]', 'content-type': 'application/json' });
    expect(careless.request.headers).toMatchObject({ 'x-api-key': '[redacted]', authorization: '[redacted]' });
    expect([careless.body, careless.request.body]).toEqual(['[redacted]', '[redacted]']);
    expect(lines.join('\n')).not.toContain(BODY_MARKER);
    expect(lines.join('\n')).not.toContain(SECRET_KEY);
  });
});
