import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { REPO } from './rule-sets.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Generous on purpose: a CLI process on a busy 2-core machine can take many times its usual few seconds,
 * and a test must not fail for that. Only a process that truly hangs is stopped (and then fails the test);
 * just under the per-test timeout (test/vitest.config.ts), so the test reports the process's own output.
 */
export const CLI_TIMEOUT_MS = 170_000;

/**
 * Runs the real `quantum-trader` binary, as a user would, in `cwd` (default: the repository). Asynchronous,
 * so the test runner stays responsive (and its own timeouts work) while the process runs.
 */
export function runCli(args: readonly string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'src/cli/bin.js'), ...args], { cwd: options.cwd ?? REPO, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * The CLI inside the test process: the same `main`, no process start-up. For commands that fail or finish
 * before they log anything (logs go straight to stderr and are not captured here).
 */
export async function runMain(args: readonly string[], cwd = REPO): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  const output: Output = { out: (s) => (stdout += line(s)), err: (s) => (stderr += line(s)) };
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return { status: await main(args, output), stdout, stderr };
  } finally {
    process.chdir(before);
  }
}
