import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/edge/cli/cli.ts';
import { compiledEntry } from '../helpers/compiled-source.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would, from the repository root (its compiled copy: test/helpers/compiled-source.ts). */
export function cli(...args: string[]): Promise<CliResult> {
  return cliWithEnv({}, ...args);
}

/** As `cli`, with these variables set (or removed, when undefined) in its environment. */
export function cliWithEnv(env: Record<string, string | undefined>, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const merged: NodeJS.ProcessEnv = { ...process.env, LIFECIRCLE_DEBUG: '', ...env };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
    const child = spawn(process.execPath, [compiledEntry('src/edge/cli/main.ts'), ...args], { cwd: ROOT, env: merged });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * As `cliWithEnv`, in this process: the same commands, without starting node, tsx and the modules
 * again (seconds each on a busy machine) — for tests not about the process itself. The environment
 * and stdout/stderr are this process's for the duration, and given back after; not for concurrent use.
 */
export async function cliInProcess(env: Record<string, string | undefined>, ...args: string[]): Promise<CliResult> {
  const saved = Object.fromEntries(Object.keys({ LIFECIRCLE_DEBUG: '', ...env }).map((name) => [name, process.env[name]]));
  const output = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (stream: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array, encoding?: unknown, done?: unknown) => {
      output[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      (typeof encoding === 'function' ? encoding : typeof done === 'function' ? done : () => {})();
      return true;
    }) as typeof process.stdout.write;
  setEnv({ LIFECIRCLE_DEBUG: '', ...env });
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  try {
    const code = await runCli(args);
    return { code, ...output };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    setEnv(saved);
  }
}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
