import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { paperAccount } from '../backtest/account.js';
import { CcxtBroker } from '../broker/exchange/ccxt-broker.js';
import { PaperBroker } from '../broker/paper/index.js';
import { InputError } from '../config/problem.js';
import { runLiveSession } from '../live/live-session.js';
import { createLogger, type Logger } from '../logger.js';
import { httpSettings, startMonitoring } from '../monitor/index.js';
import { ExchangeCandleFeed } from '../market/candles/exchange-feed.js';
import { parseTimeframe } from '../market/candles/index.js';
import { LiveRuleSet } from '../policy/hot-reload.js';
import { JsonLinesSignalSource, ReferenceStrategy } from '../signals/index.js';
import { TradingStore } from '../store/index.js';
import { readBacktestConfig } from './account-config.js';
import { EXIT } from './exit-codes.js';
import { untilStopped } from './until-stopped.js';
import { RuleSetError, type Output } from './output.js';
import { locationFrom, type RuleSetFlags } from './rule-set-options.js';

import { API_KEY_ENV, API_SECRET_ENV, LIVE_CONFIRMATION } from './live-flags.js';

export { API_KEY_ENV, API_SECRET_ENV, LIVE_CONFIRMATION };

export interface RunParams extends RuleSetFlags {
  readonly exchange: string;
  readonly live: boolean;
  readonly paper: boolean;
  readonly demo: boolean;
  readonly confirmed: boolean;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  readonly profile?: string;
  readonly store?: string;
  /** BacktestConfig file for the paper account and fee estimates (default: rules/backtest.yaml). */
  readonly config?: string;
  readonly pollSeconds: number;
  readonly marginMode: 'cross' | 'isolated';
  /** Leave positions the store does not know alone (warned about every cycle) instead of adopting them. */
  readonly ignoreUnknownPositions: boolean;
  readonly signals?: string;
  /** Replaces the exchange's API host (a local test exchange, a proxy). */
  readonly exchangeUrl?: string;
  /** Serve the status page, API and metrics here (the CLI's default: 127.0.0.1:8780); undefined: not served. */
  readonly http?: { readonly host: string; readonly port: number };
  readonly stop?: Promise<void>;
  readonly logger?: Logger;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * `run`: the long-running daemon. `--paper` trades the live market data on the paper broker; `--live`
 * trades on the exchange with keys from the environment and only with the explicit confirmation flag;
 * `--demo` uses the exchange's demo-trading environment. Rules, profiles and the orchestrator config are
 * hot-reloaded while it runs.
 */
export async function runCommand(params: RunParams, output: Output, cwd = process.cwd()): Promise<number> {
  if (params.exchange !== 'binanceusdm') throw new InputError(`--exchange: only binanceusdm (Binance USDⓈ-M futures) is supported, got '${params.exchange}'`);
  if (params.live === params.paper) throw new InputError('choose exactly one of --paper (simulated fills on live data) and --live (real orders)');
  if (params.symbols.length === 0) throw new InputError('--symbols: give the symbols to trade, e.g. --symbols BTCUSDT,ETHUSDT');
  const env = params.env ?? process.env;
  const credentials = params.live ? { apiKey: env[API_KEY_ENV] ?? '', secret: env[API_SECRET_ENV] ?? '' } : undefined;
  if (credentials !== undefined && (credentials.apiKey === '' || credentials.secret === '')) {
    throw new InputError(`--live needs the exchange API key in the environment: set ${API_KEY_ENV} and ${API_SECRET_ENV} (they are never logged)`);
  }
  if (params.live && !params.demo && !params.confirmed) {
    throw new InputError(`--live places real orders with real money; add ${LIVE_CONFIRMATION} to confirm (or use --demo, or --paper)`);
  }
  let timeframe: number;
  try {
    timeframe = parseTimeframe(params.timeframe);
  } catch (error) {
    throw new InputError(`--timeframe: ${(error as Error).message}`);
  }
  const http = params.http === undefined ? undefined : httpSettings(params.http, env);
  const logger = params.logger ?? createLogger();
  const opened = LiveRuleSet.open(locationFrom(params, cwd), logger);
  if (!(opened instanceof LiveRuleSet)) throw new RuleSetError(opened);
  const live = opened;
  const profile = live.engine.profile(params.profile);
  const storePath = resolve(cwd, params.store ?? `quantum-trader-${params.live ? (params.demo ? 'demo' : 'live') : 'paper'}.sqlite`);
  const created = !existsSync(storePath);
  const store = TradingStore.open(storePath);
  let traded = false;
  let monitoring: Awaited<ReturnType<typeof startMonitoring>> | undefined;
  try {
    const config = params.config === undefined ? live.ruleSet.backtest : readBacktestConfig(resolve(cwd, params.config), params.config);
    const execution = live.ruleSet.execution;
    const urls = {
      ...(params.demo ? { demo: true } : {}), ...(params.exchangeUrl === undefined ? {} : { baseUrl: params.exchangeUrl }),
      timeoutMs: execution.exchange.timeout_ms, recvWindowMs: execution.exchange.recv_window_ms,
    };
    const venue = credentials === undefined
      ? async () => {
          const saved = store.loadState('venue');
          const settings = paperAccount(config, profile);
          return saved === undefined ? new PaperBroker(settings) : PaperBroker.restore(saved, settings);
        }
      : () => CcxtBroker.connect({
          exchange: 'binanceusdm', credentials, ...urls, leverage: profile.sizing.leverage, marginMode: params.marginMode, takerFeeRate: config.taker_fee_rate, logger,
          retry: { attempts: execution.exchange.retry.attempts, baseDelayMs: execution.exchange.retry.base_delay_ms, maxDelayMs: execution.exchange.retry.max_delay_ms },
          circuitFailures: execution.exchange.circuit_failures,
        }, params.symbols);
    const signals = params.signals === undefined ? new ReferenceStrategy(() => live.ruleSet.strategy) : JsonLinesSignalSource.read(params.signals, (p) => logger.warn({ problem: p }, `${p.file}:${p.line}: ${p.message}`));
    const mode = params.live ? (params.demo ? 'DEMO' : 'LIVE') : 'PAPER';
    monitoring = await startMonitoring({
      store, rules: live, profile: profile.name, env, logger, ...(http === undefined ? {} : { http }),
      session: { mode, exchange: params.exchange, symbols: params.symbols, timeframe: params.timeframe, store: storePath, started_at: Date.now() },
    });
    await live.watch();
    output.err(`${mode} trading ${params.symbols.join(', ')} on ${params.exchange} (${params.timeframe}), profile ${profile.name}, store ${storePath}${monitoring.url === undefined ? '' : `, status page ${monitoring.url}`}; Ctrl-C to stop`);
    await runLiveSession({
      feed: new ExchangeCandleFeed({ ...urls, logger }, (candle, reason) => logger.warn({ candle }, `${candle.symbol} bar ${new Date(candle.openTime).toISOString()} rejected: ${reason}`)),
      venue,
      symbols: params.symbols,
      timeframe,
      policy: live,
      signals,
      store,
      logger,
      profile: profile.name,
      adoptUnknownPositions: !params.ignoreUnknownPositions && execution.reconciliation.adopt_unknown_positions,
      pollMs: params.pollSeconds * 1000,
      startupRetry: execution.exchange.startup_retry,
      // Beyond the recvWindow, plus a second for the exchange's own clock tolerance.
      settleMs: execution.exchange.recv_window_ms + 1000,
      stop: params.stop ?? untilStopped(),
      onCycle: () => (traded = true),
      hooks: monitoring.hooks,
    });
    return EXIT.OK;
  } finally {
    await monitoring?.close().catch((error: unknown) => logger.error({ err: error }, `closing the status page: ${(error as Error).message}`));
    const unused = created && !traded && store.holdsNoTrading();
    store.close();
    await live.close();
    // A start that failed (or was stopped) before anything was traded or recorded leaves no store behind.
    if (unused) for (const suffix of ['', '-wal', '-shm']) rmSync(storePath + suffix, { force: true });
  }
}
