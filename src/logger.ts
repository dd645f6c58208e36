import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs (pino). Exchange credentials never reach a log line: any field with these names,
 * at any of the depths listed, is replaced by "[redacted]".
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
    },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that discards everything, for library use without logging. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
