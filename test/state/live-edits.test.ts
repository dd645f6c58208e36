import { lastValueFrom, Subject, toArray } from 'rxjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Candle } from '../../src/market/candle.js';
import { SyntheticMarket } from '../../src/market/candles/index.js';
import { LiveRuleSet } from '../../src/policy/hot-reload.js';
import { assessments, PolicyStage } from '../../src/policy/policy-stage.js';
import { policyDecisions, type PolicyDecision } from '../../src/policy/policy-stream.js';
import { MarketStateBuilder, marketInstants, type MarketInput } from '../../src/state/index.js';
import { captureLogger } from '../support/log-capture.js';
import { RuleSetCopy } from '../support/rule-sets.js';
import { stateSettings } from '../../src/policy/classification/index.js';

describe('editing YAML while a replay runs', () => {
  let candlesByInstant: Candle[][];
  let copy: RuleSetCopy;
  let live: LiveRuleSet;
  let records: Record<string, unknown>[];
  let decisions: PolicyDecision[];
  let input$: Subject<MarketInput>;
  let finished: Promise<void>;

  beforeAll(async () => {
    const candles = await lastValueFrom(new SyntheticMarket({ symbols: ['BTCUSDT'], phases: [{ regime: 'range', vol: 'normal', bars: 400 }] }).candles().pipe(toArray()));
    candlesByInstant = candles.map((c) => [c]);
  });

  const start = () => {
    copy = new RuleSetCopy();
    const captured = captureLogger();
    records = captured.records;
    const opened = LiveRuleSet.open({ rulesDir: copy.rulesDir, profilesDir: copy.profilesDir }, captured.logger);
    if (!(opened instanceof LiveRuleSet)) throw new Error('bundled rules invalid');
    live = opened;
    decisions = [];
    input$ = new Subject<MarketInput>();
    const builder = new MarketStateBuilder({ settings: stateSettings(() => live.ruleSet) });
    finished = new Promise((resolve, reject) =>
      input$.pipe(marketInstants(), assessments(new PolicyStage(builder, live)), policyDecisions(captured.logger)).subscribe({ next: (d) => decisions.push(d), error: reject, complete: resolve }),
    );
  };
  /** Feeds instants [from, to) and waits until every instant before `to` - 1 has been evaluated. */
  const feed = async (from: number, to: number) => {
    for (let i = from; i < to; i++) for (const c of candlesByInstant[i]!) input$.next(c);
    const last = candlesByInstant[to - 2]![0]!.closeTime;
    await vi.waitFor(() => expect(decisions.at(-1)?.state.timestamp).toBe(last));
  };
  const decisionAt = (instant: number) => decisions.find((d) => d.state.timestamp === candlesByInstant[instant]![0]!.closeTime)!;

  afterEach(async () => {
    input$.complete();
    await finished;
    await live.close();
    copy.remove();
  });

  it('a valid threshold edit changes the very next evaluation', async () => {
    start();
    await feed(0, 300);
    const before = decisionAt(298).policy;
    expect(before.min_confidence).toBe(0.45);
    copy.edit('rules/confidence.yaml', 'min_confidence: 0.45', 'min_confidence: 0.5');
    expect(live.reload().status).toBe('reloaded');
    await feed(300, 302);
    expect(decisionAt(299).policy.min_confidence).toBe(0.5);
    expect(decisionAt(299).policy.rule_set_version).not.toBe(before.rule_set_version);
    expect(records.find((r) => r.msg === 'policy changed' && (r.new as { min_confidence?: number }).min_confidence === 0.5)).toBeDefined();
  });

  it('an invalid edit is rejected with its file:line and the old policy keeps flowing', async () => {
    start();
    await feed(0, 300);
    const good = decisionAt(298).policy;
    copy.edit('rules/confidence.yaml', 'min_confidence: 0.45', 'min_confidence: [0.45');
    const outcome = live.reload();
    expect(outcome.status).toBe('rejected');
    const rejected = records.find((r) => r.msg?.toString().startsWith('policy reload rejected'));
    expect(String(rejected?.msg)).toMatch(/rules\/confidence\.yaml:\d+:\d+/);
    await feed(300, 320);
    for (let i = 299; i < 319; i++) {
      expect(decisionAt(i).policy.rule_set_version).toBe(good.rule_set_version);
      expect(decisionAt(i).policy.min_confidence).toBe(0.45);
    }
  });

  it('switching the active profile changes the limits from the next evaluation', async () => {
    start();
    await feed(0, 298);
    // -3% on the day: beyond SAFE's -2.5% circuit, within MODERATE's -4%.
    input$.next({ type: 'equity', time: candlesByInstant[297]![0]!.closeTime, equity: 10_000 });
    for (const c of candlesByInstant[298]!) input$.next(c);
    input$.next({ type: 'equity', time: candlesByInstant[298]![0]!.closeTime, equity: 9_700 });
    await feed(299, 301);
    expect(decisionAt(298).state.risk.daily_dd_pct).toBeCloseTo(-0.03, 10);
    expect(decisionAt(299).policy).toMatchObject({ profile: 'SAFE', allow_new_trades: false });
    copy.edit('profiles/active.yaml', 'profile: SAFE', 'profile: MODERATE');
    expect(live.reload().status).toBe('reloaded');
    await feed(301, 303);
    expect(decisionAt(301).policy).toMatchObject({ profile: 'MODERATE', allow_new_trades: true });
    expect(decisionAt(301).policy.max_risk_pct).toBeGreaterThan(decisionAt(299).policy.max_risk_pct);
  });
});

