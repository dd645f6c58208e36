import { describe, expect, it, vi } from 'vitest';
import { PaperBroker } from '../../src/broker/paper/index.js';
import { silentLogger } from '../../src/logger.js';
import { runLiveSession } from '../../src/live/live-session.js';
import type { Candle } from '../../src/market/candle.js';
import { TradingStore } from '../../src/store/index.js';
import { roomyLimitsEngine } from '../support/rule-sets.js';
import { candlesOf, TEST_BROKER } from '../support/trading.js';

const H = 3_600_000;
const PAPER = { adoptUnknownPositions: true, startupRetry: { base_delay_ms: 10, max_delay_ms: 100 }, settleMs: 0 };

describe('live session with several symbols', () => {
  it('trades an instant only once every symbol has published its bar, or once it is a whole bar late', async () => {
    const all = await candlesOf({ symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], bars: 520 });
    const history = all.slice(0, 500 * 3);
    const published = new Map<string, Candle[]>(['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].map((s) => [s, history.filter((c) => c.symbol === s)]));
    const nextTime = history.at(-1)!.closeTime + H;
    const bar = (symbol: string) => all.find((c) => c.symbol === symbol && c.closeTime === nextTime)!;
    let now = nextTime + 60_000;
    const feed = { closed: async (symbol: string, _tf: number, since: number | undefined) => published.get(symbol)!.filter((c) => since === undefined || c.openTime >= since), now: () => now };
    const store = TradingStore.open(':memory:');
    const traded: number[] = [];
    let stop!: () => void;
    const session = runLiveSession({
      feed, venue: async () => new PaperBroker(TEST_BROKER), symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], timeframe: H, policy: { engine: roomyLimitsEngine() },
      signals: { name: 'none', signalsAt: () => [] }, store, logger: silentLogger(), pollMs: 10, ...PAPER,
      stop: new Promise<void>((resolve) => (stop = resolve)), onCycle: (t) => traded.push(t),
    });
    await vi.waitFor(() => expect(traded).toContain(nextTime - H));
    published.get('BTCUSDT')!.push(bar('BTCUSDT'));
    published.get('ETHUSDT')!.push(bar('ETHUSDT'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(traded).not.toContain(nextTime); // SOLUSDT's bar is not out yet
    published.get('SOLUSDT')!.push(bar('SOLUSDT'));
    await vi.waitFor(() => expect(traded).toContain(nextTime));
    expect(store.cycles().at(-1)!.time).toBe(nextTime);

    // A symbol that stops publishing holds the others back for one bar at most.
    const later = nextTime + H;
    published.get('BTCUSDT')!.push(all.find((c) => c.symbol === 'BTCUSDT' && c.closeTime === later)!);
    published.get('ETHUSDT')!.push(all.find((c) => c.symbol === 'ETHUSDT' && c.closeTime === later)!);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(traded).not.toContain(later);
    now = later + H + 1;
    await vi.waitFor(() => expect(traded).toContain(later));
    stop();
    await session;
    store.close();
  });
});

describe('live session between candle closes', () => {
  it('acts on a signal that arrives mid-bar at the next poll, not at the next close', async () => {
    const history = await candlesOf({ symbols: ['BTCUSDT'], phases: [{ regime: 'uptrend', vol: 'normal', bars: 500 }] });
    const lastClose = history.at(-1)!.closeTime;
    let now = lastClose + 60_000;
    const signalAt = lastClose + 30 * 60_000;
    const { JsonLinesSignalSource } = await import('../../src/signals/index.js');
    const signals = JsonLinesSignalSource.fromText(JSON.stringify({ symbol: 'BTCUSDT', side: 'long', confidence: 0.9, timestamp: signalAt }), 'model.jsonl');
    const store = TradingStore.open(':memory:');
    const traded: number[] = [];
    let stop!: () => void;
    const session = runLiveSession({
      feed: { closed: async () => history, now: () => now }, venue: async () => new PaperBroker(TEST_BROKER), symbols: ['BTCUSDT'], timeframe: H, policy: { engine: roomyLimitsEngine() },
      signals, store, logger: silentLogger(), pollMs: 10, ...PAPER, stop: new Promise<void>((resolve) => (stop = resolve)), onCycle: (t) => traded.push(t),
    });
    await vi.waitFor(() => expect(traded).toContain(lastClose));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(store.openPositions()).toEqual([]); // the signal is not due yet
    now = signalAt + 5_000;
    await vi.waitFor(() => expect(store.openPositions()).toHaveLength(1));
    expect(traded.at(-1)).toBe(signalAt + 5_000);
    expect(store.decisions().find((d) => d.action === 'opened')!.time).toBe(signalAt + 5_000);
    stop();
    await session;
    store.close();
  });
});
