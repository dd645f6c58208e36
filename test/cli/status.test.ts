import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPaperSession } from '../../src/backtest/paper-session.js';
import { silentLogger } from '../../src/logger.js';
import { runCli, runMain } from '../support/cli.js';
import { statusCommand } from '../../src/cli/status-command.js';
import { TradingStore } from '../../src/store/index.js';
import { bundledEngine, roomyLimitsEngine } from '../support/rule-sets.js';
import { TEST_BROKER, candlesOf, scriptedSignals } from '../support/trading.js';

describe('quantum-trader status (the design’s policy status check)', () => {
  it('shows the rule-set version, active profile, orchestrator mode and every use_for_* switch', async () => {
    const result = await runCli(['status']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^rule set \d+\.\d+\.\d+\+[0-9a-f]{12} \(\d+ files\), active profile SAFE$/m);
    expect(result.stdout).toContain('orchestrator enabled, mode LIVE');
    for (const s of ['use_for_signal_filter', 'use_for_confidence_threshold', 'use_for_risk_sizing', 'use_for_exit_mode', 'use_for_trading_gate', 'use_for_position_limits', 'log_all_signals']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${s} +on$`, 'm'));
    }
  });

  it('with --store, shows the last cycle, equity, drawdown baseline, streak and open positions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qt-status-'));
    try {
      const path = join(dir, 'run.sqlite');
      const { store } = await runPaperSession({ candles: await candlesOf({ symbols: ['BTCUSDT', 'ETHUSDT'], bars: 500 }), signalsAt: scriptedSignals, policy: { engine: roomyLimitsEngine() }, storePath: path, broker: TEST_BROKER, logger: silentLogger() });
      const trades = store.trades().length;
      store.close();
      const pretty = await runCli(['status', '--store', path]);
      expect(pretty.status).toBe(0);
      expect(pretty.stdout).toContain(`store ${path}: ${trades} closed trades`);
      expect(pretty.stdout).toMatch(/last cycle 2024-\S+ \(LIVE\): gate (OPEN|CLOSED), exit mode \w+, stance \w+/);
      expect(pretty.stdout).toMatch(/equity \d+\.\d\d \(day start \d+\.\d\d, daily DD -?\d+\.\d\d%\), losing streak \d+/);
      const json = JSON.parse((await runMain(['status', '--store', path, '--format', 'json'])).stdout) as { store: { trades: number; open_positions: unknown[] } };
      expect(json.store.trades).toBe(trades);
      expect((await runMain(['status', '--store', join(dir, 'missing.sqlite')])).stderr).toContain('does not exist');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the exposure basis, the latched drawdown, blocked symbols with reason and since when, and the fallback count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qt-status-'));
    try {
      const path = join(dir, 'run.sqlite');
      const { store } = await runPaperSession({ candles: await candlesOf({ bars: 480 }), signalsAt: () => [], policy: { engine: bundledEngine() }, storePath: path, broker: TEST_BROKER, logger: silentLogger() });
      store.close();
      // What a process would have checkpointed: a tripped circuit, a blocked symbol, a cycle on the fallback policy.
      const edit = TradingStore.open(path);
      const risk = edit.loadRiskState()!;
      const since = risk.clock!;
      edit.transaction(() => {
        edit.saveRiskState({ ...risk, drawdown_latch: { since, until: since + 3_600_000, daily_dd_pct: -0.031 } });
        edit.saveState('symbol-blocks', { blocks: [{ symbol: 'XRPUSDT', reason: 'XRPUSDT blocked: poor performance (WR 20.00%, avg R -0.4)', since }], ended: [], shadows: [] });
        edit.recordCycle({ time: since + 1, mode: 'LIVE', gate_open: true, exit_mode: 'DEFENSIVE_TRAIL', stance: 'FALLBACK', min_confidence: 0.65, max_risk_pct: 0.01, policy: { risk_profile: 'FALLBACK', profile: 'SAFE' } });
      });
      edit.close();
      const status = async (format: 'pretty' | 'json') => {
        let stdout = '';
        await statusCommand({ store: path, format }, { out: (t) => (stdout += `${t}\n`), err: (t) => (stdout += t) });
        return stdout;
      };
      const pretty = { stdout: await status('pretty') };
      expect(pretty.stdout).toContain('limits of SAFE: exposure on the notional basis, max 5.00% per symbol and 10.00% in total; daily DD circuit at -2.50%, latched for the rest of the trading day');
      expect(pretty.stdout).toContain(`daily DD circuit: LATCHED since ${new Date(since).toISOString()} at -3.10%, no new trades until ${new Date(since + 3_600_000).toISOString()}`);
      expect(pretty.stdout).toMatch(/exposure 0\.00% of equity \(notional\), margin in use 0\.00%/);
      expect(pretty.stdout).toContain(`XRPUSDT since ${new Date(since).toISOString()}: XRPUSDT blocked: poor performance`);
      expect(pretty.stdout).toContain('1 fallback policies (Orchestrator failed … using SAFE FALLBACK)');
      const json = JSON.parse(await status('json')) as { limits: { exposure_basis: string }; store: { fallbacks: number; blocked_symbols: unknown[]; drawdown_latch: unknown } };
      expect(json.limits.exposure_basis).toBe('notional');
      expect(json.store).toMatchObject({ fallbacks: 1, blocked_symbols: [{ symbol: 'XRPUSDT' }], drawdown_latch: { daily_dd_pct: -0.031 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
