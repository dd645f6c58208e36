import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../config/problem.js';
import { createLogger, type Logger } from '../logger.js';
import { httpSettings, MonitorServer, storeSource } from '../monitor/index.js';
import { StoreError, TradingStore } from '../store/index.js';
import { EXIT } from './exit-codes.js';
import type { Output } from './output.js';
import { untilStopped } from './until-stopped.js';

export interface ServeParams {
  readonly store: string;
  readonly http: { readonly host: string; readonly port: number };
  readonly stop?: Promise<void>;
  readonly logger?: Logger;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * `serve`: the daemon's status page for any store, read-only: a backtest run's (backtest-results/stores/),
 * or a daemon's from another process (it follows the daemon's commits). Nothing is written to the store;
 * control actions are refused.
 */
export async function serveCommand(params: ServeParams, output: Output, cwd = process.cwd()): Promise<number> {
  const path = resolve(cwd, params.store);
  if (!existsSync(path)) throw new InputError(`--store: ${params.store} does not exist`);
  const settings = httpSettings(params.http, params.env ?? process.env);
  let store: TradingStore;
  try {
    store = TradingStore.open(path, { readOnly: true });
  } catch (error) {
    if (error instanceof StoreError) throw new InputError(`--store: ${error.message}`);
    throw error;
  }
  const source = storeSource(store);
  try {
    const server = await MonitorServer.start(settings, source, params.logger ?? createLogger());
    output.err(`showing ${path} read-only at ${server.url}; Ctrl-C to stop`);
    await (params.stop ?? untilStopped());
    await server.close();
    return EXIT.OK;
  } finally {
    source.close();
    store.close();
  }
}
