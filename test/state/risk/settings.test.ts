import { describe, expect, it } from 'vitest';
import { RiskTracker, riskTrackerSettings } from '../../../src/state/risk/index.js';

describe('RiskTrackerSettings', () => {
  it('defaults to a day starting at 00:00 UTC, 50 quotes / fills for costs, and every trade for performance', () => {
    expect(riskTrackerSettings()).toEqual({ day_start_hour_utc: 0, cost_window: 50 });
    expect(new RiskTracker().settings).toEqual({ day_start_hour_utc: 0, cost_window: 50 });
    expect(riskTrackerSettings({ day_start_hour_utc: 22, cost_window: 10, performance_window: 30 })).toEqual({
      day_start_hour_utc: 22,
      cost_window: 10,
      performance_window: 30,
    });
  });

  it.each([
    [{ day_start_hour_utc: 24 }, /day_start_hour_utc must be an integer hour from 0 to 23, got 24/],
    [{ day_start_hour_utc: -1 }, /day_start_hour_utc .* got -1/],
    [{ day_start_hour_utc: 1.5 }, /day_start_hour_utc .* got 1.5/],
    [{ day_start_hour_utc: '22' }, /day_start_hour_utc .* got "22"/],
    [{ cost_window: 0 }, /cost_window must be an integer of at least 1, got 0/],
    [{ cost_window: Number.NaN }, /cost_window .* got NaN/],
    [{ performance_window: 0 }, /performance_window must be an integer of at least 1 \(or absent for all trades\), got 0/],
    [{ performance_window: 2.5 }, /performance_window .* got 2.5/],
    [{ cost_windw: 10 }, /RiskTrackerSettings.cost_windw is not a known setting/],
  ])('refuses %j, naming the field', (input, message) => {
    expect(() => riskTrackerSettings(input as never)).toThrow(message);
    expect(() => new RiskTracker(input as never)).toThrow(message);
  });
});
