import type { Cancel, Clock } from '../../src/runtime/clock.ts';

/**
 * A clock that moves only when the test says: `advance(ms)` runs, in time order, every timer that
 * falls due, each at its own time. A lease then expires because the test moved past it, not because
 * the test slept through it, and a busy machine cannot expire one early. It starts at the real time,
 * so that rows written on the database's clock and on this one compare sensibly.
 */
export class ManualClock implements Clock {
  private time: number;
  private timers: { id: number; at: number; every: number | null; fn: () => void }[] = [];
  private nextId = 0;

  constructor(start = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): Cancel {
    return this.add(ms, null, fn);
  }

  every(ms: number, fn: () => void): Cancel {
    if (!(ms > 0)) throw new Error(`every: got ${ms} ms, expected a positive period`);
    return this.add(ms, ms, fn);
  }

  /** Timers waiting to fall due: a runner paused between polls has one. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, running each timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      if (due.every === null) this.timers = this.timers.filter((t) => t !== due);
      else due.at += due.every;
      due.fn();
    }
    this.time = end;
  }

  private add(ms: number, every: number | null, fn: () => void): Cancel {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms), every, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
}
