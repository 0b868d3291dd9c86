// `npm run check` (and the start of `npm test`): the static checks — types (`typecheck`), unused
// files and exports (`unused`), the tiers' imports (`check:tiers`) — at once, as the package.json
// scripts of those names: on two cores they take the time of the longest (tsc), not of the three.
// Each one's output is printed whole when it ends; the exit code is 1 if any failed, naming them.
import { spawn } from 'node:child_process';

const CHECKS = ['typecheck', 'unused', 'check:tiers'];
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];

const results = await Promise.all(
  CHECKS.map(
    (name) =>
      new Promise((resolve) => {
        const started = Date.now();
        const child = spawn(npm[0], [...npm.slice(1), 'run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('error', (err) => resolve({ name, code: 1, output: String(err) }));
        child.on('close', (code) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          process.stdout.write(`${code === 0 ? '✓' : '✗'} ${name} (${seconds} s)\n${output.trim() ? `${output.trimEnd()}\n` : ''}`);
          resolve({ name, code });
        });
      }),
  ),
);
const failed = results.filter((r) => r.code !== 0).map((r) => r.name);
if (failed.length > 0) {
  process.stderr.write(`failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
