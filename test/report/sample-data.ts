import type { ReportData, ReportSeriesPoint, TimelinePoint } from '../../src/report/index.js';

const H = 3_600_000;
export const T0 = Date.parse('2024-01-01T00:00:00Z');

/** Deterministic pseudo-random numbers (mulberry32), so every run of the test sees the same report. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A backtest-like report: hourly BTC random walk with calm and violent phases; the policy run trades less
 * and defends in violent phases, the baseline rides them. The timeline follows the price's volatility.
 */
export function sampleReport(points = 2500, title = 'Quantum Trader backtest: orchestrator ON vs OFF'): ReportData {
  const next = random(42);
  const price: ReportSeriesPoint[] = [];
  const on: ReportSeriesPoint[] = [];
  const off: ReportSeriesPoint[] = [];
  const timeline: TimelinePoint[] = [];
  let close = 42_000;
  let equityOn = 10_000;
  let equityOff = 10_000;
  let volatility = 0.004;
  for (let i = 0; i < points; i++) {
    const time = T0 + (i + 1) * H;
    if (i % 200 === 0) volatility = next() < 0.3 ? 0.012 : next() < 0.5 ? 0.007 : 0.004;
    const move = (next() - 0.5) * 2 * volatility * Math.sqrt(3) + 0.00005;
    close *= 1 + move;
    const violent = volatility > 0.01;
    const exit_mode = violent ? 'DEFENSIVE_TRAIL' : volatility > 0.005 ? 'FAST_TP' : 'TREND_FOLLOW';
    const gate_open = !(violent && i % 200 > 20);
    const stance = !gate_open ? 'NO_NEW_TRADES' : violent ? 'REDUCED' : volatility > 0.005 ? 'SAFE' : 'MODERATE';
    equityOn *= 1 + (gate_open ? 0.25 : 0.05) * move + (next() - 0.49) * 0.0015;
    equityOff *= 1 + 0.45 * move + (next() - 0.495) * 0.002;
    price.push({ time, value: close });
    on.push({ time, value: equityOn });
    off.push({ time, value: equityOff });
    timeline.push({ time, exit_mode, gate_open, stance });
  }
  return {
    title,
    subtitle: 'synthetic market, 5 symbols, 1h candles · profile MODERATE · rules 1.1.0+3f9a0c2b7d41 (sha256 3f9a0c2b7d41e5a6…)',
    runs: [
      { label: 'orchestrator ON (LIVE)', equity: on },
      { label: 'baseline OFF', equity: off },
    ],
    price: { symbol: 'BTCUSDT', points: price },
    timeline,
    table: {
      columns: ['metric', 'orchestrator ON (LIVE)', 'baseline OFF'],
      rows: [
        ['total return', pct(equityOn / 10_000 - 1), pct(equityOff / 10_000 - 1)],
        ['max drawdown', '-5.62%', '-9.48%'],
        ['worst daily drawdown', '-2.31%', '-6.90%'],
        ['trades', '41', '53'],
      ],
    },
    notes: ['orchestrator ON (LIVE): daily-DD reduction vs baseline 66.5%, max-DD reduction 40.7% (positive = shallower than the baseline).'],
  };
}

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;
}
