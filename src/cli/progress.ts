import { SingleBar, Presets } from 'cli-progress';

/**
 * A progress bar on stderr for long runs: shown only on a terminal, and only once a run has taken more
 * than a couple of seconds, so short runs and piped output stay clean.
 */
export class Progress {
  private bar: SingleBar | undefined;
  private readonly started = Date.now();
  private run = 0;
  private label = '';

  constructor(
    private readonly enabled: boolean,
    private readonly runs: number,
    private readonly delayMs = 2000,
    private readonly stream: NodeJS.WritableStream = process.stderr,
    /** What the bar counts. */
    private readonly unit = 'candle closes',
  ) {}

  update(label: string, done: number, total: number): void {
    if (!this.enabled) return;
    if (label !== this.label) {
      this.label = label;
      this.run++;
    }
    if (this.bar === undefined) {
      if (Date.now() - this.started < this.delayMs) return;
      this.bar = new SingleBar({ format: ` {run}/{runs} {label} |{bar}| {percentage}% {value}/{total} ${this.unit}`, stream: this.stream, hideCursor: true }, Presets.shades_classic);
      this.bar.start(total, done, { run: this.run, runs: this.runs, label });
    }
    this.bar.setTotal(total);
    this.bar.update(done, { run: this.run, runs: this.runs, label });
  }

  stop(): void {
    this.bar?.stop();
  }
}
