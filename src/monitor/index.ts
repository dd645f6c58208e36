export { startMonitoring } from './monitoring.js';
export type { Monitoring, MonitoringOptions } from './monitoring.js';
export { MonitorServer } from './monitor-server.js';
export type { MonitorSource } from './monitor-server.js';
export { storeSource } from './store-source.js';
export { DEFAULT_HTTP_PORT, DEFAULT_SERVE_PORT, HTTP_TOKEN_ENV, httpSettings } from './settings.js';
export type { HttpSettings } from './settings.js';
export { statusSnapshot } from './status-snapshot.js';
export type { StatusSnapshot } from './status-snapshot.js';
