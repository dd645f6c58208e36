import { describe, expect, it } from 'vitest';
import { formatFigure } from '../../src/cli/study-output.js';

describe('study figures as the tables show them', () => {
  it('signs percentages and Sharpe differences, and shows a value that rounds to zero as 0', () => {
    expect(formatFigure('max_dd_reduction', 0.3192)).toBe('+31.9%');
    expect(formatFigure('return_difference', -0.0134)).toBe('-1.3%');
    expect(formatFigure('worst_day_reduction', -0.0000004)).toBe('0.0%');
    expect(formatFigure('sharpe_difference', -1.2871)).toBe('-1.29');
    expect(formatFigure('sharpe_difference', -0.001)).toBe('0.00');
  });
});
