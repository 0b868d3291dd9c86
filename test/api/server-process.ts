import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { compiledEntry } from '../helpers/compiled-source.ts';

/**
 * src/server.ts as a child process — by default its compiled copy (test/helpers/compiled-source.ts),
 * as `npm start` runs the build; or what `args` give (the build's `dist/server.js`) — configured
 * by its environment, with its JSON log lines collected: for tests that kill it and start it again
 * on the same DATA_DIR.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** Parsed log lines so far (pino JSON). */
  lines: any[];
  exited: Promise<number | null>;
  /** Resolves once a line whose `msg` matches has been logged; rejects if the process exits first. */
  logged(msg: RegExp): Promise<any>;
  stderr(): string;
  /**
   * SIGKILL unless it has exited; resolves when it has. Rejects — failing the test, or its afterEach —
   * if the server died of an uncaught exception or an unhandled rejection (or 'error' event) meanwhile.
   */
  kill(): Promise<void>;
}

export async function startServer(port: number, env: Record<string, string>, args = ['--enable-source-maps', compiledEntry('src/server.ts')]): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // No load shedding unless a test asks for it: the machine's load, not the server's, would trip it.
    env: { ...embeddedStoreEnv(), HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', MAX_EVENT_LOOP_DELAY_MS: '0', MAX_HEAP_USED_MB: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: any[] = [];
  let stderr = '';
  let buffered = '';
  const waiters: { test: RegExp; resolve: (line: any) => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const text of complete) {
      let line: any;
      try {
        line = JSON.parse(text);
      } catch {
        line = { msg: text };
      }
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.test.test(line.msg))) waiter.resolve(line);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const logged = (msg: RegExp) =>
    new Promise<any>((resolve, reject) => {
      const seen = lines.find((l) => msg.test(l.msg));
      if (seen) return resolve(seen);
      waiters.push({ test: msg, resolve });
      exited.then((code) => reject(new Error(`server exited (${code}) before logging ${msg}; stderr: ${stderr}`)));
    });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    lines,
    exited,
    logged,
    stderr: () => stderr,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      // Node ends what it prints for an uncaught error (an exception, an unhandled rejection or
      // 'error' event) with its version line, and prints that line for nothing else.
      if (/^Node\.js v\d+\.\d+\.\d+\s*$/m.test(stderr)) throw new Error(`the server died of an uncaught error (exit ${child.exitCode}): ${stderr.slice(-3000)}`);
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * This process's environment without DATABASE_URL: CI exports it for the storage suite, but the
 * servers these tests start must use their own embedded store in their temporary DATA_DIR.
 */
export function embeddedStoreEnv(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return env;
}
