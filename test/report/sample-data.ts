import type { ReportData, ReportSeriesPoint, ReportTrade, TimelinePoint } from '../../src/report/index.js';

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
  // A second symbol priced around 0.0001 (a small-cap pair): its axis labels must not all read 0.
  const small: ReportSeriesPoint[] = [];
  let smallClose = 0.0001035;
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
    smallClose *= 1 + move * 1.5;
    price.push({ time, value: close });
    small.push({ time, value: smallClose });
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
    prices: [{ symbol: 'BTCUSDT', points: price, decimals: 2 }, { symbol: 'PEPEUSDT', points: small, decimals: 7 }],
    reference: 'BTCUSDT',
    trades: sampleTrades(price, small),
    verdicts: ['orchestrator ON (LIVE) lost less than baseline OFF with shallower drawdowns: total return -1.20% vs -3.40%, max drawdown -5.62% vs -9.48% (41% shallower), worst day -2.31% vs -6.90% (67% shallower), 41 vs 53 trades.'],
    sections: [
      { id: 'monthly', title: 'Monthly returns', table: { columns: ['month', 'orchestrator ON (LIVE)', 'baseline OFF'], rows: [['2024-01', '+1.00%', '-2.00%'], ['2024-02', '-0.50%', '+0.70%']] } },
      { id: 'shutdowns-on', title: 'Shutdown events: orchestrator ON (LIVE)', intro: 'Each closing of the trading gate after the warm-up.', table: { columns: ['gate closed (UTC)', 'reopened (UTC)', 'hours', 'rule', 'note'], rows: [['2024-01-09 06:00Z', '2024-01-10 01:00Z', '19', 'gate-extreme-volatility', 'Extreme volatility: no new trades']] } },
    ],
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

/**
 * Trades of both runs on both symbols, every 150 bars one lasting 20 bars, long and short in turn: what
 * the markers and the trade list draw.
 */
function sampleTrades(price: readonly ReportSeriesPoint[], small: readonly ReportSeriesPoint[]): ReportTrade[] {
  const trades: ReportTrade[] = [];
  for (const [symbol, points] of [['BTCUSDT', price], ['PEPEUSDT', small]] as const) {
    for (let run = 0; run < 2; run++) {
      for (let i = 100 + run * 40 + (symbol === 'PEPEUSDT' ? 70 : 0); i + 20 < points.length; i += 150) {
        const entry = points[i]!;
        const exit = points[i + 20]!;
        const side = (i / 150) % 2 < 1 ? 'long' : 'short';
        const quantity = symbol === 'BTCUSDT' ? 0.05 : 25_000_000;
        const pnl = (side === 'long' ? exit.value - entry.value : entry.value - exit.value) * quantity;
        trades.push({ run, symbol, side, quantity, opened_at: entry.time, entry_price: entry.value, closed_at: exit.time, exit_price: exit.value, pnl, r_multiple: pnl / 20, exit_reason: pnl > 0 ? 'take-profit' : 'stop-loss' });
      }
    }
  }
  return trades;
}

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;
}
