import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_SETTINGS, resolveFeatureSettings, type FeatureSettings } from '../../../src/market/features/index.js';
import type { FeatureSettingsDoc } from '../../../src/policy/rule-set.js';

describe('feature settings', () => {
  it('defaults to the documented periods', () => {
    expect(DEFAULT_FEATURE_SETTINGS).toEqual({
      atr_period: 14, adx_period: 14, ema_fast: 20, ema_slow: 50, ema_slope_bars: 10, chop_period: 14,
      realized_vol_window: 24, atr_percentile_lookback: 200, correlation_window: 48,
    });
    expect(Object.isFrozen(DEFAULT_FEATURE_SETTINGS)).toBe(true);
    expect(resolveFeatureSettings()).toEqual(DEFAULT_FEATURE_SETTINGS);
  });

  it('overrides only the given fields, accepting the rule set document as is', () => {
    const doc: FeatureSettingsDoc = { atr_period: 7, correlation_window: 96 };
    expect(resolveFeatureSettings(doc)).toEqual({ ...DEFAULT_FEATURE_SETTINGS, atr_period: 7, correlation_window: 96 });
    expect(resolveFeatureSettings({ ema_fast: undefined })).toEqual(DEFAULT_FEATURE_SETTINGS);
  });

  it.each([
    ['atr_period', 0, /atr_period must be a positive integer, got 0/],
    ['adx_period', -3, /adx_period must be a positive integer, got -3/],
    ['ema_slow', 2.5, /ema_slow must be a positive integer, got 2.5/],
    ['ema_fast', Number.NaN, /ema_fast must be a positive integer, got NaN/],
    ['atr_percentile_lookback', '200', /atr_percentile_lookback must be a positive integer, got "200"/],
    ['chop_period', 1, /chop_period must be an integer of at least 2, got 1/],
    ['realized_vol_window', 1, /realized_vol_window must be an integer of at least 2/],
    ['correlation_window', 1, /correlation_window must be an integer of at least 2/],
  ])('rejects %s = %s with an error naming the field', (field, value, message) => {
    expect(() => resolveFeatureSettings({ [field]: value } as unknown as Partial<FeatureSettings>)).toThrow(message);
  });

  it('rejects unknown fields (a typo would otherwise fall back to the default unnoticed)', () => {
    expect(() => resolveFeatureSettings({ atr_perod: 7 } as unknown as Partial<FeatureSettings>)).toThrow(/unknown field "atr_perod"/);
    expect(() => resolveFeatureSettings(null as unknown as Partial<FeatureSettings>)).toThrow(/must be an object/);
  });
});
