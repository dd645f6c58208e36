import { readFileSync } from 'node:fs';
import type { Problem } from '../config/problem.js';
import { parseSignalLines, type Signal } from './signal.js';
import type { SignalSource } from './signal-source.js';

/**
 * Signals of an external model, one JSON object per line (`{"symbol":"BTCUSDT","side":"long",
 * "confidence":0.72,"timestamp":"2024-03-01T12:00:00Z"}`), from a file or standard input (`-`). In a
 * replay each signal is released at the first candle close at or after its timestamp. A malformed line
 * is reported (file:line and why) and skipped; it never stops the others.
 */
export class JsonLinesSignalSource implements SignalSource {
  readonly name: string;
  readonly problems: readonly Problem[];
  private readonly pending: Signal[];
  private next = 0;

  private constructor(name: string, signals: Signal[], problems: Problem[]) {
    this.name = name;
    this.pending = signals;
    this.problems = problems;
  }

  static fromText(text: string, file: string, onProblem?: (problem: Problem) => void): JsonLinesSignalSource {
    const { signals, problems } = parseSignalLines(text, file);
    problems.forEach((p) => onProblem?.(p));
    return new JsonLinesSignalSource(file, signals, problems);
  }

  /** Signals already read (e.g. by another thread), released as a file's are. */
  static of(name: string, signals: readonly Signal[]): JsonLinesSignalSource {
    return new JsonLinesSignalSource(name, [...signals], []);
  }

  /** The signals in release order. */
  get signals(): readonly Signal[] {
    return this.pending;
  }

  /** `-` reads standard input to its end. */
  static read(path: string, onProblem?: (problem: Problem) => void): JsonLinesSignalSource {
    const file = path === '-' ? 'stdin' : path;
    let text: string;
    try {
      text = readFileSync(path === '-' ? 0 : path, 'utf8');
    } catch (error) {
      throw new Error(`${file}: cannot read signals: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return JsonLinesSignalSource.fromText(text, file, onProblem);
  }

  /** The same signals from the start again, for another run over the same data. */
  fresh(): JsonLinesSignalSource {
    return new JsonLinesSignalSource(this.name, this.pending, [...this.problems]);
  }

  get size(): number {
    return this.pending.length;
  }

  signalsAt(time: number): Signal[] {
    const released: Signal[] = [];
    while (this.next < this.pending.length && this.pending[this.next]!.timestamp <= time) released.push(this.pending[this.next++]!);
    return released;
  }
}
