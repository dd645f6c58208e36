import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs (pino). Exchange credentials never reach a log line: any field with these names,
 * at any of the depths listed, is replaced by "[redacted]". `time` is the wall clock of the line; a `time`
 * a caller logs (a candle's or a cycle's time, which in a backtest is years away from the wall clock) is
 * renamed `candle_time`, so a line never carries two `time` keys of which parsers keep only one.
 */
export const REDACTED_PATHS = [
  'apiKey', 'secret', 'password', 'apiSecret', 'privateKey',
  '*.apiKey', '*.secret', '*.password', '*.apiSecret', '*.privateKey',
  'headers["X-MBX-APIKEY"]', '*.headers["X-MBX-APIKEY"]',
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.QT_LOG_LEVEL ?? 'info',
      base: { app: 'quantum-trader' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: renameCandleTime },
    },
    options.destination ?? pino.destination(2),
  );
}

function renameCandleTime(object: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(object, 'time')) return object;
  const { time, ...rest } = object;
  return { candle_time: time, ...rest };
}

/** A logger that discards everything, for library use without logging. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
