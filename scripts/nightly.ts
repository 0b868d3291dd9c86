/**
 * The nightly recomputation for cron: `npx tsx scripts/nightly.ts --config nightly.json` (or
 * `npm run nightly -- --config nightly.json`), the same as `npm run cli -- nightly …`. For example:
 *
 *   30 1 * * *  cd /srv/lifecircle && npm run --silent nightly -- --config /etc/lifecircle/nightly.json
 *
 * Exits 0 when the date is complete (computed now or earlier), 1 when a job failed (the next run
 * resumes it), 2 for a bad config.
 */
process.argv.splice(2, 0, 'nightly');
await import('../src/edge/cli/main.ts');
