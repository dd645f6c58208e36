import type Database from 'better-sqlite3';
import type { EquityPoint } from '../execution/journal.js';
import type { CycleRow, DecisionRow, OrderRow, PositionRow, TradeRow } from './rows.js';

/** Optional filters bind NULL for "any", so one prepared statement serves every combination. */
export interface OrderFilterParams { symbol: string | null; position_id: string | null; status: string | null }
export interface RangeParams { from: number | null; to: number | null }
export interface DecisionFilterParams extends RangeParams { symbol: string | null }

export interface RiskStateRow {
  day_start: number | null;
  day_start_equity: number | null;
  losing_streak: number;
  doc: string;
}

/**
 * Every statement the store runs, prepared once when it opens (after the migrations, which they depend
 * on). Writes are upserts keyed by the object's own id, so a replay after a crash overwrites instead of
 * adding a row.
 */
export function prepareStatements(db: Database.Database) {
  return {
    saveOrder: db.prepare<OrderRow>(`
      INSERT INTO orders (client_id, symbol, side, type, purpose, quantity, trigger_price, reduce_only, position_id, status,
                          created_at, updated_at, fill_price, filled_quantity, fee, reason, signal_id, cancel_requested_at, plan, exit_reason)
      VALUES (@client_id, @symbol, @side, @type, @purpose, @quantity, @trigger_price, @reduce_only, @position_id, @status,
              @created_at, @updated_at, @fill_price, @filled_quantity, @fee, @reason, @signal_id, @cancel_requested_at, @plan, @exit_reason)
      ON CONFLICT (client_id) DO UPDATE SET
        symbol = excluded.symbol, side = excluded.side, type = excluded.type, purpose = excluded.purpose, quantity = excluded.quantity,
        trigger_price = excluded.trigger_price, reduce_only = excluded.reduce_only, position_id = excluded.position_id,
        status = excluded.status, created_at = excluded.created_at, updated_at = excluded.updated_at, fill_price = excluded.fill_price,
        filled_quantity = excluded.filled_quantity, fee = excluded.fee, reason = excluded.reason, signal_id = excluded.signal_id,
        cancel_requested_at = excluded.cancel_requested_at, plan = excluded.plan, exit_reason = excluded.exit_reason`),
    unresolvedOrders: db.prepare<[], OrderRow>(`
      SELECT * FROM orders WHERE status = 'pending' OR cancel_requested_at IS NOT NULL ORDER BY created_at, client_id`),
    recordSignal: db.prepare<{ id: string; symbol: string; side: string; time: number; handled_at: number; outcome: string }>(`
      INSERT INTO signals (id, symbol, side, time, handled_at, outcome) VALUES (@id, @symbol, @side, @time, @handled_at, @outcome)
      ON CONFLICT (id) DO UPDATE SET handled_at = excluded.handled_at, outcome = excluded.outcome`),
    signalHandled: db.prepare<[string], { outcome: string }>('SELECT outcome FROM signals WHERE id = ?'),
    order: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE client_id = ?'),
    orders: db.prepare<OrderFilterParams, OrderRow>(`
      SELECT * FROM orders
      WHERE (@symbol IS NULL OR symbol = @symbol) AND (@position_id IS NULL OR position_id = @position_id)
        AND (@status IS NULL OR status = @status)
      ORDER BY created_at, client_id`),

    // A position whose trade is recorded is closed for good: a replayed save of it must not reopen it.
    savePosition: db.prepare<PositionRow>(`
      INSERT INTO positions (id, symbol, side, quantity, initial_quantity, entry_price, opened_at, risk_per_unit, stop_price,
                             take_profit_price, best_price, exit_mode, trail_pct, partial_tp_fraction, partial_tp_price,
                             partial_taken, realized_pnl, fees, entry_notional)
      SELECT @id, @symbol, @side, @quantity, @initial_quantity, @entry_price, @opened_at, @risk_per_unit, @stop_price,
             @take_profit_price, @best_price, @exit_mode, @trail_pct, @partial_tp_fraction, @partial_tp_price,
             @partial_taken, @realized_pnl, @fees, @entry_notional
      WHERE NOT EXISTS (SELECT 1 FROM trades WHERE position_id = @id)
      ON CONFLICT (id) DO UPDATE SET
        symbol = excluded.symbol, side = excluded.side, quantity = excluded.quantity, initial_quantity = excluded.initial_quantity,
        entry_price = excluded.entry_price, opened_at = excluded.opened_at, risk_per_unit = excluded.risk_per_unit,
        stop_price = excluded.stop_price, take_profit_price = excluded.take_profit_price, best_price = excluded.best_price,
        exit_mode = excluded.exit_mode, trail_pct = excluded.trail_pct, partial_tp_fraction = excluded.partial_tp_fraction,
        partial_tp_price = excluded.partial_tp_price, partial_taken = excluded.partial_taken, realized_pnl = excluded.realized_pnl,
        fees = excluded.fees, entry_notional = excluded.entry_notional`),
    position: db.prepare<[string], PositionRow>('SELECT * FROM positions WHERE id = ?'),
    openPositions: db.prepare<[], PositionRow>('SELECT * FROM positions ORDER BY opened_at, id'),
    deletePosition: db.prepare<[string]>('DELETE FROM positions WHERE id = ?'),

    // The first record of a closed trade stands: a second close of the same position is a replay.
    insertTrade: db.prepare<TradeRow>(`
      INSERT INTO trades (position_id, symbol, side, quantity, entry_price, exit_price, opened_at, closed_at, pnl, fees, r_multiple,
                          exit_reason, exit_mode)
      VALUES (@position_id, @symbol, @side, @quantity, @entry_price, @exit_price, @opened_at, @closed_at, @pnl, @fees, @r_multiple,
              @exit_reason, @exit_mode)
      ON CONFLICT (position_id) DO NOTHING`),
    trades: db.prepare<[], TradeRow>('SELECT * FROM trades ORDER BY closed_at, position_id'),

    recordEquity: db.prepare<EquityPoint>(`
      INSERT INTO equity (time, equity, balance) VALUES (@time, @equity, @balance)
      ON CONFLICT (time) DO UPDATE SET equity = excluded.equity, balance = excluded.balance`),
    equityCurve: db.prepare<RangeParams, EquityPoint>(`
      SELECT time, equity, balance FROM equity
      WHERE (@from IS NULL OR time >= @from) AND (@to IS NULL OR time <= @to) ORDER BY time`),
    lastEquity: db.prepare<[], EquityPoint>('SELECT time, equity, balance FROM equity ORDER BY time DESC LIMIT 1'),

    saveRiskState: db.prepare<RiskStateRow>(`
      INSERT INTO risk_state (id, day_start, day_start_equity, losing_streak, doc) VALUES (1, @day_start, @day_start_equity, @losing_streak, @doc)
      ON CONFLICT (id) DO UPDATE SET
        day_start = excluded.day_start, day_start_equity = excluded.day_start_equity, losing_streak = excluded.losing_streak, doc = excluded.doc`),
    loadRiskState: db.prepare<[], Pick<RiskStateRow, 'doc'>>('SELECT doc FROM risk_state WHERE id = 1'),

    // Updating in place keeps the rowid, so a replayed decision keeps its place in the recorded order.
    recordDecision: db.prepare<DecisionRow>(`
      INSERT INTO decisions (id, time, symbol, action, reason, mode, policy_version, detail)
      VALUES (@id, @time, @symbol, @action, @reason, @mode, @policy_version, @detail)
      ON CONFLICT (id) DO UPDATE SET
        time = excluded.time, symbol = excluded.symbol, action = excluded.action, reason = excluded.reason, mode = excluded.mode,
        policy_version = excluded.policy_version, detail = excluded.detail`),
    // By rowid within an instant: the order they were decided in (ids need not sort that way).
    decisions: db.prepare<DecisionFilterParams, DecisionRow>(`
      SELECT id, time, symbol, action, reason, mode, policy_version, detail FROM decisions
      WHERE (@from IS NULL OR time >= @from) AND (@to IS NULL OR time <= @to) AND (@symbol IS NULL OR symbol = @symbol)
      ORDER BY time, rowid`),
    decisionCount: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM decisions'),

    recordCycle: db.prepare<CycleRow>(`
      INSERT INTO cycles (time, mode, gate_open, exit_mode, stance, min_confidence, max_risk_pct, policy)
      VALUES (@time, @mode, @gate_open, @exit_mode, @stance, @min_confidence, @max_risk_pct, @policy)
      ON CONFLICT (time) DO UPDATE SET
        mode = excluded.mode, gate_open = excluded.gate_open, exit_mode = excluded.exit_mode, stance = excluded.stance,
        min_confidence = excluded.min_confidence, max_risk_pct = excluded.max_risk_pct, policy = excluded.policy`),
    cycles: db.prepare<[], CycleRow>('SELECT * FROM cycles ORDER BY time'),

    anyTrading: db.prepare<[], { one: number }>(`
      SELECT 1 AS one FROM orders UNION ALL SELECT 1 FROM positions UNION ALL SELECT 1 FROM trades
      UNION ALL SELECT 1 FROM equity UNION ALL SELECT 1 FROM decisions LIMIT 1`),
    saveState: db.prepare<{ key: string; value: string }>(`
      INSERT INTO state (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
    deleteState: db.prepare<[string]>('DELETE FROM state WHERE key = ?'),
    loadState: db.prepare<[string], { value: string }>('SELECT value FROM state WHERE key = ?'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
