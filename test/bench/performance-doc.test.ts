import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PERFORMANCE_DOC, formatFigure, readResults, renderPerformance } from '../../scripts/bench/performance-doc.ts';
import { figure } from '../../scripts/bench/results.ts';

describe('benchmark results', () => {
  it('docs/performance.md is what bench/results gives (npm run bench:docs)', () => {
    expect(existsSync(PERFORMANCE_DOC)).toBe(true);
    expect(readFileSync(PERFORMANCE_DOC, 'utf8')).toBe(renderPerformance(readResults()));
  });

  it('every results file states its conditions', () => {
    const results = readResults();
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.conditions.commit, r.suite).toMatch(/^[0-9a-f]{40}$/);
      expect(typeof r.conditions.dirty).toBe('boolean');
      expect(r.conditions.node).toMatch(/^v\d+/);
      expect(r.conditions.load.before).toBeGreaterThanOrEqual(0);
      expect(r.tables.length, r.suite).toBeGreaterThan(0);
    }
  });

  it('a figure is the median of its runs with their range', () => {
    expect(figure([5, 1, 3], 'ms')).toEqual({ value: 3, min: 1, max: 5, runs: 3, unit: 'ms' });
    expect(figure([4, 2], 's')).toEqual({ value: 2, min: 2, max: 4, runs: 2, unit: 's' });
    expect(formatFigure(figure([12.34, 10.01, 15.5], 'ms'))).toBe('12.3 ms (10–15.5, 3 runs)');
    expect(formatFigure(figure([7], 'MB', 0))).toBe('7 MB');
  });
});
