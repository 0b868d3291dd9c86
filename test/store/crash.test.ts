import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { claimNextJob, completeJob, findApiKeyByKey, getJob, openStore } from '../../src/runtime/store/index.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { type Target, describeBackends } from './backends.ts';

// Long enough that the lease surely still holds when the test first looks; the test then moves its
// clock past it (src/runtime/clock.ts) rather than waiting.
const LEASE_MS = 60_000;

describeBackends('a worker process killed mid-job', (backend) => {
  let target: Target | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    child?.kill('SIGKILL');
    await target?.dispose();
  });

  it('loses nothing it committed, and its job is taken again once the lease expires', async () => {
    target = await backend.freshTarget({ persistent: true });
    child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), JSON.stringify(target.options), String(LEASE_MS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const reported = await firstLine(child);
    // SIGKILL: no close, no release — as in a crash or the OOM killer. PGlite's lock file stays behind.
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));

    const sql = await openStore(target.options);
    try {
      const key = await findApiKeyByKey(sql, reported.key);
      expect(key).not.toBeNull();
      expect(reported.claimed).toBe(reported.job);
      expect(await getJob(sql, key!.id, reported.job)).toMatchObject({ state: 'running', leaseOwner: 'doomed-worker', attempts: 1 });

      // The child claimed before this clock started: the lease ends at most LEASE_MS from its start.
      const clock = new ManualClock();
      expect(await claimNextJob(sql, 'successor', 60_000, clock)).toBeNull();
      clock.advance(LEASE_MS + 1);
      expect(await claimNextJob(sql, 'successor', 60_000, clock)).toMatchObject({ id: reported.job, leaseOwner: 'successor', attempts: 2, params: { city: 'chengdu' } });
      await completeJob(sql, reported.job, 'successor', { summary: {}, report: {}, communities: [] });
      expect((await getJob(sql, key!.id, reported.job))?.state).toBe('succeeded');
    } finally {
      await sql.close();
    }
  });
});

function firstLine(child: ChildProcess): Promise<{ key: string; job: string; claimed?: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) resolve(JSON.parse(out.slice(0, end)));
    });
    child.once('exit', (code) => reject(new Error(`crash-child.ts exited with ${code} before reporting, expected it to wait to be killed`)));
  });
}
