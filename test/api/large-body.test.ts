import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { gridNetwork, gridPoint } from './grid-network.ts';
import { testApp } from './helpers.ts';

/*
 * A ~5 MB inline network (a 130 × 130 grid) takes a few hundred milliseconds to parse, build and
 * expand. Over a real socket, /health is polled while that request is in flight: with the worker
 * pool the event loop keeps answering while the pool has the request; computed on the main thread
 * (threshold raised) the pool never has it. What is counted is ordering, not time: the /health
 * answers that arrive while the pool holds the task (the server runs in this process, so a blocked
 * event loop could not deliver them), whatever the machine's speed or load.
 */
const body = JSON.stringify({
  network: gridNetwork(130),
  origins: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'centre' }, geometry: { type: 'Point', coordinates: gridPoint(65, 65) } }] },
  minutes: [10, 20, 30],
});

async function pollHealthDuringLargeRequest(workerThresholdBytes: number) {
  // Infinity: parsed and computed on the event loop, whatever its cost (the contrast below).
  const app = testApp({ workerThresholdBytes, workerPool: workerThresholdBytes === Infinity ? { mainThreadMaxWorkUs: Infinity } : {} });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await (await fetch(`${base}/health`)).json(); // connection warm, worker started
    const completedBefore = app.computePool.stats().completed;
    let pending = true;
    const large = fetch(`${base}/v1/isochrones`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (res) => {
      const answer = (await res.json()) as { features: { properties: { kind: string } }[] };
      pending = false;
      return { status: res.status, answer };
    });
    let answers = 0;
    let answersWhileInPool = 0;
    while (pending) {
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      await health.json();
      answers++;
      // Read as the answer arrives: the task was still running (or waiting) in the pool.
      if (app.computePool.stats().tasks > 0) answersWhileInPool++;
    }
    return { ...(await large), answers, answersWhileInPool, ranInPool: app.computePool.stats().completed - completedBefore };
  } finally {
    await app.close();
  }
}

describe('a large inline network', () => {
  it(`(${(body.length / 1e6).toFixed(1)} MB) is computed in a worker while /health keeps answering`, async () => {
    const inWorker = await pollHealthDuringLargeRequest(1024 * 1024);
    expect(inWorker.status).toBe(200);
    expect(inWorker.answer.features.filter((f) => f.properties.kind === 'isochrone')).toHaveLength(3);
    expect(inWorker.ranInPool).toBe(1);
    // Several answers while the worker computed: the event loop was free throughout.
    expect(inWorker.answersWhileInPool).toBeGreaterThanOrEqual(3);

    // The contrast: on the main thread the pool never holds it, so the same count finds nothing —
    // the count above is the worker's doing, not the poller's.
    const onMain = await pollHealthDuringLargeRequest(Infinity);
    expect(onMain.status).toBe(200);
    expect(onMain.answer.features.filter((f) => f.properties.kind === 'isochrone')).toHaveLength(3);
    expect(onMain.ranInPool).toBe(0);
    expect(onMain.answersWhileInPool).toBe(0);
  });
});
