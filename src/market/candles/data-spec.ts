import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { TimeframeMs } from '../candle.js';
import { CandleFileError } from './data-issue.js';
import { parseTimeframe } from './timeframe.js';

/** Which file holds which symbol's bars, as given on a command line (`BTCUSDT=data/btc.csv` or a path). */
export interface DataSpec {
  readonly symbol: string;
  readonly path: string;
  /** Interval read from a Binance dump name (`BTCUSDT-1h-2024-01.csv`); only a fallback for the data. */
  readonly timeframeHint?: TimeframeMs;
}

// `SYMBOL=` must look like a symbol, so a path that merely contains '=' (`runs/x=1/a.csv`) stays a path.
const PREFIXED = /^([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)$/;
// data.binance.vision names: SYMBOL-INTERVAL-YYYY-MM(.csv) for monthly, SYMBOL-INTERVAL-YYYY-MM-DD for daily.
const BINANCE_NAME = /^([A-Za-z0-9]+)-(\d+[smhdwM])-\d{4}-\d{2}(?:-\d{2})?$/;
const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function parseDataSpec(spec: string): DataSpec {
  const prefixed = PREFIXED.exec(spec.trim());
  if (prefixed !== null) {
    const path = prefixed[2]!;
    const hint = fromBinanceName(path)?.timeframeHint;
    return { symbol: prefixed[1]!.toUpperCase(), path, ...(hint === undefined ? {} : { timeframeHint: hint }) };
  }
  return { ...symbolFromFileName(spec.trim()), path: spec.trim() };
}

/**
 * `BTCUSDT-1h-2024-01.csv` → BTCUSDT (and a 1h hint), `ethusdt.csv` → ETHUSDT. Symbols are upper-cased
 * because exchanges spell them that way and rules match them exactly. A name that cannot be a symbol is a
 * CandleFileError naming the path: most often it is a shell pattern that matched no file, which the shell
 * passes on unchanged (`BTCUSDT-1h-2024-0*.csv`), so that case says so.
 */
export function symbolFromFileName(path: string): { symbol: string; timeframeHint?: TimeframeMs } {
  const binance = fromBinanceName(path);
  if (binance !== undefined) return binance;
  const name = baseName(path);
  if (!SYMBOL.test(name)) {
    if (/[*?[]/.test(path) && !existsSync(path)) {
      throw new CandleFileError(path, 0, 'no file matches this pattern (the shell passes a pattern that matches nothing on unchanged); check the folder and the file names');
    }
    throw new CandleFileError(path, 0, `cannot take a symbol from the file name "${basename(path)}"; write SYMBOL=${path}`);
  }
  return { symbol: name.toUpperCase() };
}

function baseName(path: string): string {
  return basename(path.replace(/\\/g, '/')).replace(/\.csv$/i, '');
}

function fromBinanceName(path: string): { symbol: string; timeframeHint?: TimeframeMs } | undefined {
  const match = BINANCE_NAME.exec(baseName(path));
  if (match === null) return undefined;
  const hint = intervalMs(match[2]!);
  return { symbol: match[1]!.toUpperCase(), ...(hint === undefined ? {} : { timeframeHint: hint }) };
}

function intervalMs(interval: string): TimeframeMs | undefined {
  try {
    return parseTimeframe(interval);
  } catch {
    return undefined; // `1M` (monthly) has no fixed length; the data decides instead.
  }
}
