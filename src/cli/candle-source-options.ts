import { CsvCandleSource, formatDataIssue, MIN_DEFAULT_BARS, parseTimestamp, SyntheticMarket, type CandleSource, type SeriesOptions } from '../market/candles/index.js';
import { InputError } from '../config/problem.js';
import type { Logger } from '../logger.js';
import type { RuleSet } from '../policy/index.js';

/** Flags that choose the market data of `watch` and `backtest`. */
export interface CandleSourceFlags {
  /** `SYMBOL=FILE` or a file named after its symbol; several files of one symbol are joined. */
  readonly data?: readonly string[];
  /** Symbols of the synthetic market (default: its five) when no --data is given. */
  readonly symbols?: readonly string[];
  readonly seed?: string;
  readonly bars?: number;
  readonly timeframe?: string;
  /** Sort CSV rows by time instead of rejecting those out of order. */
  readonly sort?: boolean;
}

/**
 * The CSV files given, or else the embedded synthetic market, so every command runs without a download.
 * Every repaired or rejected bar is logged with its file:line; a file that cannot be used at all throws a
 * CandleFileError naming it.
 */
export function candleSourceFrom(flags: CandleSourceFlags, logger: Logger, ruleSet?: RuleSet): CandleSource {
  try {
    return build(flags, logger, ruleSet);
  } catch (error) {
    // The data sources check their settings with RangeErrors; from the command line those are bad flags.
    if (error instanceof RangeError) throw new InputError(error.message);
    throw error;
  }
}

function build(flags: CandleSourceFlags, logger: Logger, ruleSet: RuleSet | undefined): CandleSource {
  if (flags.data !== undefined && flags.data.length > 0) {
    return CsvCandleSource.fromFiles(flags.data, {
      ...(flags.timeframe === undefined ? {} : { timeframe: flags.timeframe }),
      ...(flags.sort === true ? { sort: true } : {}),
      ...dataChecks(ruleSet),
      onIssue: (issue) => logger[issue.level === 'warning' ? 'warn' : 'info']({ data_issue: issue }, formatDataIssue(issue)),
    });
  }
  if (flags.bars !== undefined && flags.bars < MIN_DEFAULT_BARS) throw new InputError(`--bars: the synthetic market needs at least ${MIN_DEFAULT_BARS} bars for its story of regimes, got ${flags.bars}`);
  return new SyntheticMarket({
    ...(flags.symbols === undefined || flags.symbols.length === 0 ? {} : { symbols: flags.symbols }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.bars === undefined ? {} : { bars: flags.bars }),
    ...(flags.timeframe === undefined ? {} : { timeframe: flags.timeframe }),
  });
}

/** `market.data_checks` of the rule set, as series options (absent fields keep the documented defaults). */
function dataChecks(ruleSet: RuleSet | undefined): SeriesOptions {
  const checks = ruleSet?.manifest.market?.data_checks ?? {};
  return {
    ...(checks.gap_warning_bars === undefined ? {} : { gapWarningBars: checks.gap_warning_bars }),
    ...(checks.spike_multiple === undefined ? {} : { spikeMultiple: checks.spike_multiple }),
    ...(checks.spikes === undefined ? {} : { spikes: checks.spikes }),
    ...(checks.max_rejected_share === undefined ? {} : { maxRejectedShare: checks.max_rejected_share }),
  };
}

/** A --from/--to value as epoch milliseconds; a value that is no date or date-time is bad input naming the flag. */
export function timeFlag(flag: string, value: string): number {
  const parsed = parseTimestamp(value);
  if (typeof parsed === 'string') throw new InputError(`${flag}: ${parsed}`);
  return parsed;
}

/** `--symbols` with CSV data: every symbol asked for must be in the files (bad input naming them otherwise). */
export function checkSymbolsHeld(wanted: readonly string[], held: readonly string[]): void {
  const unknown = wanted.filter((s) => !held.includes(s));
  if (unknown.length > 0) throw new InputError(`--symbols: no data for ${unknown.join(', ')} (the files hold ${held.join(', ')})`);
}
