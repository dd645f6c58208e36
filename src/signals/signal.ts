import { createHash } from 'node:crypto';
import type { Problem } from '../config/problem.js';

/** A trading signal from a strategy or an external model (the design's "AI signals"). */
export interface Signal {
  readonly symbol: string;
  /** `long`/`short` open (or reverse) a position; `exit` closes the symbol's position. */
  readonly side: 'long' | 'short' | 'exit';
  /** 0-1; compared with the policy's min_confidence. Exit signals are not filtered by confidence. */
  readonly confidence: number;
  /** Epoch milliseconds UTC. */
  readonly timestamp: number;
  readonly strategy?: string;
  /**
   * Identifies the signal: given by its producer (JSON lines `id`), or derived from its content. A signal
   * id is traded at most once, also across restarts.
   */
  readonly id?: string;
}

/** The signal's own id, or one derived from what it says (the same signal delivered twice has the same id). */
export function signalId(signal: Signal): string {
  if (signal.id !== undefined) return signal.id;
  const content = `${signal.strategy ?? ''}|${signal.symbol}|${signal.side}|${signal.timestamp}|${signal.confidence}`;
  return `sig-${createHash('sha256').update(content).digest('hex').slice(0, 20)}`;
}

/**
 * Checks one untrusted signal (a JSON-lines record, a model's output). Returns the problems instead of
 * throwing so a bad record is logged and skipped without stopping the loop.
 */
export function validateSignal(raw: unknown, origin: { file: string; line: number }): Signal | Problem {
  const fail = (message: string): Problem => ({ file: origin.file, line: origin.line, column: 0, rule: '-', severity: 'error', check: 'signal', message: `invalid signal: ${message}` });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('expected a JSON object');
  const r = raw as Record<string, unknown>;
  if (typeof r.symbol !== 'string' || !/^[A-Z0-9][A-Z0-9._:/-]*$/.test(r.symbol)) return fail(`symbol must be an upper-case symbol such as BTCUSDT (got ${JSON.stringify(r.symbol)})`);
  if (r.side !== 'long' && r.side !== 'short' && r.side !== 'exit') return fail(`side must be long, short or exit (got ${JSON.stringify(r.side)})`);
  if (typeof r.confidence !== 'number' || !(r.confidence >= 0 && r.confidence <= 1)) return fail(`confidence must be a number from 0 to 1 (got ${JSON.stringify(r.confidence)})`);
  const timestamp = typeof r.timestamp === 'string' ? Date.parse(r.timestamp) : r.timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return fail(`timestamp must be epoch milliseconds or an ISO 8601 date-time (got ${JSON.stringify(r.timestamp)})`);
  if (r.strategy !== undefined && typeof r.strategy !== 'string') return fail('strategy must be a string');
  if (r.id !== undefined && (typeof r.id !== 'string' || !/^[\w.:/-]{1,128}$/.test(r.id))) return fail(`id must be 1-128 letters, digits or . _ : / - (got ${JSON.stringify(r.id)})`);
  return {
    symbol: r.symbol, side: r.side, confidence: r.confidence, timestamp,
    ...(typeof r.strategy === 'string' ? { strategy: r.strategy } : {}), ...(typeof r.id === 'string' ? { id: r.id } : {}),
  };
}

export function isSignal(value: Signal | Problem): value is Signal {
  return !('check' in value);
}

/** Parses JSON-lines text into signals (sorted by time) and problems (one per bad line). */
export function parseSignalLines(text: string, file: string): { signals: Signal[]; problems: Problem[] } {
  const signals: Signal[] = [];
  const problems: Problem[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      problems.push({ file, line: index + 1, column: 0, rule: '-', severity: 'error', check: 'signal', message: `invalid signal: not JSON (${(error as Error).message})` });
      return;
    }
    const result = validateSignal(raw, { file, line: index + 1 });
    if (isSignal(result)) signals.push(result);
    else problems.push(result);
  });
  signals.sort((a, b) => a.timestamp - b.timestamp || a.symbol.localeCompare(b.symbol));
  return { signals, problems };
}
