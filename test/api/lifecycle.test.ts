import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE, fc, problemIn, testApp, town, townNetwork } from './helpers.ts';

/*
 * Liveness, readiness and shutdown: /health answers while the process runs; /ready once the
 * default network is loaded and until shutdown begins; closing refuses new requests, lets those in
 * flight finish, then runs the onClose hooks.
 */
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-lifecycle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url });

describe('/ready while the default network loads in the background', () => {
  it('is 503 NOT_READY (Retry-After) while /health is 200, then 200 once the network is loaded', async () => {
    const app = testApp({
      defaultGraphPath: `${SAMPLE}chengdu.osm.pbf`,
      networkCacheDir: join(dir, 'cache'),
      loadNetworkInBackground: true,
      workerPool: { minThreads: 0 },
    });
    try {
      await app.ready();
      // Compiling the sample (and reading its points of interest) takes a few hundred milliseconds.
      expect(app.network.status).toBe('loading');
      const before = await get(app, '/ready');
      expect(before.statusCode).toBe(503);
      expect(before.headers['retry-after']).toBe('5');
      expect(problemIn(before)).toEqual({ code: 'NOT_READY', detail: 'the default network is still loading' });
      const health = await get(app, '/health');
      expect(health.statusCode).toBe(200);
      expect(health.json().network).toEqual({ loaded: false });
      // Requests that need the default network wait for it; those that bring their own are answered.
      const origins = fc(town.point('A', town.at('a')));
      const needsDefault = await app.inject({ method: 'POST', url: '/v1/travel-times', payload: { origins, targets: origins, maxMinutes: 5 } });
      expect([needsDefault.statusCode, problemIn(needsDefault).code]).toEqual([503, 'NOT_READY']);
      const inline = await app.inject({ method: 'POST', url: '/v1/travel-times', payload: { network: townNetwork, origins, targets: origins, maxMinutes: 5 } });
      expect(inline.statusCode).toBe(200);

      await app.network.loaded;
      const after = await get(app, '/ready');
      expect(after.statusCode).toBe(200);
      expect(after.json()).toEqual({ status: 'ready', network: { loaded: true, source: expect.stringMatching(/chengdu\.osm\.pbf$/), nodes: expect.any(Number), edges: expect.any(Number), lengthKm: expect.any(Number) } });
      expect((await app.inject({ method: 'POST', url: '/v1/travel-times', payload: { origins: fc(), targets: fc(), maxMinutes: 5 } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('stays 503 when the network cannot be loaded, and `network.loaded` rejects naming the file', async () => {
    const app = testApp({ defaultGraphPath: join(dir, 'missing.osm.pbf'), networkCacheDir: join(dir, 'cache'), loadNetworkInBackground: true, workerPool: { minThreads: 0 } });
    try {
      await app.ready();
      await expect(app.network.loaded).rejects.toThrow(/missing\.osm\.pbf/);
      const res = await get(app, '/ready');
      expect([res.statusCode, problemIn(res).detail]).toEqual([503, 'the default network could not be loaded (see the log)']);
    } finally {
      await app.close();
    }
  });

  it('is 200 at once without a default network (requests bring their own)', async () => {
    const app = testApp();
    try {
      expect((await get(app, '/ready')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('shutting down', () => {
  it('/ready turns 503 when shutdown begins, while /health and the routes still answer', async () => {
    const app = testApp();
    try {
      await app.ready();
      app.lifecycle.shuttingDown = true;
      const ready = await get(app, '/ready');
      expect([ready.statusCode, problemIn(ready).detail]).toEqual([503, 'the server is shutting down']);
      expect((await get(app, '/health')).statusCode).toBe(200);
      expect((await get(app, '/v1/standards')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('once closing, new requests get 503 NOT_READY and Connection: close; /health still answers', async () => {
    const app = testApp();
    try {
      await app.ready();
      // What the preClose hook sets (fastify refuses inject() itself once it closes).
      app.lifecycle.closing = true;
      const refused = await get(app, '/v1/standards');
      expect(refused.statusCode).toBe(503);
      expect(refused.headers.connection).toBe('close');
      expect(problemIn(refused)).toEqual({ code: 'NOT_READY', detail: 'the server is shutting down; retry, another instance will answer' });
      expect((await get(app, '/health')).statusCode).toBe(200);
      expect((await get(app, '/ready')).statusCode).toBe(503);
    } finally {
      await app.close();
    }
  });

  it('close() stops accepting connections, finishes the request in flight, then runs the onClose hooks', async () => {
    const app = testApp();
    const events: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    app.get('/test/slow', async () => {
      started();
      await released;
      events.push('answered');
      return { done: true };
    });
    app.addHook('onClose', async () => {
      events.push('onClose');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const slow = fetch(`${base}/test/slow`).then(async (res) => ({ status: res.status, body: await res.json() }));
    await inFlight;
    const closed = app.close().then(() => events.push('closed'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.lifecycle).toEqual({ shuttingDown: true, closing: true });
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    expect(events).toEqual([]);

    release();
    expect(await slow).toEqual({ status: 200, body: { done: true } });
    await closed;
    expect(events).toEqual(['answered', 'onClose', 'closed']);
  });
});
