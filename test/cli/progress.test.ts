import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Progress } from '../../src/cli/progress.js';

describe('progress bar', () => {
  afterEach(() => vi.restoreAllMocks());

  it('stays silent when disabled (not a terminal) and during the first seconds of a run', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const off = new Progress(false, 2, 0);
    off.update('ON', 10, 100);
    off.stop();
    const quick = new Progress(true, 2, 60_000);
    quick.update('ON', 10, 100);
    quick.stop();
    expect(write).not.toHaveBeenCalled();
  });

  it('shows the run, its label and the share done once a run is slow enough', () => {
    const written: string[] = [];
    // A terminal as cli-progress sees one: isTTY, a width, and cursor control.
    const terminal = Object.assign(new Writable({ write: (chunk, _encoding, done) => { written.push(String(chunk)); done(); } }), {
      isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true,
    });
    const bar = new Progress(true, 2, 0, terminal);
    bar.update('orchestrator ON (LIVE)', 50, 100);
    bar.update('baseline OFF', 100, 100);
    bar.stop();
    const text = written.join('');
    expect(text).toContain('1/2 orchestrator ON (LIVE)');
    expect(text).toContain('2/2 baseline OFF');
    expect(text).toMatch(/100% 100\/100 candle closes/);
  });

  it('counts what it is told to count: a study counts backtests', () => {
    const written: string[] = [];
    const terminal = Object.assign(new Writable({ write: (chunk, _encoding, done) => { written.push(String(chunk)); done(); } }), {
      isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true,
    });
    const bar = new Progress(true, 1, 0, terminal, 'backtests');
    bar.update('study', 3, 240);
    bar.stop();
    expect(written.join('')).toMatch(/1\/1 study .* 1% 3\/240 backtests/);
  });
});
