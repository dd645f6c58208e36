import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../config/problem.js';
import type { PaperBrokerJSON } from '../broker/paper/index.js';
import { exposureOf } from '../execution/risk-controller.js';
import type { SymbolBlocksJSON } from '../execution/symbol-blocks.js';
import { StoreError, TradingStore } from '../store/index.js';
import { EXIT } from './exit-codes.js';
import type { Output } from './output.js';
import { engineFrom, type RuleSetFlags } from './rule-set-options.js';

export interface StatusParams extends RuleSetFlags {
  readonly store?: string;
  readonly format: 'pretty' | 'json';
}

const SWITCHES = [
  'use_for_signal_filter', 'use_for_confidence_threshold', 'use_for_risk_sizing', 'use_for_exit_mode',
  'use_for_trading_gate', 'use_for_position_limits', 'log_all_signals',
] as const;

/**
 * `status`: the design's "Policy Status Check" and monitoring view. What the rule set in the folders
 * says (version, active profile, orchestrator mode and switches) and, with --store, what the trading
 * process last did: the controls of its last cycle, equity and drawdown baseline, streak, open positions.
 */
export async function statusCommand(params: StatusParams, output: Output, cwd = process.cwd()): Promise<number> {
  const engine = engineFrom(params, cwd);
  const rs = engine.ruleSet;
  const orchestrator = Object.fromEntries([['enable_orchestrator', rs.orchestrator.enable_orchestrator], ['mode', rs.orchestrator.mode], ...SWITCHES.map((s) => [s, rs.orchestrator[s]])]);
  const active = engine.profile();
  const limits = {
    exposure_basis: active.limits.exposure_basis ?? 'notional',
    max_symbol_exposure_pct: active.limits.max_symbol_exposure_pct,
    max_total_exposure_pct: active.limits.max_total_exposure_pct,
    daily_dd_limit_pct: active.circuit_breakers.daily_dd_limit_pct,
    daily_dd_latch: active.circuit_breakers.daily_dd_latch ?? 'rest_of_day',
  };
  const status: Record<string, unknown> = { rule_set_version: rs.version, files: rs.files.length, active_profile: rs.activeProfile, orchestrator, limits };
  if (params.store !== undefined) {
    const store = openExistingStore(params.store, resolve(cwd, params.store));
    try {
      const cycles = store.cycles();
      const risk = store.loadRiskState();
      const equity = store.lastEquity();
      const lastPolicy = cycles.at(-1)?.policy as { profile?: string } | undefined;
      const traded = lastPolicy?.profile !== undefined && rs.profiles.has(lastPolicy.profile) ? engine.profile(lastPolicy.profile) : active;
      const open = store.openPositions();
      const exposure = equity === undefined ? undefined : exposureOf(open, equity.equity, traded);
      const blocks = store.loadState<SymbolBlocksJSON>('symbol-blocks');
      const venue = store.loadState<PaperBrokerJSON>('venue');
      status.store = {
        path: params.store,
        last_cycle: cycles.at(-1) ?? null,
        paused: store.controls.pause() ?? null,
        shutdown_events: cycles.filter((c, i) => !c.gate_open && (i === 0 || cycles[i - 1]!.gate_open)).length,
        equity: equity ?? null,
        day_start_equity: risk?.day_start_equity ?? null,
        daily_dd_pct: equity !== undefined && risk?.day_start_equity ? Math.min(0, equity.equity / risk.day_start_equity - 1) : null,
        losing_streak: risk?.losing_streak ?? 0,
        drawdown_latch: risk?.drawdown_latch ?? null,
        exposure: exposure ?? null,
        blocked_symbols: blocks?.blocks ?? [],
        fallbacks: cycles.filter((c) => (c.policy as { risk_profile?: string } | undefined)?.risk_profile === 'FALLBACK').length,
        ...(venue?.funding === undefined ? {} : { funding: venue.funding }),
        open_positions: open,
        trades: store.trades().length,
      };
    } finally {
      store.close();
    }
  }
  if (params.format === 'json') {
    output.out(JSON.stringify(status, null, 2));
    return EXIT.OK;
  }
  const onOff = (v: unknown) => (v ? 'on' : 'OFF');
  const lines = [
    `rule set ${rs.version} (${rs.files.length} files), active profile ${rs.activeProfile}`,
    `orchestrator ${rs.orchestrator.enable_orchestrator ? 'enabled' : 'DISABLED (static profile policy)'}, mode ${rs.orchestrator.mode}`,
    ...SWITCHES.map((s) => `  ${s.padEnd(30)} ${onOff(rs.orchestrator[s])}`),
    `limits of ${active.name}: exposure on the ${limits.exposure_basis} basis, max ${pct(limits.max_symbol_exposure_pct)} per symbol and ${pct(limits.max_total_exposure_pct)} in total; daily DD circuit at ${pct(limits.daily_dd_limit_pct)}, latched ${limits.daily_dd_latch === 'rest_of_day' ? 'for the rest of the trading day' : `for ${limits.daily_dd_latch} h`}`,
  ];
  const s = status.store as Record<string, unknown> | undefined;
  if (s !== undefined) {
    const cycle = s.last_cycle as { time: number; mode: string; gate_open: boolean; exit_mode: string; stance: string; min_confidence: number; max_risk_pct: number } | null;
    lines.push(`store ${params.store}: ${s.trades} closed trades, ${s.shutdown_events} shutdown events, ${s.fallbacks} fallback policies (Orchestrator failed … using SAFE FALLBACK)`);
    const paused = s.paused as { reason: string; requested_at: number; requested_by: string } | null;
    if (paused !== null) lines.push(`  new entries PAUSED by the operator since ${new Date(paused.requested_at).toISOString()} (${paused.requested_by}): ${paused.reason}`);
    if (cycle !== null) {
      lines.push(`  last cycle ${new Date(cycle.time).toISOString()} (${cycle.mode}): gate ${cycle.gate_open ? 'OPEN' : 'CLOSED'}, exit mode ${cycle.exit_mode}, stance ${cycle.stance}, min_conf ${cycle.min_confidence.toFixed(2)}, max_risk ${(cycle.max_risk_pct * 100).toFixed(2)}%`);
    }
    const equity = s.equity as { equity: number } | null;
    if (equity !== null) {
      const dd = s.daily_dd_pct as number | null;
      lines.push(`  equity ${equity.equity.toFixed(2)} (day start ${(s.day_start_equity as number | null)?.toFixed(2) ?? '-'}, daily DD ${dd === null ? '-' : `${(dd * 100).toFixed(2)}%`}), losing streak ${s.losing_streak}`);
    }
    const latch = s.drawdown_latch as { since: number; until: number; daily_dd_pct: number } | null;
    lines.push(latch === null ? '  daily DD circuit: not tripped' : `  daily DD circuit: LATCHED since ${iso(latch.since)} at ${pct(latch.daily_dd_pct)}, no new trades until ${iso(latch.until)}`);
    const exposure = s.exposure as { basis: string; exposure_pct: number; margin_pct: number } | null;
    if (exposure !== null) lines.push(`  exposure ${pct(exposure.exposure_pct)} of equity (${exposure.basis}), margin in use ${pct(exposure.margin_pct)}`);
    const blocked = s.blocked_symbols as { symbol: string; reason: string; since: number }[];
    lines.push(`  blocked symbols: ${blocked.length === 0 ? 'none' : ''}`);
    for (const b of blocked) lines.push(`    ${b.symbol} since ${iso(b.since)}: ${b.reason}`);
    const funding = s.funding as { symbol: string; amount: number }[] | undefined;
    if (funding !== undefined && funding.length > 0) lines.push(`  funding ${funding.reduce((sum, f) => sum + f.amount, 0).toFixed(2)} USDT (${funding.map((f) => `${f.symbol} ${f.amount.toFixed(2)}`).join(', ')})`);
    const positions = s.open_positions as { symbol: string; side: string; quantity: number; entry_price: number; stop_price: number; take_profit_price: number; exit_mode: string }[];
    lines.push(`  open positions: ${positions.length}`);
    for (const p of positions) lines.push(`    ${p.symbol} ${p.side} ${p.quantity} @ ${p.entry_price}  stop ${p.stop_price}  tp ${p.take_profit_price}  (${p.exit_mode})`);
  }
  output.out(lines.join('\n'));
  return EXIT.OK;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

/**
 * A store given to `status` must already be one: status only reads, so it never creates a file, never
 * turns an empty file into a store, and never blocks on a FIFO. Whatever the file is instead is the
 * user's input problem (exit 2, one line), not an internal error.
 */
function openExistingStore(shown: string, path: string): TradingStore {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new InputError(`--store: ${shown} is ${stat.isDirectory() ? 'a directory' : 'not a regular file'}, not a store`);
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`--store: ${shown} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`}`);
  }
  if (size === 0) throw new InputError(`--store: ${shown} is an empty file, not a store`);
  try {
    return TradingStore.open(path);
  } catch (error) {
    if (error instanceof StoreError) throw new InputError(`--store: ${error.message.replace(`store ${path}: `, `${shown}: `)}`);
    throw error;
  }
}
