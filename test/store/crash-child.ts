/**
 * A worker process for crash.test.ts: opens the store given as JSON options, stores a key and a job,
 * claims the job with a short lease, reports the ids on stdout — and then hangs until it is killed.
 */
import { claimNextJob, createApiKey, enqueueJob, openStore } from '../../src/runtime/store/index.ts';

const sql = await openStore(JSON.parse(process.argv[2]));
const key = await createApiKey(sql, 'killed worker');
const job = await enqueueJob(sql, key.id, { kind: 'coverage', params: { city: 'chengdu' } });
const claimed = await claimNextJob(sql, 'doomed-worker', Number(process.argv[3]));
process.stdout.write(`${JSON.stringify({ key: key.key, job: job.id, claimed: claimed?.id })}\n`);
setInterval(() => {}, 60_000);
