import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './rule-sets.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `quantum-trader` binary, as a user would, in `cwd` (default: the repository). */
export function runCli(args: readonly string[], options: { cwd?: string; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [join(REPO, 'src/cli/bin.js'), ...args], {
    cwd: options.cwd ?? REPO,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
