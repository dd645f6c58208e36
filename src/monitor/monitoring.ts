import type { SessionHooks } from '../live/session-hooks.js';
import type { Logger } from '../logger.js';
import type { LiveRuleSet } from '../policy/hot-reload.js';
import type { TradingStore } from '../store/index.js';
import { DaemonMonitor } from './daemon-monitor.js';
import { MonitorServer } from './monitor-server.js';
import { alertSettings, type HttpSettings } from './settings.js';
import type { SessionInfo } from './status-snapshot.js';

export interface Monitoring {
  readonly hooks: SessionHooks;
  /** The status page's address, when it is served. */
  readonly url?: string;
  /** Stops serving and sends the "stopped" alert (waiting a few seconds for it to go out). */
  close(): Promise<void>;
}

export interface MonitoringOptions {
  readonly store: TradingStore;
  readonly rules: LiveRuleSet;
  readonly profile: string;
  readonly session: SessionInfo;
  /** Where to serve the page and API; undefined: not served (the pause switch in the store still applies). */
  readonly http?: HttpSettings;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
}

/** Everything `run` needs to be watched and steered: metrics, alerts, operator switches, the page. */
export async function startMonitoring(options: MonitoringOptions): Promise<Monitoring> {
  const { store, rules, logger } = options;
  const file = rules.ruleSet.files.find((f) => f.kind === 'ExecutionConfig')?.file ?? 'rules/execution.yaml';
  const monitor = new DaemonMonitor({
    store, session: options.session, rules, profile: options.profile, alerts: alertSettings(rules.ruleSet.execution.alerts, options.env, file), logger,
  });
  const server = options.http === undefined ? undefined : await MonitorServer.start(options.http, {
    store, live: monitor.view(), controls: monitor.controls,
    metrics: { contentType: monitor.metrics.registry.contentType, metrics: () => monitor.metrics.registry.metrics() },
    onChange: (listener) => monitor.onChange(listener),
  }, logger).catch(async (error: unknown) => {
    await monitor.close();
    throw error;
  });
  return {
    hooks: monitor.hooks(),
    ...(server === undefined ? {} : { url: server.url }),
    close: async () => {
      await server?.close();
      await monitor.close(`${store.openPositions().length} open position(s) keep their stops at the venue`);
    },
  };
}
