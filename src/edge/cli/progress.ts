/**
 * Progress of a long command on stderr: on a terminal a bar redrawn in place
 * (`[██████░░░░]  62% yuexiu: computing (34/75 searches)  12 s`); anywhere else — cron mail, a log
 * file, a CI console — plain lines, one each time another tenth is done or every few seconds, never
 * a carriage return.
 */
export interface Progress {
  update(fraction: number, doing: string): void;
  /** A line of its own, printed above the bar. */
  note(message: string): void;
  /** Clears the bar (the summary follows). */
  finish(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Default: whether the stream is a terminal. */
  tty?: boolean;
  /** Plain lines at least this often while something moves (default 5 s). */
  lineEveryMs?: number;
}

const WIDTH = 24;

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? stream.isTTY === true;
  const lineEveryMs = options.lineEveryMs ?? 5000;
  const started = performance.now();
  const elapsed = () => `${Math.round((performance.now() - started) / 1000)} s`;
  let fraction = 0;
  let doing = '';
  let drawn = false;
  let lastDraw = 0;
  let lastTenth = -1;
  let lastLine = performance.now();

  const bar = () => {
    const filled = Math.round(fraction * WIDTH);
    const columns = stream.columns ?? 100;
    const text = `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${percent(fraction).padStart(4)} ${doing}  ${elapsed()}`;
    return text.length > columns - 1 ? `${text.slice(0, columns - 2)}…` : text;
  };
  const clear = () => {
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };

  return {
    update(next, what) {
      fraction = Math.min(1, Math.max(0, next));
      doing = what;
      const now = performance.now();
      if (tty) {
        if (now - lastDraw < 100 && fraction < 1) return;
        lastDraw = now;
        stream.write(`\r${bar()}\x1b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (tenth > lastTenth || now - lastLine >= lineEveryMs) {
        lastTenth = Math.max(lastTenth, tenth);
        lastLine = now;
        stream.write(`progress ${percent(fraction)}: ${doing} (${elapsed()})\n`);
      }
    },
    note(message) {
      clear();
      stream.write(`${message}\n`);
      if (tty && fraction > 0) {
        stream.write(bar());
        drawn = true;
      }
    },
    finish() {
      clear();
    },
  };
}

function percent(fraction: number): string {
  return `${Math.floor(fraction * 100)}%`;
}
