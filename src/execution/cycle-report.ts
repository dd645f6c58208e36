import type { ClosedTrade, Position } from '../broker/model.js';
import type { TradingPolicy } from '../policy/trading-policy.js';
import type { Controls } from './controls.js';
import type { ExecutionMode } from './desk.js';
import type { DecisionRecord } from './journal.js';

/** What one cycle did, for reports and tests. */
export interface CycleReport {
  readonly time: number;
  readonly mode: ExecutionMode;
  readonly equity: number;
  readonly balance: number;
  /** The policy evaluated this cycle (also in OBSERVE); undefined while warming up or with the orchestrator off. */
  readonly policy?: TradingPolicy;
  readonly controls: Controls;
  readonly decisions: readonly DecisionRecord[];
  readonly trades: readonly ClosedTrade[];
  readonly positions: readonly Position[];
}
