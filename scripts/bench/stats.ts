/** Summary statistics for benchmark samples (microseconds or milliseconds, as given). */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p99: number;
  mean: number;
  std: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((s, x) => s + x, 0) / n;
  const std = Math.sqrt(sorted.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
  const at = (q: number) => sorted[Math.min(n - 1, Math.floor(q * n))];
  return { n, min: sorted[0], p50: at(0.5), p99: at(0.99), mean, std };
}

export function rssMB(): number {
  return Math.round(process.memoryUsage().rss / 1048576);
}

/** Peak resident set of this process so far, MB. */
export function maxRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Latencies (ms) of POSTing JSON bodies in turn to a URL, one request at a time: 100 warm-up
 * requests, then 1,000 measured. Any answer but 200 stops the benchmark.
 */
export async function httpLatencies(url: string, bodies: readonly string[]): Promise<Summary> {
  const post = async (body: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 500)}`);
  };
  for (let i = 0; i < 100; i++) await post(bodies[i % bodies.length]);
  const latencies: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const s = performance.now();
    await post(bodies[i % bodies.length]);
    latencies.push(performance.now() - s);
  }
  return summarize(latencies);
}
