/**
 * Every failure the store surfaces. The message starts with `store <file>: <operation>:` because an
 * operator seeing "SQLITE_BUSY: database is locked" in a log cannot tell which of several stores (live,
 * paper, a backtest's) or which write failed; the SQLite error stays available as `cause`.
 */
export class StoreError extends Error {
  constructor(
    readonly file: string,
    message: string,
    cause?: unknown,
  ) {
    super(`store ${file}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'StoreError';
  }

  /** SQLite's error code (SQLITE_BUSY, SQLITE_NOTADB …) when SQLite raised it. */
  get code(): string | undefined {
    const code = (this.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : undefined;
  }
}

export function storeFailure(file: string, operation: string, cause: unknown): StoreError {
  if (cause instanceof StoreError) return cause;
  return new StoreError(file, `${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
}

/** Runs a database operation, naming the file and the operation in whatever it throws. */
export function attempt<T>(file: string, operation: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw storeFailure(file, operation, error);
  }
}
