import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT } from './exit-codes.js';
import { API_KEY_ENV, API_SECRET_ENV, LIVE_CONFIRMATION } from './live-flags.js';
import { DEFAULT_HTTP_PORT, DEFAULT_SERVE_PORT, HTTP_TOKEN_ENV } from '../monitor/settings.js';
import { guarded, processOutput, type Output } from './output.js';

/**
 * Builds the CLI. Each verb's work lives in its own module; this file only wires flags to it. A verb's
 * module is loaded when the verb runs, not before: `run` pulls in ccxt and the live loop, `backtest` the
 * whole trading path, and `lint` or `eval` should not pay for either (start-up time is most of a short
 * command's time, and of the test suite's).
 */
export function buildProgram(output: Output, setExitCode: (code: number) => void): Command {
  const program = new Command('quantum-trader')
    .description('Policy-as-configuration engine for autonomous crypto-futures trading.')
    .option('--debug', 'print stack traces for errors')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) });

  const debug = () => Boolean(program.opts().debug);
  const run = (body: () => Promise<number>) => guarded(output, debug(), body).then(setExitCode);
  const format = () => new Option('--format <format>', 'output format').choices(['pretty', 'json']).default('pretty');
  const ruleSetOptions = (command: Command) =>
    command
      .option('--rules <dir>', 'rules folder (default: ./rules, else the bundled rules)')
      .option('--profiles <dir>', 'profiles folder (default: ./profiles, else the bundled profiles)');

  ruleSetOptions(
    program
      .command('lint')
      .description('validate rule and profile files against the schemas and semantic checks')
      .argument('[paths...]', 'files or folders to check (default: the rules and profiles folders)')
      .addOption(format()),
  ).action((paths: string[], opts) => run(async () => (await import('./lint-command.js')).lintCommand({ paths, format: opts.format, rules: opts.rules, profiles: opts.profiles }, output)));

  ruleSetOptions(
    program
      .command('test')
      .description('run the policy tests (rules/tests/*.test.yaml: a state, a profile, the policy expected) against the rule set')
      .argument('[paths...]', 'test files or folders (default: the tests folder of the rules folder)')
      .option('--coverage', 'also list rules that never fired and comparisons never seen both true and false')
      .addOption(format()),
  ).action((paths: string[], opts) =>
    run(async () => (await import('./test-command.js')).testCommand({ paths, format: opts.format, coverage: Boolean(opts.coverage), rules: opts.rules, profiles: opts.profiles }, output)),
  );

  ruleSetOptions(
    program
      .command('diff')
      .description('compare two rule sets (or two profiles) over every state that matters to their rules, and summarise where the policy differs')
      .option('--vs-rules <dir>', 'B: another rules folder (with the same profiles)')
      .option('--vs-profile <name>', 'B: another profile under the same rule set')
      .option('--profile <name>', 'with --vs-rules: this profile only (default: every profile); with --vs-profile: A\'s profile (default: the active one)')
      .addOption(format()),
  ).action((opts) =>
    run(async () => (await import('./diff-command.js')).diffCommand({ vsRules: opts.vsRules, vsProfile: opts.vsProfile, profile: opts.profile, format: opts.format, rules: opts.rules, profiles: opts.profiles }, output)),
  );

  const stateCommand = (name: string, description: string) =>
    ruleSetOptions(
      program
        .command(name)
        .description(description)
        .requiredOption('--state <file>', 'market state as JSON (or YAML); - reads standard input')
        .option('--profile <name>', 'risk profile, case-insensitive (default: the rule set\'s default_profile)'),
    );

  stateCommand('eval', 'print the TradingPolicy for a market state as one JSON object').action((opts) =>
    run(async () => (await import('./evaluate-command.js')).evalCommand({ state: opts.state, profile: opts.profile, rules: opts.rules, profiles: opts.profiles }, output)),
  );

  stateCommand('explain', 'show which rules fired, which did not and why, and which rule decided each field')
    .addOption(format())
    .action((opts) =>
      run(async () => (await import('./evaluate-command.js')).explainCommand({ state: opts.state, profile: opts.profile, rules: opts.rules, profiles: opts.profiles, format: opts.format }, output)),
    );

  ruleSetOptions(
    marketDataOptions(
      program
        .command('watch')
        .description('replay candles through the market-state stream and print each policy transition; YAML edits apply live')
        .option('--profile <name>', 'risk profile, case-insensitive (default: profiles/active.yaml, else the rule set\'s default_profile)')
        .option('--speed <candles-per-second>', 'replay pace (default: as fast as possible)', positiveNumber('--speed'))
        .option('--once', 'exit when the data ends instead of watching the YAML for more edits')
        .addOption(format()),
    ),
  ).action((opts) =>
    run(async () =>
      (await import('./watch-command.js')).watchCommand(
        {
          profile: opts.profile, rules: opts.rules, profiles: opts.profiles, data: opts.data, symbols: opts.symbols,
          seed: opts.seed, bars: opts.bars, timeframe: opts.timeframe, sort: Boolean(opts.sort), speed: opts.speed, once: Boolean(opts.once), format: opts.format,
        },
        output,
      ),
    ),
  );

  ruleSetOptions(
    replayOptions(
      program
        .command('backtest')
        .description('replay the data (default: the embedded synthetic market) through the whole trading path with the orchestrator ON and OFF, and report')
        .option('--profile <name>', 'risk profile, case-insensitive (default: profiles/active.yaml, else the rule set\'s default_profile)')
        .option('--signals <file>', 'JSON-lines signals of an external model (- for stdin) instead of the reference strategy')
        .option('--strategy <name>', 'signal source by name: the reference strategy (rules/strategy.yaml) or one of rules/strategies/*.yaml')
        .option('--funding <SYMBOL=FILE...>', 'funding-rate history per symbol (Binance fundingRate CSV or timestamp,rate); else the config\'s funding rates')
        .option('--vs-rules <dir>', 'A/B: a third run with this rules folder, and the decisions that differ')
        .option('--vs-profile <name>', 'A/B: a third run with this profile')
        .option('--out <dir>', 'output folder for results.json, trades.csv, report.html and the run stores', 'backtest-results')
        .option('--workers <n>', 'worker threads for the runs, side by side; 0: one after the other in this process (default: the available cores, once the data is large enough to gain by it)', wholeNumber('--workers'))
        .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)'),
    ),
  ).action((opts) =>
    run(async () =>
      (await import('./backtest-command.js')).backtestCommand(
        {
          ...replayParams(opts),
          profile: opts.profile, signals: opts.signals, vsRules: opts.vsRules, vsProfile: opts.vsProfile,
          strategy: opts.strategy,
          ...(opts.funding === undefined ? {} : { funding: opts.funding }), ...(opts.workers === undefined ? {} : { workers: opts.workers }), out: opts.out, progress: Boolean(opts.progress) && Boolean(process.stderr.isTTY),
        },
        output,
      ),
    ),
  );

  ruleSetOptions(
    replayOptions(
      program
        .command('study')
        .description('does the policy help? backtests a grid of data sets × signal sources × seeds × profiles (× --vs-rules variants) in worker threads and reports the distributions of ON vs STATIC, ON vs OFF and each variant')
        .option('--seeds <n>', 'seeds 1..n: of the synthetic market and of the random entries', positiveInteger('--seeds'), 20)
        .option('--sources <list>', 'signal sources, comma-separated (default: all: the reference strategy and those of rules/strategies/)', list)
        .option('--risk-profiles <list>', 'risk profiles, comma-separated (default: every profile of the rule set)', list)
        .option('--vs-rules <dir...>', 'rule-set variants, each run ON beside the baselines (an A/B per variant, or walk-forward)')
        .option('--walk-forward <periods>', 'split the data into this many periods: choose a variant on each, report it on the next', positiveInteger('--walk-forward'))
        .option('--choose-by <figure>', 'walk-forward choice: sharpe, return or max_dd (shallowest)', 'sharpe')
        .option('--synthetic', 'with --data: the synthetic market as a second data set')
        .option('--workers <n>', 'worker threads (default: the available cores)', positiveInteger('--workers'))
        .option('--resamples <n>', 'bootstrap resamples per interval', positiveInteger('--resamples'), 2000)
        .option('--out <dir>', 'output folder for study.json and study.html', 'study-results')
        .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)'),
    ),
  ).action((opts) =>
    run(async () =>
      (await import('./study-command.js')).studyCommand(
        {
          ...replayParams(opts),
          seeds: opts.seeds, sources: opts.sources, riskProfiles: opts.riskProfiles, vsRules: opts.vsRules, walkForward: opts.walkForward,
          chooseBy: opts.chooseBy, synthetic: Boolean(opts.synthetic), workers: opts.workers, resamples: opts.resamples,
          out: opts.out, progress: Boolean(opts.progress) && Boolean(process.stderr.isTTY),
        },
        output,
      ),
    ),
  );

  ruleSetOptions(
    program
      .command('run')
      .description('the trading daemon: live market data, policy, executor and store; --paper simulates fills, --live trades on the exchange')
      .requiredOption('--exchange <id>', 'exchange (binanceusdm: Binance USDⓈ-M futures)')
      .option('--paper', 'simulated fills on the live market data (no API key needed)')
      .option('--live', `real orders; needs ${API_KEY_ENV} and ${API_SECRET_ENV} in the environment, and ${LIVE_CONFIRMATION}`)
      .option('--demo', 'the exchange\'s demo-trading environment (with --live: demo keys, no confirmation needed)')
      .option(LIVE_CONFIRMATION, 'confirm that --live trades real money')
      .requiredOption('--symbols <list>', 'symbols to trade, comma-separated, e.g. BTCUSDT,ETHUSDT', (v: string) => v.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean))
      .option('--timeframe <tf>', 'candle timeframe the cycle runs on', '1h')
      .option('--profile <name>', 'risk profile, case-insensitive (default: profiles/active.yaml)')
      .option('--store <file>', 'SQLite store (default: quantum-trader-<paper|demo|live>.sqlite)')
      .option('--config <file>', 'BacktestConfig YAML: the paper account, fees, slippage, market rules (default: rules/backtest.yaml)')
      .option('--poll <seconds>', 'how often new candles and fills are polled', positiveNumber('--poll'), 10)
      .addOption(new Option('--margin-mode <mode>', 'margin mode set on every symbol').choices(['cross', 'isolated']).default('cross'))
      .option('--ignore-unknown-positions', 'leave positions found on the exchange that the store does not know alone, with a warning every cycle (default: rules/execution.yaml, adopt them with the current exit mode)')
      .option('--signals <file>', 'JSON-lines signals (- for stdin) instead of the reference strategy')
      .option('--exchange-url <url>', 'replace the exchange API host (a local test exchange or a proxy)')
      .option('--http <port>', `serve the status page, JSON API and /metrics on this port (0: any free port); control actions need ${HTTP_TOKEN_ENV}`, port('--http'), DEFAULT_HTTP_PORT)
      .option('--no-http', 'do not serve the status page')
      .option('--http-host <address>', `address to serve on; anything but loopback needs ${HTTP_TOKEN_ENV}`, '127.0.0.1'),
  ).action((opts) =>
    run(async () =>
      (await import('./run-command.js')).runCommand(
        {
          exchange: opts.exchange, live: Boolean(opts.live), paper: Boolean(opts.paper), demo: Boolean(opts.demo), confirmed: Boolean(opts.iUnderstandThisTradesRealMoney),
          symbols: opts.symbols, timeframe: opts.timeframe, profile: opts.profile, store: opts.store, config: opts.config, pollSeconds: opts.poll, marginMode: opts.marginMode,
          ignoreUnknownPositions: Boolean(opts.ignoreUnknownPositions), signals: opts.signals, exchangeUrl: opts.exchangeUrl, rules: opts.rules, profiles: opts.profiles,
          ...(opts.http === false ? {} : { http: { host: opts.httpHost, port: opts.http } }),
        },
        output,
      ),
    ),
  );

  ruleSetOptions(
    program
      .command('status')
      .description('policy status check: rule-set version, active profile, orchestrator mode and switches; with --store, the trading state')
      .option('--store <file>', 'a store of run or backtest: last cycle\'s controls, equity, drawdown baseline, streak, open positions')
      .addOption(format()),
  ).action((opts) => run(async () => (await import('./status-command.js')).statusCommand({ rules: opts.rules, profiles: opts.profiles, store: opts.store, format: opts.format }, output)));

  program
    .command('serve')
    .description('the status page of run for a store, read-only: a backtest run\'s, or a running daemon\'s from outside it')
    .requiredOption('--store <file>', 'the store (backtest-results/stores/*.sqlite, or a daemon\'s)')
    .option('--http <port>', 'port (0: any free port)', port('--http'), DEFAULT_SERVE_PORT)
    .option('--http-host <address>', `address to serve on; anything but loopback needs ${HTTP_TOKEN_ENV}`, '127.0.0.1')
    .action((opts) => run(async () => (await import('./serve-command.js')).serveCommand({ store: opts.store, http: { host: opts.httpHost, port: opts.http } }, output)));

  return program;
}

