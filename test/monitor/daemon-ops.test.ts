import { afterEach, describe, expect, it, vi } from 'vitest';
import { TradingStore } from '../../src/store/index.js';
import { AlertReceiver } from '../support/alert-receiver.js';
import { LiveMarket } from '../support/live-market.js';
import { parseMetrics, PaperDaemon, TOKEN } from '../support/paper-daemon.js';

const H = 3_600_000;

describe('operating a running daemon over HTTP', () => {
  let market: LiveMarket | undefined;
  let receiver: AlertReceiver | undefined;
  let daemon: PaperDaemon | undefined;
  afterEach(async () => {
    await daemon?.stop();
    await receiver?.stop();
    await market?.exchange.stop();
  });

  it('status, metrics, alerts; the token guards control; a pause stops entries while stops and closes keep working', async () => {
    market = await LiveMarket.start();
    receiver = await AlertReceiver.start();
    const t0 = market.last.closeTime;
    const long = (timestamp: number) => ({ symbol: 'BTCUSDT', side: 'long' as const, confidence: 0.9, timestamp });
    daemon = new PaperDaemon(market, { signals: [long(t0 + H), long(t0 + 3 * H), long(t0 + 4 * H)], alertsUrl: receiver.url });
    const base = await daemon.url();
    const get = async (path: string) => (await fetch(new URL(path, base))).json() as Promise<Record<string, any>>;
    const post = (path: string, body: unknown, token: string | null = TOKEN) =>
      fetch(new URL(path, base), { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) } });
    const titles = () => receiver!.bodies().map((b) => String(b.title));
    const alerted = (title: RegExp) => vi.waitFor(() => expect(titles().some((t) => title.test(t)), `no alert ${title} in ${JSON.stringify(titles())}`).toBe(true), { timeout: 10_000, interval: 20 });

    await daemon.cycle(t0);
    await alerted(/^Daemon started/);
    // An entry at t0+1h: the page's API shows it with its stop, the alert tells of the fill.
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon.cycle(t0 + H);
    let status = await get('api/status');
    expect(status).toMatchObject({ source: 'daemon', state: 'running', read_only: false, session: { mode: 'PAPER', symbols: ['BTCUSDT'] }, controls: { gate_open: true }, paused: null });
    expect(status.rule_set).toMatchObject({ version: expect.stringMatching(/\+[0-9a-f]{12}$/), orchestrator: { enable_orchestrator: true, use_for_trading_gate: true } });
    const position = status.positions[0];
    expect(position).toMatchObject({ symbol: 'BTCUSDT', side: 'long', mark_price: expect.any(Number) });
    expect(position.stop_distance_pct).toBeGreaterThan(0);
    expect(position.take_profit_distance_pct).toBeGreaterThan(0);
    await alerted(/^BTCUSDT long opened at/);

    let metrics = parseMetrics(await (await fetch(new URL('metrics', base))).text());
    expect(metrics.get('qt_open_positions')).toBe(1);
    expect(metrics.get('qt_gate_open')).toBe(1);
    expect(metrics.get('qt_entries_paused')).toBe(0);
    expect(metrics.get('qt_entry_signals_total{verdict="opened",reason="OPENED"}')).toBe(1);
    expect(metrics.get('qt_cycle_duration_seconds_count{mid_bar="false"}')).toBeGreaterThanOrEqual(2);
    expect(metrics.get('qt_policy_evaluations_total')).toBeGreaterThanOrEqual(2);
    expect(metrics.get('qt_equity')).toBeCloseTo(status.equity.equity, 6);
    expect(metrics.get('qt_exposure_ratio')).toBeGreaterThan(0);

    // Control needs the token, a reason, and for a close the confirmation typed out.
    expect((await post('api/control/pause', { reason: 'news' }, null)).status).toBe(401);
    expect((await post('api/control/pause', { reason: 'news' }, 'wrong-token-0123456789')).status).toBe(401);
    expect((await post('api/control/pause', {})).status).toBe(400);
    const paused = await post('api/control/pause', { reason: 'CPI release' });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ action: { action: 'pause', reason: 'CPI release', status: 'done', requested_by: expect.stringMatching(/^http /) } });
    await alerted(/^New entries PAUSED by the operator$/);
    expect(await get('api/status')).toMatchObject({ paused: { reason: 'CPI release' } });

    // While paused: the stop still fires at t0+2h, and the entry signal of t0+3h is refused.
    market.nextBar({ high: 0.001, low: 0.08, close: -0.05 });
    await daemon.cycle(t0 + 2 * H);
    await alerted(/^BTCUSDT closed \(stop-loss\)/);
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon.cycle(t0 + 3 * H);
    status = await get('api/status');
    expect(status.positions).toEqual([]);
    expect(status.decisions[0]).toMatchObject({ time: t0 + 3 * H, action: 'blocked', reason: 'PAUSED_BY_OPERATOR' });
    expect(status.blocked_symbols).toContainEqual(expect.objectContaining({ symbol: 'BTCUSDT', by: 'decision', reason: 'PAUSED_BY_OPERATOR' }));
    metrics = parseMetrics(await (await fetch(new URL('metrics', base))).text());
    expect(metrics.get('qt_entries_paused')).toBe(1);
    expect(metrics.get('qt_entry_signals_total{verdict="blocked",reason="PAUSED_BY_OPERATOR"}')).toBe(1);

    expect((await post('api/control/resume', { reason: 'done' })).status).toBe(200);
    await alerted(/^New entries RESUMED/);
    market.nextBar({ high: 0.002, low: 0.001, close: 0.001 });
    await daemon.cycle(t0 + 4 * H);
    expect((await get('api/status')).positions).toHaveLength(1);

    // Closing by hand: refused without the confirmation, done through the loop with it.
    const refused = await post('api/control/close', { reason: 'flat before the weekend', symbol: 'BTCUSDT', confirm: 'yes' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: '"confirm": "CLOSE BTCUSDT" is required to close this position' });
    const closed = await post('api/control/close', { reason: 'flat before the weekend', symbol: 'BTCUSDT', confirm: 'CLOSE BTCUSDT' });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ action: { action: 'close-position', status: 'done', outcome: { closed: [{ symbol: 'BTCUSDT' }] } } });
    await alerted(/^BTCUSDT closed \(manual\)/);
    await alerted(/^Operator close of position .*: done$/);

    expect(await daemon.stop()).toBe(0);
    daemon = undefined;
    await alerted(/^Daemon stopped$/);
    // Every alert was a well-formed generic JSON body.
    for (const body of receiver.bodies()) expect(body).toMatchObject({ source: 'quantum-trader', event: expect.any(String), severity: expect.stringMatching(/^(info|warning|critical)$/), time: expect.any(String) });
    const store = TradingStore.open(String(status.session.store));
    try {
      expect(store.controls.recent(10).map((a) => [a.action, a.status])).toEqual([['close-position', 'done'], ['resume', 'done'], ['pause', 'done']]);
      expect(store.trades().map((t) => t.exit_reason)).toEqual(['stop-loss', 'manual']);
    } finally {
      store.close();
    }
  });

  it('an exchange outage and its recovery are alerted, counted and shown', async () => {
    market = await LiveMarket.start(60);
    receiver = await AlertReceiver.start();
    daemon = new PaperDaemon(market, { signals: [], alertsUrl: receiver.url });
    const base = await daemon.url();
    await daemon.cycle(market.last.closeTime);
    // Three failed candle fetches in a row reach the circuit (exchange.circuit_failures: 3); the fourth try answers.
    market.exchange.inject({ match: /GET \/fapi\/v1\/klines/, kind: 'unavailable', times: 3 });
    const titles = () => receiver!.bodies().map((b) => String(b.title));
    await vi.waitFor(() => expect(titles()).toEqual(expect.arrayContaining(['Exchange NOT ANSWERING: new entries stopped', 'Exchange answering again'])), { timeout: 10_000, interval: 20 });
    expect(titles().indexOf('Exchange NOT ANSWERING: new entries stopped')).toBeLessThan(titles().indexOf('Exchange answering again'));
    const status = (await (await fetch(new URL('api/status', base))).json()) as Record<string, any>;
    expect(status.exchange).toMatchObject({ state: 'up', outages: 1, last_recovery: { after_ms: expect.any(Number) }, sources: [{ name: 'market data', failures: 0 }] });
    const metrics = parseMetrics(await (await fetch(new URL('metrics', base))).text());
    const errors = [...metrics].filter(([k]) => k.startsWith('qt_exchange_errors_total{source="market data"')).reduce((sum, [, v]) => sum + v, 0);
    expect(errors).toBe(3);
    expect(metrics.get('qt_exchange_up')).toBe(1);
  });

  it('without QT_HTTP_TOKEN the page is served and every control action is refused', async () => {
    market = await LiveMarket.start(60);
    daemon = new PaperDaemon(market, { signals: [], token: null });
    const base = await daemon.url();
    const answer = await fetch(new URL('api/control/pause', base), { method: 'POST', body: '{"reason":"x"}', headers: { authorization: 'Bearer anything-at-all-0123' } });
    expect(answer.status).toBe(403);
    expect(((await answer.json()) as { error: string }).error).toMatch(/control actions are disabled: start the daemon with QT_HTTP_TOKEN set/);
    // A page elsewhere cannot read the API through a name that resolves here (DNS rebinding).
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => request(new URL('api/status', base), { headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode!)).end());
    expect(status).toBe(403);
    expect((await fetch(new URL('api/health', base))).status).toBe(200);
  });
});
