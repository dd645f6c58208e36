import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { REPO } from './rule-sets.js';

/** The real binary as a long-running process, with its output collected line by line. */
export class WatchProcess {
  readonly out: string[] = [];
  readonly err: string[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [join(REPO, 'src/cli/bin.js'), 'watch', ...args], { cwd: REPO });
    const collect = (into: string[]) => {
      let partial = '';
      return (chunk: Buffer) => {
        const parts = (partial + chunk.toString()).split('\n');
        partial = parts.pop()!;
        into.push(...parts);
      };
    };
    this.child.stdout.on('data', collect(this.out));
    this.child.stderr.on('data', collect(this.err));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  async waitFor(stream: 'out' | 'err', pattern: RegExp, after = 0): Promise<string> {
    let found: string | undefined;
    await vi.waitFor(
      () => {
        found = this[stream].slice(after).find((l) => pattern.test(l));
        expect(found, `${stream} has no line matching ${pattern}:\n${this[stream].join('\n')}`).toBeDefined();
      },
      { timeout: 90_000, interval: 50 },
    );
    return found!;
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