/** Market data flags shared by the commands that replay candles. */
export function marketDataOptions(command: Command): Command {
  return command
    .option('--data <SYMBOL=FILE...>', 'candle CSV files (Binance kline or timestamp,open,high,low,close,volume); symbol from SYMBOL= or the file name (default: the embedded synthetic market)')
    .option('--symbols <list>', 'synthetic market symbols, comma-separated (default: BTCUSDT,ETHUSDT,SOLUSDT,BNBUSDT,XRPUSDT)', (v: string) => v.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean))
    .option('--seed <seed>', 'synthetic market seed (default: 1)')
    .option('--bars <n>', 'synthetic market length in bars (default: 2520, 105 days of 1h)', positiveInteger('--bars'))
    .option('--timeframe <tf>', 'bar length, e.g. 1m, 1h, 1d (default: inferred from the data; 1h for the synthetic market)')
    .option('--sort', 'sort CSV rows by time (each moved row is reported) instead of rejecting rows out of order');
}

/** A replay of market data through the trading path (backtest, study): the data, its window and the simulated account. */
function replayOptions(command: Command): Command {
  return marketDataOptions(command)
    .option('--from <time>', 'trade from this date or date-time (earlier candles only warm the indicators up)')
    .option('--to <time>', 'stop at this date or date-time')
    .option('--config <file>', 'BacktestConfig YAML: account, fees, slippage, market rules (default: rules/backtest.yaml)');
}

/** What replayOptions and ruleSetOptions parsed, as the commands take it. */
function replayParams(opts: Record<string, any>) {
  return {
    rules: opts.rules, profiles: opts.profiles, data: opts.data, symbols: opts.symbols, seed: opts.seed, bars: opts.bars, timeframe: opts.timeframe, sort: Boolean(opts.sort),
    from: opts.from, to: opts.to, config: opts.config,
  };
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a positive number, got '${value}'`);
    return n;
  };
}

function port(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`${flag} must be a port number 0-65535, got '${value}'`);
    return n;
  };
}

function wholeNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} must be a whole number (0 or more), got '${value}'`);
    return n;
  };
}

function positiveInteger(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a positive integer, got '${value}'`);
    return n;
  };
}

export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  let code: number = EXIT.OK;
  const program = buildProgram(output, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.OK : EXIT.INPUT;
    }
    throw error;
  }
  return code;
}
