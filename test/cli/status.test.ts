import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPaperSession } from '../../src/backtest/paper-session.js';
import { silentLogger } from '../../src/logger.js';
import { runCli, runMain } from '../support/cli.js';
import { bundledEngine } from '../support/rule-sets.js';
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
      const { store } = await runPaperSession({ candles: await candlesOf({ symbols: ['BTCUSDT', 'ETHUSDT'], bars: 500 }), signalsAt: scriptedSignals, policy: { engine: bundledEngine() }, storePath: path, broker: TEST_BROKER, logger: silentLogger() });
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
});
