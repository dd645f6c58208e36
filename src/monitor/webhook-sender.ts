import type { Logger } from '../logger.js';
import type { AlertSettings, AlertEventKind, Webhook } from './settings.js';

export interface Alert {
  readonly event: AlertEventKind;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly title: string;
  readonly text: string;
  /** Wall-clock epoch ms. */
  readonly time: number;
  readonly data?: Record<string, unknown>;
}

/** Alerts waiting beyond this are dropped oldest first; the next one sent says how many. */
const MAX_WAITING = 100;

/**
 * One webhook's delivery: a queue drained in the background, at most `max_per_minute` (a token bucket, so
 * a burst of a few goes out at once), each alert retried on network faults, timeouts, 429 and 5xx. Nothing
 * here is awaited by trading: `send` only queues.
 */
export class WebhookSender {
  private readonly waiting: Alert[] = [];
  private dropped = 0;
  private tokens: number;
  private refilledAt: number;
  private draining: Promise<void> | undefined;
  private readonly abort = new AbortController();
  delivered = 0;
  failed = 0;

  constructor(
    readonly hook: Webhook,
    private readonly settings: AlertSettings,
    /** Which daemon speaks (mode, symbols, store), added to every message. */
    private readonly daemon: string,
    private readonly logger: Logger,
  ) {
    this.tokens = Math.min(settings.maxPerMinute, 5);
    this.refilledAt = Date.now();
  }

  send(alert: Alert): void {
    if (this.abort.signal.aborted) return;
    if (this.waiting.length >= MAX_WAITING) {
      this.waiting.shift();
      this.dropped++;
    }
    this.waiting.push(alert);
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  /** Waits (at most `ms`) for what is queued to go out, then gives up on the rest. */
  async close(ms: number): Promise<void> {
    if (this.draining !== undefined) await Promise.race([this.draining, this.sleep(ms)]);
    this.abort.abort();
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0 && !this.abort.signal.aborted) {
      await this.takeToken();
      const alert = this.waiting.shift();
      if (alert === undefined) break;
      const dropped = this.dropped;
      this.dropped = 0;
      await this.deliver(alert, dropped);
    }
  }

  private async takeToken(): Promise<void> {
    const perMs = this.settings.maxPerMinute / 60_000;
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.settings.maxPerMinute, this.tokens + (now - this.refilledAt) * perMs);
      this.refilledAt = now;
      if (this.tokens >= 1 || this.abort.signal.aborted) break;
      await this.sleep((1 - this.tokens) / perMs);
    }
    this.tokens -= 1;
  }

  private async deliver(alert: Alert, dropped: number): Promise<void> {
    const { retry, timeoutMs } = this.settings;
    const body = JSON.stringify(payload(this.hook, alert, this.daemon, dropped));
    for (let attempt = 1; attempt <= retry.attempts && !this.abort.signal.aborted; attempt++) {
      let wait = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      let problem: string;
      try {
        const response = await fetch(this.hook.url, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(timeoutMs)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          this.delivered++;
          return;
        }
        problem = `HTTP ${response.status}`;
        if (response.status !== 429 && response.status < 500) break;
        const after = Number(response.headers.get('retry-after'));
        if (Number.isFinite(after) && after > 0) wait = Math.max(wait, Math.min(after * 1000, 600_000));
      } catch (error) {
        problem = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${(error as Error).message}${(error as { cause?: Error }).cause ? ` (${(error as { cause: Error }).cause.message})` : ''}`;
      }
      this.logger.warn({ webhook: this.hook.name, event: alert.event, attempt, of: retry.attempts }, `alert to ${this.hook.name} not delivered: ${problem}`);
      if (attempt < retry.attempts) await this.sleep(wait);
    }
    this.failed++;
    if (!this.abort.signal.aborted) this.logger.error({ webhook: this.hook.name, event: alert.event, title: alert.title }, `alert to ${this.hook.name} given up`);
  }

  /** A wait that never keeps the process alive and ends when the sender closes. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const stop = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', stop);
        resolve();
      }, ms);
      timer.unref();
      signal.addEventListener('abort', stop, { once: true });
    });
  }
}

/** The body a webhook gets: generic JSON, or the Telegram Bot API's sendMessage. */
export function payload(hook: Webhook, alert: Alert, daemon: string, dropped: number): Record<string, unknown> {
  const note = dropped > 0 ? `(${dropped} earlier alert${dropped === 1 ? '' : 's'} dropped by the rate limit)` : undefined;
  if (hook.format === 'telegram') {
    const mark = alert.severity === 'critical' ? '🚨' : alert.severity === 'warning' ? '⚠️' : 'ℹ️';
    const text = [`${mark} ${alert.title}`, alert.text, `— ${daemon}`, ...(note === undefined ? [] : [note])].filter((l) => l !== '').join('\n');
    return { chat_id: hook.chatId, text: text.slice(0, 4096), disable_web_page_preview: true };
  }
  return {
    source: 'quantum-trader', event: alert.event, severity: alert.severity, title: alert.title, text: alert.text,
    time: new Date(alert.time).toISOString(), daemon, data: alert.data ?? {}, ...(dropped > 0 ? { dropped } : {}),
  };
}
