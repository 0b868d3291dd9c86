import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { gridNetwork, gridPoint } from './grid-network.ts';
import { testApp } from './helpers.ts';

/*
 * A ~5 MB inline network (a 130 × 130 grid) takes a few hundred milliseconds to parse, build and
 * expand. Over a real socket, /health is polled while that request is in flight: with the worker
 * pool it answers promptly throughout; computed on the main thread (threshold raised) it stalls.
 * The server runs in this process, so a blocked event loop also delays the poller's own timers:
 * what is measured is the longest gap between two /health answers, which counts both.
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
    let pending = true;
    const large = fetch(`${base}/v1/isochrones`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (res) => {
      const answer = (await res.json()) as { features: { properties: { kind: string } }[] };
      pending = false;
      return { status: res.status, answer };
    });
    const answeredAt = [performance.now()];
    while (pending) {
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      await health.json();
      answeredAt.push(performance.now());
      await sleep(10);
    }
    const gaps = answeredAt.slice(1).map((t, i) => t - answeredAt[i]);
    return { ...(await large), answers: gaps.length, longestGapMs: Math.max(...gaps) };
  } finally {
    await app.close();
  }
}

describe('a large inline network', () => {
  it(`(${(body.length / 1e6).toFixed(1)} MB) is computed in a worker while /health keeps answering promptly`, async () => {
    const inWorker = await pollHealthDuringLargeRequest(1024 * 1024);
    expect(inWorker.status).toBe(200);
    expect(inWorker.answer.features.filter((f) => f.properties.kind === 'isochrone')).toHaveLength(3);
    expect(inWorker.answers).toBeGreaterThanOrEqual(5);

    // The contrast (relative, not a wall-clock bound, so a busy CI machine does not flip it): on the
    // main thread /health waits for the whole computation; with the worker it does not.
    const onMain = await pollHealthDuringLargeRequest(Infinity);
    expect(onMain.status).toBe(200);
    expect(onMain.longestGapMs).toBeGreaterThan(250);
    expect(inWorker.longestGapMs).toBeLessThan(onMain.longestGapMs / 2);
  });
});
