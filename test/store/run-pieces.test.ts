import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  type RunPiece,
  type Sql,
  cancelJob,
  claimNextJob,
  completeJob,
  createApiKey,
  enqueueJob,
  failJob,
  getRun,
  readRunPiece,
  storeRunPiece,
} from '../../src/runtime/store/index.ts';
import { ManualClock } from '../helpers/manual-clock.ts';
import { describeBackends, openFreshStore } from './backends.ts';

/**
 * A run's pieces: stored under the lease of one attempt, read back byte for byte, made into a run
 * exactly once; an attempt that lost its lease (crashed, cancelled) leaves nothing a run reads.
 */
const LONG = 60_000;
const SHORT = 300;

/** Pieces of 3 communities over `total`, with random bytes (the store keeps whatever the job encoded). */
function piecesOf(total: number, size = 3): RunPiece[] {
  const pieces: RunPiece[] = [];
  for (let first = 0; first < total; first += size) {
    const count = Math.min(size, total - first);
    pieces.push({ first, count, reports: new Uint8Array(randomBytes(100 + first)), geometries: new Uint8Array(randomBytes(20 + count)) });
  }
  return pieces;
}

const bytes = (b: Uint8Array) => Buffer.from(b).toString('hex');

describeBackends('run pieces', (backend) => {
  let sql: Sql;
  let done: () => Promise<void>;
  let owner: string;
  beforeAll(async () => {
    ({ sql, done } = await openFreshStore(backend));
    owner = (await createApiKey(sql, 'a')).id;
  });
  afterAll(() => done());
  beforeEach(async () => {
    await sql.query('DELETE FROM jobs');
  });

  const run = (attempt: number, communities: number) => ({ summary: { s: 1 }, report: { facilities: { count: 0 } }, communities: { dataset: 'ds_x' }, pieces: { attempt, communities } });

  it('pieces written under the lease are read back equal, by any community they hold', async () => {
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params: {} });
    const claimed = (await claimNextJob(sql, 'w1', LONG))!;
    const pieces = piecesOf(10);
    for (const p of pieces) expect(await storeRunPiece(sql, job.id, 'w1', claimed.attempts, p)).toBe(true);
    const stored = await completeJob(sql, job.id, 'w1', run(claimed.attempts, 10));
    const found = (await getRun(sql, owner, stored.id))!;
    expect(found.pieces).toEqual({ jobId: job.id, attempt: 1, communities: 10 });
    for (let index = 0; index < 10; index++) {
      const piece = (await readRunPiece(sql, found.pieces!, index))!;
      const expected = pieces[Math.floor(index / 3)];
      expect({ first: piece.first, count: piece.count, reports: bytes(piece.reports), geometries: bytes(piece.geometries) }).toEqual({
        first: expected.first, count: expected.count, reports: bytes(expected.reports), geometries: bytes(expected.geometries),
      });
    }
    expect(await readRunPiece(sql, found.pieces!, 10)).toBeNull();
  });

  it('a job retried after losing its lease stores one set of pieces: the crashed attempt’s are never read and are deleted', async () => {
    const clock = new ManualClock();
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params: {} });
    const first = (await claimNextJob(sql, 'w1', SHORT, clock))!;
    const stale = piecesOf(9);
    // w1 stores two pieces and "crashes".
    for (const p of stale.slice(0, 2)) expect(await storeRunPiece(sql, job.id, 'w1', first.attempts, p)).toBe(true);
    clock.advance(SHORT + 1);
    const second = (await claimNextJob(sql, 'w2', LONG, clock))!;
    expect(second.attempts).toBe(2);
    // w1 comes back and writes on: refused, its lease is gone.
    expect(await storeRunPiece(sql, job.id, 'w1', first.attempts, stale[2])).toBe(false);
    expect(await storeRunPiece(sql, job.id, 'w1', second.attempts, stale[2])).toBe(false);
    const fresh = piecesOf(9);
    for (const p of fresh) expect(await storeRunPiece(sql, job.id, 'w2', second.attempts, p)).toBe(true);
    // Storing a piece again (a retry after an outage) replaces it rather than adding one.
    expect(await storeRunPiece(sql, job.id, 'w2', second.attempts, fresh[1])).toBe(true);
    const made = await completeJob(sql, job.id, 'w2', run(second.attempts, 9));
    const rows = await sql.query<{ attempt: number; first: number }>('SELECT attempt, first FROM run_pieces WHERE job_id = $1 ORDER BY first', [job.id]);
    expect(rows.map((r) => [r.attempt, r.first])).toEqual([[2, 0], [2, 3], [2, 6]]);
    const piece = (await readRunPiece(sql, made.pieces!, 4))!;
    expect(bytes(piece.reports)).toBe(bytes(fresh[1].reports));
    expect(await sql.query('SELECT id FROM runs WHERE job_id = $1', [job.id])).toHaveLength(1);
  });

  it('a run is made only of every community, once: missing pieces or another attempt are refused and nothing is stored', async () => {
    const job = await enqueueJob(sql, owner, { kind: 'coverage', params: {} });
    const claimed = (await claimNextJob(sql, 'w1', LONG))!;
    const pieces = piecesOf(9);
    await storeRunPiece(sql, job.id, 'w1', claimed.attempts, pieces[0]);
    await storeRunPiece(sql, job.id, 'w1', claimed.attempts, pieces[2]);
    await expect(completeJob(sql, job.id, 'w1', run(claimed.attempts, 9))).rejects.toThrow(/hold 6 communities with gaps or overlaps, expected 9/);
    await storeRunPiece(sql, job.id, 'w1', claimed.attempts, pieces[1]);
    await expect(completeJob(sql, job.id, 'w1', run(claimed.attempts + 1, 9))).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(await sql.query('SELECT id FROM runs WHERE job_id = $1', [job.id])).toHaveLength(0);
    const made = await completeJob(sql, job.id, 'w1', run(claimed.attempts, 9));
    expect(made.pieces).toMatchObject({ communities: 9 });
  });

  it('a failed or cancelled job leaves no pieces behind, and a cancelled job’s worker can store none', async () => {
    const failing = await enqueueJob(sql, owner, { kind: 'coverage', params: {} });
    const f = (await claimNextJob(sql, 'w1', LONG))!;
    await storeRunPiece(sql, failing.id, 'w1', f.attempts, piecesOf(3)[0]);
    await failJob(sql, failing.id, 'w1', { code: 'X', message: 'bad input' });
    const cancelled = await enqueueJob(sql, owner, { kind: 'coverage', params: {} });
    const c = (await claimNextJob(sql, 'w1', LONG))!;
    await storeRunPiece(sql, cancelled.id, 'w1', c.attempts, piecesOf(3)[0]);
    await cancelJob(sql, owner, cancelled.id);
    expect(await storeRunPiece(sql, cancelled.id, 'w1', c.attempts, piecesOf(6)[1])).toBe(false);
    expect(await sql.query('SELECT job_id FROM run_pieces')).toEqual([]);
  });
});
