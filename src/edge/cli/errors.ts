import { InputError } from '../../core/errors.ts';

/** A wrong command line or unusable input files: the message says what to change; exits 2. */
export class BadInputError extends Error {
  override readonly name = 'BadInputError';
}

export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;

/** Core parameter names as the CLI spells them, so that "speedKmh: got -1" reads "--speed-kmh: got -1". */
const FLAG_OF: Record<string, string> = {
  minutes: '--minutes',
  maxMinutes: '--max-minutes',
  mode: '--mode',
  speedKmh: '--speed-kmh',
  output: '--output',
  offNetworkM: '--off-network-m',
  maxSnapM: '--max-snap-m',
};

/** The one line printed for a failure, and the exit code: 2 for bad input or usage, 1 for anything else. */
export function describeFailure(err: unknown): { message: string; exitCode: number } {
  if (err instanceof BadInputError) return { message: err.message, exitCode: EXIT.badInput };
  if (err instanceof InputError) return { message: withFlagNames(err), exitCode: EXIT.badInput };
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) return { message: parseArgsMessage(err as Error), exitCode: EXIT.badInput };
  return { message: err instanceof Error ? err.message : String(err), exitCode: EXIT.failure };
}

function withFlagNames(err: InputError): string {
  const base = err.where?.replace(/\[.*$/, '');
  const flag = base ? FLAG_OF[base] : undefined;
  if (!flag || !err.where || !err.message.startsWith(err.where)) return err.message;
  return flag + err.where.slice(base!.length) + err.message.slice(err.where.length);
}

/** node:util parseArgs explains how to pass a positional starting with "-": say what matters instead. */
function parseArgsMessage(err: Error): string {
  const unknown = /^Unknown option '([^']+)'/.exec(err.message);
  if (unknown) return `unknown option ${unknown[1]} (see --help)`;
  return err.message.replace(/\. To specify a positional argument.*$/, '');
}
