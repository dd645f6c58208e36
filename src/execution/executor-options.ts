import type { Broker } from '../broker/broker.js';
import type { Logger } from '../logger.js';
import type { PolicyEngine } from '../policy/policy-engine.js';
import type { OrchestratorConfigDoc } from '../policy/rule-set.js';
import type { MarketStateBuilder } from '../state/market-state-builder.js';
import type { DecisionRecord, ExecutionJournal } from './journal.js';
import type { Durability } from './ledger.js';

export interface ExecutorOptions {
  readonly broker: Broker;
  /** The rule set in force (a LiveRuleSet, so hot reloads apply from the next cycle). */
  readonly policy: { readonly engine: PolicyEngine };
  readonly builder: MarketStateBuilder;
  readonly logger: Logger;
  readonly journal?: ExecutionJournal;
  /** When writes reach the journal (see Ledger); default `cycle`. An exchange needs `write-through`. */
  readonly durability?: Durability;
  /** Profile name; default: the rule set's active profile. */
  readonly profile?: string;
  /** Overrides of rules/orchestrator.yaml, e.g. `{ enable_orchestrator: false }` for the baseline. */
  readonly orchestrator?: Partial<Omit<OrchestratorConfigDoc, 'apiVersion' | 'kind' | 'version'>>;
  /** The venue's own state, checkpointed with every commit (the paper broker's snapshot). */
  readonly venueState?: () => unknown;
  /** Client-id prefix for a store that has none yet (reproducible backtests); default: drawn at random. */
  readonly clientIdPrefix?: string;
  /** The venue's clock (the exchange's, live); default: the instant being traded. */
  readonly clock?: () => number;
  /** How long an unanswered order can still arrive at the venue (its recvWindow); default 0. */
  readonly settleMs?: number;
  /** Take over positions only the venue has (else warn every cycle); default: rules/execution.yaml. */
  readonly adoptUnknownPositions?: boolean;
  /** Why the operator paused new entries, or undefined; asked at every cycle. Exits and stops are never paused. */
  readonly paused?: () => string | undefined;
  /** Told every decision as it is made (alerts, metrics). */
  readonly onDecision?: (record: DecisionRecord) => void;
}
