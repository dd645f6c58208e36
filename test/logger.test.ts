import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

/** Raw JSON lines as pino writes them, before any parser can drop a duplicated key. */
function rawLines(log: (logger: ReturnType<typeof createLogger>) => void): string[] {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  log(createLogger({ level: 'info', destination }));
  return lines;
}

describe('log lines', () => {
  it('carry one `time` (the wall clock); a candle or cycle time logged with them is `candle_time`', () => {
    const before = Date.now();
    const [line] = rawLines((logger) => logger.info({ time: '2024-01-01T00:00:00.000Z', equity: 1 }, 'cycle'));
    expect(line!.match(/"time":/g)).toHaveLength(1);
    const record = JSON.parse(line!) as Record<string, unknown>;
    expect(Date.parse(record.time as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(record).toMatchObject({ candle_time: '2024-01-01T00:00:00.000Z', equity: 1, msg: 'cycle' });
  });

  it('leave lines without a logged time as they are', () => {
    const [line] = rawLines((logger) => logger.warn({ symbol: 'BTCUSDT' }, 'gap'));
    expect(JSON.parse(line!)).not.toHaveProperty('candle_time');
  });
});
