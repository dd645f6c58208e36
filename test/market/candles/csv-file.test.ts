import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CandleFileError, CsvCandleSource, parseDataSpec, readCandleCsv } from '../../../src/market/candles/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qt-csv-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'timestamp,open,high,low,close\n';
const ROWS = '2024-01-01T00:00Z,1,2,0.5,1.5\n2024-01-01T01:00Z,1.5,2,1,1.2\n';

/** The CandleFileError message of a read, failing the test if the read succeeds or throws something else. */
function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(CandleFileError);
    return (error as Error).message;
  }
  throw new Error('expected the read to be refused');
}

describe('what the CSV reader agrees to read', () => {
  it('refuses a FIFO at once instead of blocking on it forever', () => {
    const fifo = join(dir, 'prices.csv');
    execFileSync('mkfifo', [fifo]);
    expect(refusal(() => readCandleCsv(fifo, { symbol: 'X' }))).toBe(`${fifo}: is not a regular file (a FIFO, socket or device); give a CSV file`);
  });

  it('refuses a folder and a device with one line each', () => {
    mkdirSync(join(dir, 'folder.csv'));
    expect(refusal(() => readCandleCsv(join(dir, 'folder.csv'), { symbol: 'X' }))).toMatch(/folder\.csv: is a directory, not a CSV file$/);
    expect(refusal(() => readCandleCsv('/dev/zero', { symbol: 'X' }))).toBe('/dev/zero: is not a regular file (a FIFO, socket or device); give a CSV file');
  });

  it('names the line and column of bytes that are not UTF-8, instead of replacing them', () => {
    const file = join(dir, 'latin1.csv');
    writeFileSync(file, Buffer.concat([Buffer.from(HEADER + ROWS), Buffer.from('2024-01-01T02:00Z,1.2,2,1,1'), Buffer.from([0xb7]), Buffer.from('5\n')]));
    expect(refusal(() => readCandleCsv(file, { symbol: 'X' }))).toBe(`${file}:4: byte 0xB7 at column 28 is not UTF-8; save the file as UTF-8 (or plain ASCII) CSV`);
  });

  it('finds a truncated multi-byte character after valid ones', () => {
    const file = join(dir, 'cut.csv');
    writeFileSync(file, Buffer.concat([Buffer.from(`timestamp,open,high,low,close,note\n2024-01-01,1,2,0.5,1.5,é€`), Buffer.from([0xe2, 0x82])]));
    expect(refusal(() => readCandleCsv(file, { symbol: 'X' }))).toMatch(/cut\.csv:2: byte 0xE2 at column 29 is not UTF-8/);
  });

  it('says so when a spreadsheet saved the file as UTF-16', () => {
    const file = join(dir, 'utf16.csv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER + ROWS, 'utf16le')]));
    expect(refusal(() => readCandleCsv(file, { symbol: 'X' }))).toBe(`${file}:1: the file is UTF-16 (as some spreadsheet exports write); save it as UTF-8 or plain CSV`);
  });

  it('reads UTF-8 with a byte-order mark and non-ASCII text in extra columns', () => {
    const file = join(dir, 'utf8.csv');
    writeFileSync(file, `\uFEFFtimestamp,open,high,low,close,note\n2024-01-01T00:00Z,1,2,0.5,1.5,día\n2024-01-01T01:00Z,1.5,2,1,1.2,€\n`);
    expect(readCandleCsv(file, { symbol: 'X' }).candles).toHaveLength(2);
  });
});

describe('file names that cannot give a symbol', () => {
  it('a shell pattern that matched nothing says so, as a CandleFileError (a one-line input error)', () => {
    const pattern = join(dir, 'BTCUSDT-1h-2024-0*.csv');
    expect(refusal(() => parseDataSpec(pattern))).toBe(
      `${pattern}: no file matches this pattern (the shell passes a pattern that matches nothing on unchanged); check the folder and the file names`,
    );
    expect(refusal(() => CsvCandleSource.fromFiles([pattern, join(dir, 'ETHUSDT-1h-2024-0*.csv')]))).toContain('no file matches this pattern');
  });

  it('a pattern given with SYMBOL= is a missing file that mentions the pattern', () => {
    expect(refusal(() => CsvCandleSource.fromFiles([`BTCUSDT=${join(dir, 'btc-*.csv')}`]))).toMatch(/btc-\*\.csv: file not found \(a shell pattern that matches no file is passed on unchanged\)$/);
  });
});
