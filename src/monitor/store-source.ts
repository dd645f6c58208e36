import type { TradingStore } from '../store/index.js';
import type { MonitorSource } from './monitor-server.js';

/**
 * A store shown read-only (`serve`): a backtest's, or a running daemon's from outside the daemon. The
 * file is looked at every `everyMs` and the page is pushed when anything was committed since (SQLite's
 * data_version sees commits of other processes).
 */
export function storeSource(store: TradingStore, everyMs = 1000): MonitorSource & { close(): void } {
  const listeners = new Set<() => void>();
  let seen = store.recent.dataVersion();
  const timer = setInterval(() => {
    const now = store.recent.dataVersion();
    if (now === seen) return;
    seen = now;
    for (const listener of listeners) listener();
  }, everyMs).unref();
  return {
    store,
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => clearInterval(timer),
  };
}
