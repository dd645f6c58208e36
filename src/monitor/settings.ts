import { InputError } from '../config/problem.js';
import type { AlertEventKind, AlertsDoc } from '../policy/rule-set.js';

export type { AlertEventKind } from '../policy/rule-set.js';

/** The bearer token of the daemon's HTTP API; control actions are refused without it. */
export const HTTP_TOKEN_ENV = 'QT_HTTP_TOKEN';
export const DEFAULT_HTTP_PORT = 8780;
export const DEFAULT_SERVE_PORT = 8781;
export const ALERT_EVENTS: readonly AlertEventKind[] = ['gate', 'fill', 'repair', 'fallback', 'exchange', 'control', 'daemon'];

export interface HttpSettings {
  readonly host: string;
  /** 0: any free port (the one chosen is logged). */
  readonly port: number;
  readonly token?: string;
}

/**
 * Where the status page and API listen. Loopback needs nothing; any other address exposes the page to the
 * network, so it needs the token (then every request must carry it). A token shorter than 16 characters
 * is refused: it would be guessable.
 */
export function httpSettings(flags: { readonly host: string; readonly port: number }, env: NodeJS.ProcessEnv): HttpSettings {
  const token = env[HTTP_TOKEN_ENV];
  if (token !== undefined && token !== '' && token.length < 16) throw new InputError(`${HTTP_TOKEN_ENV} must be at least 16 characters (e.g. \`openssl rand -hex 16\`)`);
  if (!Number.isInteger(flags.port) || flags.port < 0 || flags.port > 65535) throw new InputError(`--http: a port number 0-65535, got '${flags.port}'`);
  const settings = { host: flags.host, port: flags.port, ...(token === undefined || token === '' ? {} : { token }) };
  if (!isLoopback(flags.host) && settings.token === undefined) {
    throw new InputError(`--http-host ${flags.host} exposes the status page and API beyond this machine: set ${HTTP_TOKEN_ENV} (at least 16 characters), or keep the default 127.0.0.1`);
  }
  return settings;
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

export interface Webhook {
  readonly name: string;
  /** Secret when it carries a bot token: never logged (use `name`). */
  readonly url: string;
  readonly format: 'json' | 'telegram';
  readonly chatId?: string | number;
  readonly events: ReadonlySet<AlertEventKind>;
}

export interface AlertSettings {
  readonly webhooks: readonly Webhook[];
  readonly maxPerMinute: number;
  readonly timeoutMs: number;
  readonly retry: { readonly attempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
}

/**
 * The alerts section of rules/execution.yaml with its defaults, `${NAME}` taken from the environment.
 * A variable that is not set is an input error naming the file and the field.
 */
export function alertSettings(doc: AlertsDoc | undefined, env: NodeJS.ProcessEnv, file: string): AlertSettings {
  const webhooks = (doc?.webhooks ?? []).map((hook, i): Webhook => {
    const field = `alerts.webhooks[${i}]`;
    const url = expand(hook.url, env, file, `${field}.url`);
    const chatId = hook.chat_id === undefined ? undefined : typeof hook.chat_id === 'number' ? hook.chat_id : expand(hook.chat_id, env, file, `${field}.chat_id`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InputError(`${file}: ${field}.url is not a URL once the environment is filled in`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InputError(`${file}: ${field}.url must be http:// or https://`);
    return {
      name: hook.name ?? parsed.host, url, format: hook.format ?? 'json', ...(chatId === undefined ? {} : { chatId }),
      events: new Set(hook.events ?? ALERT_EVENTS),
    };
  });
  const retry = doc?.retry ?? {};
  return {
    webhooks, maxPerMinute: doc?.max_per_minute ?? 20, timeoutMs: doc?.timeout_ms ?? 5000,
    retry: { attempts: retry.attempts ?? 4, baseDelayMs: retry.base_delay_ms ?? 1000, maxDelayMs: retry.max_delay_ms ?? 30_000 },
  };
}

function expand(text: string, env: NodeJS.ProcessEnv, file: string, field: string): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') throw new InputError(`${file}: ${field} uses \${${name}}, which is not set in the environment`);
    return value;
  });
}
